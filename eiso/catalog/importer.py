"""Streaming importer of the national catalogue of administrative procedures (CSDLQG về TTHC).

Input: `.jsonl` / `.jsonl.gz` files (one record a line), `.json` files (one record, several records one
after the other, or an array of records, read incrementally), or folders holding such files. Two shapes
of record are recognised:

* a **catalogue line** (top-level `code`, `name`, `categories`, `departments`, `departmentPromulgate`,
  `formalityTargetType`, `state`, `type`);
* a **detail record**, as the portal's detail endpoint returns it (`{"code": "OK", "data": {...}}`) or
  the bare `data` object.

Memory does not grow with the size of a file. Each file is read twice, one record at a time: a first
pass counts the records (for the progress bar) and finds the codes that occur more than once (a Bloom
filter of fixed size, 1 MiB, plus the few repeated keys); the second pass imports, in chunks of
`CHUNK_SIZE` records (one query fetches the chunk's existing procedures, one their cases). What is kept
for the whole run is bounded: the repeated keys of a file, the fields (lĩnh vực, a few hundred) and at
most `REPORT_LIMIT` report entries.

Rules:

* One savepoint per written record: a record that cannot be saved is reported and the others are
  kept. Records are committed in groups of `COMMIT_EVERY`, after which the ImportRun row shows the
  progress. The group's new procedures are inserted in bulk (with their cases); if that fails they are
  inserted one by one, each in its savepoint, so only the bad ones are lost (and reported).
* A code repeated in one file with the same shape: the last record wins, the earlier ones are skipped
  with a warning naming the line of the later one. A catalogue line and a detail record of the same
  code are not duplicates: they are merged (rules below).
* "Lose nothing": every record with a code is imported with what is usable; what is not usable is in
  the report (`{file, line, code, level, kind, message}`, level `warning` or `error`).
* A detail record is authoritative for everything it carries, but a blank name, field, promulgating
  body, executing bodies or applicant list never wipes a stored value (a catalogue line may have
  provided it). A catalogue line over a procedure that already has its detail only updates the name,
  state and type, and fills the blanks of the fields both shapes carry; it never touches the level
  flags, cases, channels, legal bases or dossier components. So importing the catalogue and the
  details in either order gives the same data.
* Level flags of a catalogue line (which has none) are inferred from its executing bodies
  (`departments`), see `infer_levels`: commune level when a body mentions "cấp xã", "xã" (not "xã hội",
  not "thị xã"), "phường" or "đặc khu"; province level when a body starts with "Sở", or mentions
  "UBND / Ủy ban nhân dân / HĐND (cấp) tỉnh | thành phố", "cấp tỉnh", "thành phố" (not "thành phố thuộc
  tỉnh") or ends with "tỉnh"; ministry level when it starts with "Bộ" (not "Bộ chỉ huy", "Bộ tư lệnh",
  "Bộ đội"), "Cục" or "Tổng cục". A detail record's own flags (isWard, isProvince, ...) replace them.
* Re-import: mapped values are compared with stored ones; each changed value appends a
  `ProcedureChange` (significant for legal bases and case durations and units). Values coming from the
  other shape (a detail enriching a catalogue-only procedure, a catalogue line filling a blank) are not
  changes, except the identity fields both shapes share (name, field, promulgating body, state, type)
  when a value was already stored. Cases are compared per case code.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from eiso.catalog.choices import Channel, DurationUnit, ImportStatus
from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase, ProcedureChange
from eiso.catalog.text import clean_text, match_key
from eiso.core.text import fold

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500  # records whose procedures and cases are fetched together
COMMIT_EVERY = 200  # records per transaction; the ImportRun row is updated after each
REPORT_LIMIT = 5000  # report entries kept; beyond, only counted
SUFFIXES = (".jsonl.gz", ".jsonl", ".json.gz", ".json")
READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeError)  # gzip.BadGzipFile is an OSError

WARNING, ERROR = "warning", "error"

UNITS = {
    "WORKING_DAY": DurationUnit.WORKING_DAY,
    "DAY": DurationUnit.DAY,
    "HOUR": DurationUnit.HOUR,
    "MONTH": DurationUnit.MONTH,
}
# Channel units the portal uses without a number ("OTHER": see the description or the cases).
SILENT_UNKNOWN_UNITS = {"", "OTHER", "NONE"}
CHANNELS = {"DIRECT": Channel.DIRECT, "POSTAL": Channel.POSTAL, "ONLINE": Channel.ONLINE}

DETAIL_KEYS = frozenset({
    "cases", "executionMethods", "executionSteps", "executionCases", "legalBasisesDetails",
    "departmentPromulgateName", "requirementsAndConditions", "subjectTypesDetails", "resultsDetails",
})
CATALOGUE_KEYS = frozenset({"categories", "departments", "departmentPromulgate", "formalityTargetType"})

LEVEL_FLAGS = ("is_commune_level", "is_province_level", "is_ministry_level", "is_vertical_level", "is_other_level")
# Fields both shapes carry: a blank never wipes them; a catalogue line only fills them once a detail exists.
SHARED_FIELDS = frozenset({"field", "promulgating_body", "executing_bodies", "applicants", "source_id"})
NEVER_BLANK = frozenset({"name", "field"})
# Shared fields whose change is recorded even when the other shape brought it.
IDENTITY_FIELDS = frozenset({"name", "field", "promulgating_body", "state", "procedure_type"})
# Bookkeeping: updated, never recorded as a change.
META_FIELDS = frozenset({"source_id", "source_created_at", "source_updated_at", "has_detail"})
UNORDERED = frozenset({"applicants", "results", "legal_bases"})
SIGNIFICANT = frozenset({"legal_bases"})

MAX_LENGTHS = {"promulgating_body": 255, "state": 20, "procedure_type": 40, "source_id": 64}
MAX_DURATION = Decimal("999999.99")


class RecordError(Exception):
    def __init__(self, kind: str, message: str, code: str = ""):
        super().__init__(message)
        self.kind, self.message, self.code = kind, message, code


# --- Reading ------------------------------------------------------------------------------------------


@dataclass
class SourceItem:
    """One record read from a file (or the reason it could not be read)."""

    file: str
    line: int
    payload: object = None
    error: str = ""
    kind: str = ""
    replaced_by: int | None = None  # line of a later record of the same code and shape in the same file
    code: str = ""


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s)), "")


def expand_paths(paths: Iterable) -> list[Path]:
    """Files to read: the files given, and the *.json / *.jsonl / *.jsonl.gz files of the folders given."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(f for f in path.iterdir() if f.is_file() and _suffix(f)))
        else:
            files.append(path)
    return files


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")
    return open(path, encoding="utf-8-sig", errors="replace")  # noqa: SIM115 — closed by the caller's with


