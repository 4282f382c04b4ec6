"""Mapping a catalogue line or a detail record to the values of Procedure and its cases."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from eiso.catalog.choices import DurationUnit
from eiso.catalog.importer.constants import (
    CATALOGUE_KEYS,
    CHANNELS,
    DETAIL_KEYS,
    MAX_DURATION,
    MAX_LENGTHS,
    SILENT_UNKNOWN_UNITS,
    UNITS,
    UNORDERED,
    WARNING,
    RecordError,
)
from eiso.catalog.models import Field
from eiso.catalog.text import clean_text, match_key

logger = logging.getLogger(__name__)


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

    @property
    def source_id(self) -> str:
        return self.values.get("source_id") or ""


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


