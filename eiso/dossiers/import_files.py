"""Reading the files of a one-stop system's dossier export: the columns (docs/dossier-import.md), the CSV and JSON
readers (each row with its line in the file), the values (statuses, channels, Vietnamese and ISO dates), and the
import report. Writing the rows is importer.py's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from eiso.catalog.choices import Channel
from eiso.core.errors import ApplicationError
from eiso.core.text import fold
from eiso.dossiers.choices import DossierStatus

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LINE_KEY = "_line"

COLUMNS = ("code", "procedure_code", "case_code", "applicant_name", "applicant_id_number", "applicant_phone",
           "channel", "received", "due", "finished", "returned", "status", "steps")
REQUIRED = ("code", "procedure_code", "applicant_name", "received", "due")
MAX_LENGTHS = {"code": 60, "applicant_name": 300, "applicant_id_number": 30, "applicant_phone": 20}
STEP_MAX_RESPONSIBLE = 300

# Values of `status` and `channel`, compared folded (lower case, no diacritics, "_" and "-" as spaces); the
# Vietnamese labels of the choices are accepted too (added at run time from the catalogue).
STATUS_WORDS = {
    DossierStatus.IN_PROGRESS: ("in progress", "dang xu ly", "dang giai quyet", "dang thu ly", "dang thuc hien",
                                "cho xu ly", "da tiep nhan", "moi tiep nhan", "tiep nhan"),
    DossierStatus.SUSPENDED: ("suspended", "tam dung", "tam dung xu ly", "cho bo sung", "cho bo sung ho so",
                              "yeu cau bo sung", "cho nop phi", "cho thuc hien nghia vu tai chinh"),
    DossierStatus.RESULT_READY: ("result ready", "da co ket qua", "co ket qua", "cho tra ket qua", "da giai quyet",
                                 "da xu ly xong", "xu ly xong", "hoan thanh", "da hoan thanh"),
    DossierStatus.RETURNED: ("returned", "da tra ket qua", "da tra", "tra ket qua"),
    DossierStatus.REFUSED: ("refused", "tu choi", "tu choi giai quyet", "bi tu choi", "khong giai quyet",
                            "khong du dieu kien giai quyet"),
    DossierStatus.STOPPED: ("stopped", "dung xu ly", "dung giai quyet", "ngung xu ly", "ngung giai quyet"),
    DossierStatus.WITHDRAWN: ("withdrawn", "rut ho so", "da rut ho so", "da rut", "cong dan rut ho so"),
}
CHANNEL_WORDS = {
    Channel.DIRECT: ("direct", "in person", "truc tiep", "nop truc tiep", "tai bo phan mot cua"),
    Channel.POSTAL: ("postal", "by post", "buu chinh", "qua buu chinh", "buu chinh cong ich",
                     "dich vu buu chinh cong ich", "buu dien", "qua buu dien"),
    Channel.ONLINE: ("online", "truc tuyen", "nop truc tuyen", "dich vu cong truc tuyen", "qua mang"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Vietnamese order: 25/11/2026 09:00[:00], 09:00 25/11/2026, 25-11-2026 9h05, 25.11.2026 (a date alone).
_VN_DATE = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
_VN_TIME = r"(?P<hour>\d{1,2})[:hH](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
_VN_MOMENTS = (re.compile(rf"^{_VN_DATE}(?:[ T]+{_VN_TIME})?$"), re.compile(rf"^{_VN_TIME}\s+{_VN_DATE}$"))


# --- Report ---------------------------------------------------------------------------------------------------


@dataclass
class Rejection:
    line: int
    code: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def total(self) -> int:
        return self.imported + len(self.rejected)

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": len(self.rejected)}

    def write_csv(self, file) -> None:
        """All rejected rows as CSV (line, code, reason) to a text file."""
        writer = csv.writer(file)
        writer.writerow(["line", "code", "reason"])
        for rejection in self.rejected:
            writer.writerow([rejection.line, rejection.code, rejection.reason])


class RowError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Reading --------------------------------------------------------------------------------------------------

_column_names: dict = {}


def column_name(header) -> str:
    """"Procedure code", "procedure-code", " PROCEDURE_CODE " → "procedure_code"."""
    key = str(header)
    name = _column_names.get(key)
    if name is None:
        name = "_".join(fold(key.replace("-", " ").replace("_", " ")).split())
        if len(_column_names) < 1000:
            _column_names[key] = name
    return name


def _text_file(file):
    """A text view of `file` (binary files are read as UTF-8, a BOM skipped)."""
    if isinstance(file.read(0), bytes):
        return io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    return file


def _unreadable(line: int, exc: Exception) -> ApplicationError:
    if isinstance(exc, UnicodeError):
        return ApplicationError(_("The file is not in UTF-8 (near line %(line)d). Save it as “CSV UTF-8” or JSON in "
                                  "UTF-8 and import it again.") % {"line": line}, code="invalid_file")
    return ApplicationError(_("The file cannot be read after line %(line)d: %(error)s") % {"line": line, "error": exc},
                            code="invalid_file")


def read_csv(file) -> Iterator[dict]:
    """Rows of a CSV file with a header line (column names: docs/dossier-import.md), each with its line number under
    "_line". The delimiter (comma, semicolon or tab) is the one the header uses most. A file without one of the
    required columns is refused (ApplicationError) before any row is read."""
    text = _text_file(file)
    try:
        header_line = text.readline()
    except UnicodeError as exc:
        raise _unreadable(1, exc) from exc
    if header_line.startswith("\ufeff"):
        header_line = header_line[1:]
    if not header_line.strip():
        raise ApplicationError(_("The file is empty: the first line must name the columns."), code="invalid_file")
    delimiter = max((",", ";", "\t"), key=header_line.count)
    header = [column_name(name) for name in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ApplicationError(_("The file has no column %(columns)s. The first line must name the columns: "
                                 "%(expected)s.") % {"columns": ", ".join(missing),
                                                      "expected": ", ".join(c for c in COLUMNS if c != "steps")},
                               code="invalid_file")
    reader = csv.reader(text, delimiter=delimiter)
    line = 1
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except (UnicodeError, csv.Error) as exc:
            raise _unreadable(start, exc) from exc
        line = 1 + reader.line_num
        if not any(value.strip() for value in values):
            continue
        row = {name: value for name, value in zip(header, values, strict=False) if name}
        row[LINE_KEY] = start
        yield row


def read_json(file) -> Iterator[dict]:
    """Elements of a JSON array of dossier objects, each object with the line where it starts under "_line"."""
    text = _text_file(file)
    try:
        content = text.read()
    except UnicodeError as exc:
        raise _unreadable(1, exc) from exc
    content = content.lstrip("\ufeff")
    decoder = json.JSONDecoder()
    pos, line = 0, 1

    def skip(chars: str) -> None:
        nonlocal pos, line
        while pos < len(content) and content[pos] in chars:
            line += content[pos] == "\n"
            pos += 1

    skip(" \t\r\n")
    if pos >= len(content) or content[pos] != "[":
        raise ApplicationError(_("A JSON file must hold a list of dossiers: [{\"code\": ...}, ...]."),
                               code="invalid_file")
    pos += 1
    while True:
        skip(" \t\r\n,")
        if pos >= len(content):
            raise ApplicationError(_("The JSON list is not closed with “]”."), code="invalid_file")
        if content[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(content, pos)
        except json.JSONDecodeError as exc:
            raise ApplicationError(_("The JSON is malformed at line %(line)d: %(error)s")
                                   % {"line": exc.lineno, "error": exc.msg}, code="invalid_file") from exc
        if isinstance(value, dict):
            value = dict(value)
            value[LINE_KEY] = line
        yield value
        line += content.count("\n", pos, end)
        pos = end


# --- Values ---------------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def word_key(value: str) -> str:
    return fold(value.replace("_", " ").replace("-", " "))


def word_table(table: dict, choices) -> dict:
    words = {}
    for value, synonyms in table.items():
        words[word_key(value)] = value
        for word in synonyms:
            words[word] = value
    with translation.override("vi"):
        for value, label in choices.choices:
            if value in table:
                words.setdefault(word_key(str(label)), value)
    return words


def parse_moment(text: str, *, end_of_day: bool = False) -> dt.datetime:
    """An aware moment from ISO 8601 ("2026-11-25 09:00", "2026-11-25T09:00:00+07:00") or a Vietnamese date
    ("25/11/2026 09:00", "09:00 25/11/2026"); a time without offset is Asia/Ho_Chi_Minh time. A date alone is the
    start of the day, or its end with `end_of_day` (a due date: the whole day). ValueError when not a date."""
    value, date_only = None, False
    for pattern in _VN_MOMENTS:
        match = pattern.match(text)
        if match is not None:
            parts = match.groupdict()
            date_only = parts["hour"] is None
            value = dt.datetime(int(parts["year"]), int(parts["month"]), int(parts["day"]), int(parts["hour"] or 0),
                                int(parts["minute"] or 0), int(parts["second"] or 0))  # ValueError: 31/11
            break
    else:
        value = dt.datetime.fromisoformat(text)
        date_only = bool(_ISO_DATE.match(text))
    if not 1990 <= value.year <= 2100:
        raise ValueError(text)
    if date_only and end_of_day:
        value = value.replace(hour=23, minute=59, second=59)
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value