def _is_json(path: Path) -> bool:
    return _suffix(path) in (".json", ".json.gz")


def record_key(payload) -> str | None:
    """"<shape> <code>" of a payload (None when it has no code): two records with the same key in one
    file are duplicates; a catalogue line and a detail record of the same code are not."""
    try:
        data = _unwrap(payload)
    except RecordError:
        return None
    code, _ = clean_text(data.get("code") or data.get("codeNotation"))
    if not code:
        return None
    return f"{'detail' if set(data) & DETAIL_KEYS else 'catalogue'} {code}"


class SeenFilter:
    """A Bloom filter of record keys: fixed memory (1 MiB) whatever the size of the file. `add` says
    whether the key may have been added before (false positives are rare and harmless, see scan_file)."""

    def __init__(self, bits: int = 1 << 23, hashes: int = 4):
        self.size, self.hashes = bits, hashes
        self.bits = bytearray(bits // 8)

    def add(self, key: str) -> bool:
        digest = hashlib.blake2b(key.encode(), digest_size=4 * self.hashes).digest()
        present = True
        for i in range(self.hashes):
            position = int.from_bytes(digest[4 * i: 4 * i + 4], "little") % self.size
            byte, mask = position >> 3, 1 << (position & 7)
            if not self.bits[byte] & mask:
                present = False
                self.bits[byte] |= mask
        return present


@dataclass
class FileScan:
    """First pass over a file: how many records it holds and, for the keys that (may) occur more than
    once, where the last one is (ordinal, line). Only the last record of a key is imported. A Bloom
    filter false positive only puts a unique key here, with its own position: it is imported."""

    path: Path
    count: int | None = 0
    last: dict = field(default_factory=dict)
    error: str = ""


def scan_file(path: Path) -> FileScan:
    scan, seen = FileScan(path), SeenFilter()
    try:
        for ordinal, item in enumerate(read_file(path)):
            scan.count += 1
            key = None if item.error else record_key(item.payload)
            if key is not None and (seen.add(key) or key in scan.last):
                scan.last[key] = (ordinal, item.line)
    except READ_ERRORS as exc:
        scan.count, scan.error = None, str(exc)
    return scan


def read_file(path: Path) -> Iterator[SourceItem]:
    return _read_json(path) if _is_json(path) else _read_lines(path)


def _read_lines(path: Path) -> Iterator[SourceItem]:
    name = path.name
    with _open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            text = line.strip()
            if not text:
                continue
            try:
                payload = json.loads(text)
            except ValueError as exc:
                message = f"malformed JSON: {getattr(exc, 'msg', exc)} (column {getattr(exc, 'colno', '?')})"
                yield SourceItem(name, number, error=message, kind="malformed_json")
                continue
            if isinstance(payload, list):
                for element in payload:
                    yield SourceItem(name, number, element)
            else:
                yield SourceItem(name, number, payload)


def _read_json(path: Path, read_size: int = 1 << 16) -> Iterator[SourceItem]:
    """Values of a .json file one at a time: a single object, objects one after the other, or the
    elements of a top-level array. The buffer holds one value (and one read) at a time. A malformed
    value ends the file: there is no reliable way to find where the next one starts."""
    name = path.name
    decoder = json.JSONDecoder()
    with _open_text(path) as handle:
        buffer, pos, line, eof = "", 0, 1, False
        in_array = started = False

        def more(size: int) -> None:
            nonlocal buffer, eof
            chunk = handle.read(size)
            if chunk:
                buffer += chunk
            else:
                eof = True

        while True:
            separators = " \t\r\n," if in_array else " \t\r\n"
            while True:
                while pos < len(buffer) and buffer[pos] in separators:
                    line += buffer[pos] == "\n"
                    pos += 1
                if pos < len(buffer) or eof:
                    break
                more(read_size)
            if pos >= len(buffer):
                return
            if not started and buffer[pos] == "[":
                in_array = started = True
                pos += 1
                continue
            if in_array and buffer[pos] == "]":
                in_array = False
                pos += 1
                continue
            started = True
            size = read_size
            while True:
                try:
                    value, end = decoder.raw_decode(buffer, pos)
                    break
                except json.JSONDecodeError as exc:
                    if eof:
                        yield SourceItem(name, line, error=f"malformed JSON: {exc.msg}; the rest of the file is "
                                                           f"not read", kind="malformed_json")
                        return
                    more(size)
                    size *= 2
            yield SourceItem(name, line, value)
            line += buffer.count("\n", pos, end)
            pos = end
            if pos > read_size:  # drop what was consumed
                buffer, pos = buffer[pos:], 0


# --- Mapping ------------------------------------------------------------------------------------------


@dataclass
class MappedRecord:
    kind: str  # "detail" | "catalogue"
    code: str
    values: dict
    field_name: str = ""
    field_code: str = ""
    cases: list | None = None  # detail only: [{code, name, duration, duration_unit, dossier_components}]
    problems: list = field(default_factory=list)  # [(level, kind, message)]

    @property
    def is_detail(self) -> bool:
        return self.kind == "detail"


class _Mapper:
    """Maps one payload; collects its warnings and the fields from which HTML was removed."""

    def __init__(self):
        self.problems: list = []
        self.html_fields: list = []

    def warn(self, kind: str, message: str) -> None:
        self.problems.append((WARNING, kind, message))

    def text(self, value, label: str, *, multiline: bool = False) -> str:
        text, removed = clean_text(value, multiline=multiline)
        if removed and label not in self.html_fields:
            self.html_fields.append(label)
        return text

    def names(self, items, label: str) -> list[str]:
        """Cleaned, de-duplicated names of a list of {name: ...} objects or of strings."""
        result: list[str] = []
        for item in items or ():
            raw = item.get("name") if isinstance(item, dict) else item
            name = self.text(raw, label)
            if name and name not in result:
                result.append(name)
        return result

    def fit(self, values: dict) -> None:
        for name, limit in MAX_LENGTHS.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                values[name] = value[: limit - 1] + "…"
                self.warn("truncated", f"{name} longer than {limit} characters: shortened")

    def finish(self, record: MappedRecord) -> MappedRecord:
        self.fit(record.values)
        if len(record.field_name) > 255:
            record.field_name = record.field_name[:254] + "…"
            self.warn("truncated", "field name longer than 255 characters: shortened")
        if self.html_fields:
            self.warn("html_removed", "HTML removed from: " + ", ".join(self.html_fields))
        if not record.values.get("name"):
            self.warn("missing_name", "record without a name")
        record.problems = self.problems
        return record


def _number(value):
    """int or float from a number or a numeric string; None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if not value:
            return None
        try:
            value = float(value)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _moment(value, mapper: _Mapper, label: str):
    """Epoch milliseconds (or an ISO string) as an aware datetime."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        millis = int(value)
        try:
            return dt.datetime.fromtimestamp(millis // 1000, tz=dt.UTC).replace(microsecond=(millis % 1000) * 1000)
        except (OverflowError, OSError, ValueError):
            pass
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    mapper.warn("bad_timestamp", f"{label}: {value!r} is not a date; left empty")
    return None


def _unwrap(payload) -> dict:
    if not isinstance(payload, dict):
        raise RecordError("not_an_object", f"not a JSON object but {type(payload).__name__}")
    if "data" in payload and not (set(payload) & (DETAIL_KEYS | CATALOGUE_KEYS)):
        data = payload.get("data")
        if not isinstance(data, dict):
            status = payload.get("code") or "?"
            raise RecordError("portal_error", f"the portal answered {status}: {payload.get('message') or 'no data'}")
        return data
    return payload


def map_payload(payload) -> MappedRecord:
    """The record's values for the models, or RecordError when it cannot be imported at all."""
    data = _unwrap(payload)
    mapper = _Mapper()
    code = mapper.text(data.get("code") or data.get("codeNotation"), "code")
    if not code:
        raise RecordError("missing_code", "record without a code: skipped")
    if len(code) > 40:
        raise RecordError("code_too_long", f"code longer than 40 characters: skipped ({code[:60]})", code=code[:40])
    if set(data) & DETAIL_KEYS:
        return mapper.finish(_map_detail(data, code, mapper))
    return mapper.finish(_map_catalogue(data, code, mapper))


def _map_catalogue(data: dict, code: str, mapper: _Mapper) -> MappedRecord:
    categories = data.get("categories") or []
    if isinstance(categories, str):
        categories = [categories]
    first = categories[0] if categories else ""
    departments = mapper.names(data.get("departments"), "departments")
    values = {
        "name": mapper.text(data.get("name"), "name"),
        "promulgating_body": mapper.text(data.get("departmentPromulgate"), "departmentPromulgate"),
        "executing_bodies": "; ".join(departments),
        "applicants": mapper.names(data.get("formalityTargetType"), "formalityTargetType"),
        "state": mapper.text(data.get("state"), "state"),
        "procedure_type": mapper.text(data.get("type"), "type"),
        "source_id": mapper.text(data.get("id"), "id"),
        **infer_levels(departments),
    }
    field_name = mapper.text(first.get("name") if isinstance(first, dict) else first, "categories")
    return MappedRecord("catalogue", code, values, field_name=field_name)


_COMMUNE = re.compile(r"\bcấp xã\b|(?<!thị )\bxã\b(?! hội)|\bphường\b|\bđặc khu\b")
_PROVINCE = re.compile(
    r"^(?:các |giám đốc |văn phòng )?sở\b"
    r"|\b(?:ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd) (?:cấp )?(?:tỉnh|thành phố)\b"
    r"|\bcấp tỉnh\b|\bthành phố\b(?! thuộc tỉnh)|\btỉnh$"
)
_MINISTRY = re.compile(r"^(?:bộ\b(?! (?:chỉ huy|tư lệnh|đội))|cục\b|tổng cục\b)")


def infer_levels(departments: Iterable[str]) -> dict:
    """Level flags of a catalogue line from its executing bodies (heuristic, see the module docstring)."""
    keys = [match_key(d) for d in departments if d]
    return {
        "is_commune_level": any(_COMMUNE.search(k) for k in keys),
        "is_province_level": any(_PROVINCE.search(k) for k in keys),
        "is_ministry_level": any(_MINISTRY.search(k) for k in keys),
        "is_vertical_level": False,
        "is_other_level": False,
    }


def _unit(raw, mapper: _Mapper, label: str, *, silent_other: bool) -> str:
    key = str(raw or "").strip().upper()
    if key in UNITS:
        return UNITS[key]
    if not (silent_other and key in SILENT_UNKNOWN_UNITS):
        mapper.warn("unknown_unit", f"{label}: unknown duration unit {raw!r}; imported as 'not specified'")
    return DurationUnit.UNKNOWN


def _components(items, group: str, mapper: _Mapper) -> list[dict]:
    result = []
    for item in items or ():
        if not isinstance(item, dict):
            continue
        result.append({
            "group": group,
            "name": mapper.text(item.get("name"), "profileComponents", multiline=True),
            "original_quantity": _number(item.get("originalQty")) or 0,
            "copy_quantity": _number(item.get("copyQty")) or 0,
            "code": mapper.text(item.get("code"), "profileComponents"),
            "required": bool(item.get("required")),
        })
    return result


def _map_detail(data: dict, code: str, mapper: _Mapper) -> MappedRecord:
    category = data.get("category") or next(iter(data.get("categoriesDetails") or []), None) or {}
    if not isinstance(category, dict):
        category = {"name": category}

    executing = mapper.text(data.get("executingAgencies"), "executingAgencies")
    if not executing:
        executing = "; ".join(
            mapper.names(data.get("departmentsExecuting"), "departmentsExecuting")
            + mapper.names(data.get("unitGroupsExecuting"), "unitGroupsExecuting")
        )

    channels = []
    for method in data.get("executionMethods") or ():
        if not isinstance(method, dict):
            continue
        raw_channel = str(method.get("submissionMethod") or "").strip()
        channel = CHANNELS.get(raw_channel.upper())
        if channel is None:
            mapper.warn("unknown_channel", f"unknown submission method {raw_channel!r}: kept as is")
            channel = raw_channel.lower()
        raw_time = method.get("processingTime")
        duration = _number(raw_time)
        entry = {
            "channel": str(channel),
            "duration": duration,
            "duration_unit": str(_unit(method.get("processingTimeUnit"), mapper, f"channel {channel}",
                                       silent_other=True)),
            "description": mapper.text(method.get("description"), "executionMethods", multiline=True),
            "fees": [
                {
                    "description": mapper.text(fee.get("description"), "fees", multiline=True),
                    "amount": _number(fee.get("value")),
                    "currency": mapper.text(fee.get("currencyName"), "fees"),
                    "type": mapper.text(fee.get("type"), "fees"),
                }
                for fee in method.get("fees") or () if isinstance(fee, dict)
            ],
        }
        if duration is None and raw_time not in (None, ""):
            entry["duration_text"] = mapper.text(raw_time, "processingTime", multiline=True)
        channels.append(entry)

    legal_bases = []
    for basis in data.get("legalBasisesDetails") or ():
        if isinstance(basis, dict):
            item = {"code": mapper.text(basis.get("code"), "legalBasises"),
                    "name": mapper.text(basis.get("name"), "legalBasises")}
            if item["code"] or item["name"]:
                legal_bases.append(item)

    components = _components(data.get("profileComponents"), "", mapper)
    for group in data.get("executionCases") or ():
        if isinstance(group, dict):
            components += _components(group.get("profileComponents"), mapper.text(group.get("name"), "executionCases"),
                                      mapper)

    steps = []
    for step in data.get("executionSteps") or ():
        if isinstance(step, dict):
            title = mapper.text(step.get("name"), "executionSteps")
            body = mapper.text(step.get("description"), "executionSteps", multiline=True)
            steps.append("\n".join(part for part in (title, body) if part))
        elif isinstance(step, str):
            steps.append(mapper.text(step, "executionSteps", multiline=True))

    applicants = mapper.names(data.get("subjectTypesDetails"), "subjectTypesDetails") or mapper.names(
        data.get("formalityTargetType"), "formalityTargetType")

    values = {
        "name": mapper.text(data.get("name"), "name"),
        "promulgating_body": mapper.text(data.get("departmentPromulgateName"), "departmentPromulgateName"),
        "executing_bodies": executing,
        "is_commune_level": bool(data.get("isWard")),
        "is_province_level": bool(data.get("isProvince")),
        "is_ministry_level": bool(data.get("isMinistry")),
        "is_vertical_level": bool(data.get("isVertical")),
        "is_other_level": bool(data.get("isOtherAgency")),
        "state": mapper.text(data.get("state"), "state"),
        "procedure_type": mapper.text(data.get("type"), "type"),
        "applicants": applicants,
        "results": mapper.names(data.get("resultsDetails"), "resultsDetails"),
        "channels": channels,
        "legal_bases": legal_bases,
        "dossier_components": components,
        "steps_text": "\n\n".join(s for s in steps if s),
        "conditions": mapper.text(data.get("requirementsAndConditions"), "requirementsAndConditions", multiline=True),
        "has_detail": True,
        "source_id": mapper.text(data.get("id"), "id"),
        "source_created_at": _moment(data.get("createdAt"), mapper, "createdAt"),
        "source_updated_at": _moment(data.get("updatedAt"), mapper, "updatedAt"),
    }
    record = MappedRecord("detail", code, values, field_name=mapper.text(category.get("name"), "category"),
                          field_code=mapper.text(category.get("code"), "category")[:60])
    record.cases = _map_cases(data.get("cases"), code, values["name"], mapper)
    return record


def _map_cases(items, code: str, procedure_name: str, mapper: _Mapper) -> list[dict]:
    cases: dict[str, dict] = {}
    for index, item in enumerate(items or (), 1):
        if not isinstance(item, dict):
            continue
        case_code = mapper.text(item.get("code"), "cases")
        if not case_code:
            case_code = f"{code}.{index:02d}"
            mapper.warn("case_without_code", f"case {index} has no code: imported as {case_code}")
        if len(case_code) > 50:
            case_code = case_code[:50]
            mapper.warn("truncated", f"case code longer than 50 characters: shortened to {case_code}")
        processing = item.get("processingDay") if isinstance(item.get("processingDay"), dict) else {}
        quantity = _number(processing.get("qty"))
        duration = None
        if quantity is None:
            mapper.warn("case_without_duration", f"case {case_code} has no duration")
        elif abs(quantity) > MAX_DURATION:
            mapper.warn("case_without_duration", f"case {case_code}: duration {quantity} is out of range; left empty")
        else:
            duration = Decimal(str(quantity)).quantize(Decimal("0.01"))
        case = {
            "code": case_code,
            "name": mapper.text(item.get("name"), "cases") or procedure_name,
            "duration": duration,
            # no duration and no unit: one warning (above) is enough
            "duration_unit": str(_unit(processing.get("type"), mapper, f"case {case_code}",
                                       silent_other=quantity is None and not processing.get("type"))),
            "dossier_components": _components(item.get("profileComponents"), "", mapper),
        }
        # The portal repeats some cases under the same code (same content, another id): merged silently.
        if case_code in cases and cases[case_code] != case:
            mapper.warn("duplicate_case_code", f"case {case_code} appears twice with different content: "
                                               f"the later one wins")
        cases[case_code] = case
    return list(cases.values())


# --- Comparing ----------------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def _plain(value):
    """A JSON-ready form of a value, for ProcedureChange.before/after."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Field):
        return value.name
    return value


def _canonical(value) -> list:
    return sorted(json.dumps(v, sort_keys=True, ensure_ascii=False, default=str) for v in value or ())


def _same(name: str, old, new) -> bool:
    if name == "field":
        return (old.pk if old else None) == (new.pk if new else None)
    if name in UNORDERED:
        return _canonical(old) == _canonical(new)
    return old == new


def _case_summary(case) -> dict:
    return {"name": case["name"], "duration": _plain(case["duration"]), "duration_unit": case["duration_unit"]}


# --- Importing ----------------------------------------------------------------------------------------


class CatalogImporter:
    """Imports files into the catalogue, keeping counts and the report on `run`."""

    def __init__(self, run: ImportRun, progress: Callable[[int, int | None], None] | None = None):
        self.run = run
        self.progress = progress
        self.counts = {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "failed": 0, "warnings": 0}
        self.report: list[dict] = []
        self.dropped = 0
        self._flushed_report = 0
        self.fields = {f.name: f for f in Field.objects.all()}
        self._pending: list = []  # new procedures of the current group: (item, record, values)
        self._pending_codes: set = set()

    # report -------------------------------------------------------------------------------------------

    def problem(self, *, file: str, line, code: str, level: str, kind: str, message: str) -> None:
        if level == WARNING:
            self.counts["warnings"] += 1
        if len(self.report) >= REPORT_LIMIT:
            self.dropped += 1
            return
        self.report.append({"file": file, "line": line, "code": code, "level": level, "kind": kind,
                            "message": message})

    def _fail(self, item: SourceItem, code: str, kind: str, message: str) -> None:
        self.counts["failed"] += 1
        self.problem(file=item.file, line=item.line, code=code, level=ERROR, kind=kind, message=message)

    def _final_report(self) -> list[dict]:
        if not self.dropped:
            return self.report
        return self.report + [{"file": "", "line": None, "code": "", "level": WARNING, "kind": "report_truncated",
                               "message": f"{self.dropped} more problems are not listed"}]

    def flush(self) -> None:
        """Write the counts (and the report when it grew) to the ImportRun row; call `progress`."""
        values = dict(self.counts)
        if len(self.report) != self._flushed_report or self.dropped:
            values["report"] = self._final_report()
            self._flushed_report = len(self.report)
        ImportRun.objects.filter(pk=self.run.pk).update(**values)
        for name, value in values.items():
            setattr(self.run, name, value)
        if self.progress is not None:
            self.progress(self.counts["total"], self.run.expected)

    # run ----------------------------------------------------------------------------------------------

    def import_paths(self, paths: Iterable) -> ImportRun:
        files = expand_paths(paths)
        if not files:
            self.problem(file="", line=None, code="", level=ERROR, kind="no_files", message="no file to import")
        scans = [scan_file(path) for path in files]
        counts = [scan.count for scan in scans]
        self.run.expected = None if None in counts else sum(counts)
        ImportRun.objects.filter(pk=self.run.pk).update(expected=self.run.expected)
        batch: list[SourceItem] = []
        for scan in scans:
            if scan.count == 0:
                self.problem(file=scan.path.name, line=None, code="", level=ERROR, kind="no_records",
                             message="no record in this file")
                continue
            ordinal = -1
            try:
                for ordinal, item in enumerate(read_file(scan.path)):
                    if scan.last and not item.error:
                        key = record_key(item.payload)
                        last = scan.last.get(key)
                        if last is not None and last[0] != ordinal:
                            item.payload, item.replaced_by, item.code = None, last[1], key.split(" ", 1)[1]
                    batch.append(item)
                    if len(batch) >= CHUNK_SIZE:
                        self.process_chunk(batch)
                        batch = []
            except READ_ERRORS as exc:
                self.process_chunk(batch)
                batch = []
                where = "to the end" if ordinal >= 0 else "at all"
                self.problem(file=scan.path.name, line=None, code="", level=ERROR, kind="unreadable_file",
                             message=f"the file could not be read {where}: {exc}")
        self.process_chunk(batch)
        return self.finish()

    def finish(self) -> ImportRun:
        imported = self.counts["created"] + self.counts["updated"] + self.counts["unchanged"]
        self.run.status = ImportStatus.DONE if imported else ImportStatus.FAILED
        self.run.finished_at = timezone.now()
        for name, value in self.counts.items():
            setattr(self.run, name, value)
        self.run.report = self._final_report()
        self.run.save(update_fields=["status", "finished_at", "report", *self.counts])
        if self.progress is not None:
            self.progress(self.counts["total"], self.run.expected)
        return self.run

    def process_chunk(self, items: list[SourceItem]) -> None:
        if not items:
            return
        mapped: list[tuple[SourceItem, MappedRecord | RecordError | None]] = []
        for item in items:
            if item.replaced_by is not None:
                mapped.append((item, None))
                continue
            if item.error:
                mapped.append((item, RecordError(item.kind, item.error)))
                continue
            try:
                mapped.append((item, map_payload(item.payload)))
            except RecordError as exc:
                mapped.append((item, exc))
            item.payload = None  # the mapped values are all that is needed from here on
        codes = {record.code for _, record in mapped if isinstance(record, MappedRecord)}
        existing = {p.code: p for p in Procedure.objects.filter(code__in=codes).select_related("field")}
        detail_ids = {existing[r.code].pk for _, r in mapped
                      if isinstance(r, MappedRecord) and r.is_detail and r.code in existing}
        cases: dict = defaultdict(dict)
        for case in ProcedureCase.objects.filter(procedure_id__in=detail_ids):
            cases[case.procedure_id][case.code] = case
        for start in range(0, len(mapped), COMMIT_EVERY):
            with transaction.atomic():
                for item, record in mapped[start:start + COMMIT_EVERY]:
                    self.counts["total"] += 1
                    if record is None:
                        self.problem(file=item.file, line=item.line, code=item.code, level=WARNING,
                                     kind="duplicate_code", message=f"the same code is on line {item.replaced_by} "
                                     f"of this file: this record is skipped, the later one wins")
                    elif isinstance(record, RecordError):
                        self._fail(item, record.code, record.kind, record.message)
                    else:
                        self.apply(item, record, existing, cases)
                self.create_pending(existing, cases)
            self.flush()

    def apply(self, item: SourceItem, record: MappedRecord, existing: dict, cases: dict) -> None:
        for level, kind, message in record.problems:
            self.problem(file=item.file, line=item.line, code=record.code, level=level, kind=kind, message=message)
        if record.code in self._pending_codes:  # created by an earlier record of this group (other shape)
            self.create_pending(existing, cases)
        values = dict(record.values, field=self._field(record.field_name, record.field_code))
        procedure = existing.get(record.code)
        if procedure is None:
            self._pending.append((item, record, values))
            self._pending_codes.add(record.code)
            return
        plan = self.plan_update(record, values, procedure, cases[procedure.pk])
        if plan is None:
            self.counts["unchanged"] += 1
            return
        try:
            with transaction.atomic():
                self.write_update(procedure, plan, cases[procedure.pk])
        except Exception as exc:  # noqa: BLE001 — one bad record must never stop the others
            self._save_failed(item, record, exc, existing, cases)
            return
        self.counts["updated"] += 1

    def _save_failed(self, item, record, exc, existing, cases) -> None:
        logger.warning("catalogue import: %s line %s (%s) not saved: %s", item.file, item.line, record.code, exc)
        self._fail(item, record.code, "save_failed", f"could not be saved: {exc}")
        procedure = Procedure.objects.filter(code=record.code).select_related("field").first()
        if procedure is None:
            existing.pop(record.code, None)
        else:  # the objects in memory may hold the values that were not saved
            existing[record.code] = procedure
            cases[procedure.pk] = {c.code: c for c in procedure.cases.all()}

    def _field(self, name: str, code: str):
        """The field named `name`, created when new (in its own savepoint: it stays even if the record fails)."""
        if not name:
            return None
        found = self.fields.get(name)
        if found is None:
            with transaction.atomic():
                found, _ = Field.objects.get_or_create(name=name, defaults={"code": code})
            self.fields[name] = found
        if code and not found.code:
            found.code = code
            with transaction.atomic():
                Field.objects.filter(pk=found.pk, code="").update(code=code)
        return found

    # creating ---------------------------------------------------------------------------------------------

    def create_pending(self, existing: dict, cases: dict) -> None:
        """Insert the new procedures of the group (and their cases) in bulk; if that fails, one by one, so
        that only the records that cannot be saved are lost and reported."""
        pending, self._pending, self._pending_codes = self._pending, [], set()
        if not pending:
            return
        procedures = [self._new_procedure(record, values) for _, record, values in pending]
        try:
            with transaction.atomic():
                Procedure.objects.bulk_create(procedures)
                created_cases = ProcedureCase.objects.bulk_create([
                    ProcedureCase(procedure=procedure, **case)
                    for procedure, (_, record, _) in zip(procedures, pending, strict=True)
                    for case in record.cases or ()
                ])
        except Exception:  # noqa: BLE001 — retried record by record below
            for item, record, values in pending:
                procedure = self._new_procedure(record, values)
                try:
                    with transaction.atomic():
                        procedure.save()
                        created_cases = ProcedureCase.objects.bulk_create(
                            [ProcedureCase(procedure=procedure, **case) for case in record.cases or ()])
                except Exception as exc:  # noqa: BLE001 — one bad record must never stop the others
                    self._save_failed(item, record, exc, existing, cases)
                    continue
                self._created(procedure, created_cases, existing, cases)
            return
        by_procedure = defaultdict(list)
        for case in created_cases:
            by_procedure[case.procedure_id].append(case)
        for procedure in procedures:
            self._created(procedure, by_procedure[procedure.pk], existing, cases)

    @staticmethod
    def _new_procedure(record: MappedRecord, values: dict) -> Procedure:
        procedure = Procedure(code=record.code, **values)
        procedure.search_text = fold(f"{procedure.code} {procedure.name}")  # what Procedure.save() computes
        procedure.imported_at = timezone.now()
        return procedure

    def _created(self, procedure, created_cases, existing, cases) -> None:
        existing[procedure.code] = procedure
        cases[procedure.pk] = {case.code: case for case in created_cases}
        self.counts["created"] += 1

    # updating ---------------------------------------------------------------------------------------------

    def plan_update(self, record: MappedRecord, values: dict, procedure: Procedure, stored_cases: dict):
        """What a record changes in a stored procedure, without touching it: (updates, changes, case
        operations), or None when nothing changes."""
        had_detail = procedure.has_detail
        same_source = record.is_detail == had_detail
        updates: dict = {}
        changes: list[ProcedureChange] = []
        for name, new in values.items():
            old = getattr(procedure, name)
            if _same(name, old, new):
                continue
            if _blank(new) and (name in NEVER_BLANK or (record.is_detail and name in SHARED_FIELDS)):
                continue  # a blank never wipes what the other shape brought
            if not record.is_detail and had_detail and (
                name in LEVEL_FLAGS or (name in SHARED_FIELDS and not _blank(old))
            ):
                continue  # a catalogue line only fills the blanks a detail left
            updates[name] = new
            if name not in META_FIELDS and (same_source or (name in IDENTITY_FIELDS and not _blank(old))):
                changes.append(ProcedureChange(procedure=procedure, field_name=name, before=_plain(old),
                                               after=_plain(new), is_significant=name in SIGNIFICANT))
        case_plan = None
        if record.cases is not None:
            case_plan = self.plan_cases(procedure, record.cases, stored_cases, changes, record_changes=had_detail)
        if not updates and case_plan is None:
            return None
        return updates, changes, case_plan

    @staticmethod
    def plan_cases(procedure: Procedure, new_cases: list, stored: dict, changes: list, *, record_changes: bool):
        """Case operations (create, update {case: {field: value}}, remove), compared per case code; None
        when the cases did not change."""
        def change(name, before, after, significant):
            if record_changes:
                changes.append(ProcedureChange(procedure=procedure, field_name=name[:60], before=before, after=after,
                                               is_significant=significant))

        to_create, to_update = [], []
        incoming = {case["code"] for case in new_cases}
        for case in new_cases:
            current = stored.get(case["code"])
            if current is None:
                to_create.append(case)
                change(f"case {case['code']}", None, _case_summary(case), True)
                continue
            dirty = {}
            for name in ("name", "duration", "duration_unit", "dossier_components"):
                old, new = getattr(current, name), case[name]
                if old != new:
                    dirty[name] = new
                    change(f"case {case['code']}: {name}", _plain(old), _plain(new),
                           name in ("duration", "duration_unit"))
            if dirty:
                to_update.append((current, dirty))
        removed = [case for code, case in stored.items() if code not in incoming]
        for case in removed:
            change(f"case {case.code}", _case_summary(vars(case)), None, True)
        if not (to_create or to_update or removed):
            return None
        return to_create, to_update, removed

    @staticmethod
    def write_update(procedure: Procedure, plan, stored_cases: dict) -> None:
        updates, changes, case_plan = plan
        if updates:
            for name, new in updates.items():
                setattr(procedure, name, new)
            procedure.save(update_fields=[*updates, "search_text", "imported_at"])
        if case_plan is not None:
            to_create, to_update, removed = case_plan
            if removed:
                ProcedureCase.objects.filter(pk__in=[c.pk for c in removed]).delete()
                for case in removed:
                    stored_cases.pop(case.code, None)
            for case in ProcedureCase.objects.bulk_create(
                [ProcedureCase(procedure=procedure, **data) for data in to_create]
            ):
                stored_cases[case.code] = case
            for case, dirty in to_update:
                for name, value in dirty.items():
                    setattr(case, name, value)
                case.save(update_fields=list(dirty))
        if changes:
            ProcedureChange.objects.bulk_create(changes)
