"""Importing a course's participants from an XLSX workbook (agency code, full name, position). The first row is a
header when it names the columns (in English or Vietnamese, in any order), else the columns are A, B, C. Each bad row
is reported with its line in the sheet and the reason (`RowRejection`) and skipped; every good row is added, in one
transaction, with an audit entry. A file that is not a readable workbook, or has no row, is refused whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import ApplicationError
from eiso.core.models import AuditAction
from eiso.core.text import fold
from eiso.trainings.models import Participant, Training
from eiso.trainings.services import (
    MAX_NAME,
    _clean,
    _locked_training,
    _person_key,
    _require_authority,
    agency_refusal,
)

MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class RowRejection:
    line: int  # the row's number in the sheet, as Excel shows it
    values: list  # agency code, full name, position as read
    reason: str


@dataclass
class ImportResult:
    added: list = field(default_factory=list)  # the participants created
    rejected: list = field(default_factory=list)  # RowRejection, in sheet order

    @property
    def total(self) -> int:
        return len(self.added) + len(self.rejected)


POSITIONAL_COLUMNS = {"agency": 0, "full_name": 1, "position": 2}
HEADER_NAMES = {
    "agency": ("agency code", "ma co quan", "ma don vi", "ma", "code", "agency", "co quan", "don vi"),
    "full_name": ("full name", "ho va ten", "ho ten", "name", "ten", "hoc vien", "ho va ten hoc vien"),
    "position": ("position", "chuc vu", "chuc danh", "chuc vu chuc danh"),
}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _columns(first_row: list[str]) -> dict | None:
    """Column positions from a header row, or None when the first row is data (columns A, B, C)."""
    found = {}
    for index, text in enumerate(first_row):
        key = fold(text).rstrip(":")
        for name, words in HEADER_NAMES.items():
            if key in words and name not in found:
                found[name] = index
    return found if {"agency", "full_name"} <= set(found) else None


def read_participant_rows(file) -> list[tuple[int, list[str]]]:
    """(line, [agency code, full name, position]) for every non-empty row of the workbook's first sheet. The first
    row is a header when it names the columns (in English or Vietnamese, any order); otherwise the columns are A, B,
    C. A file that is not a readable XLSX workbook is refused."""
    from openpyxl import load_workbook

    from eiso.core.files import check_upload

    check_upload(file, allowed=frozenset({"xlsx"}), max_bytes=MAX_IMPORT_BYTES)
    file.seek(0)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ApplicationError(_("The workbook cannot be read (%(error)s). Save it again as .xlsx and retry.")
                               % {"error": exc.__class__.__name__}, code="invalid_file",
                               errors={"file": [_("Unreadable workbook.")]}) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        columns = None
        for line, raw in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in raw]
            if not any(cells):
                continue
            if columns is None:  # the first non-empty row: a header, or already data
                columns = _columns(cells)
                if columns is not None:
                    continue
                columns = POSITIONAL_COLUMNS
            picked = [cells[columns[name]] if name in columns and columns[name] < len(cells) else ""
                      for name in ("agency", "full_name", "position")]
            rows.append((line, picked))
            if len(rows) > MAX_IMPORT_ROWS:
                raise ApplicationError(_("The workbook has more than %(n)s rows: split it and import each part.")
                                       % {"n": MAX_IMPORT_ROWS}, code="too_many_rows")
        return rows
    finally:
        book.close()


@transaction.atomic
def participants_import(*, actor, training: Training, file) -> ImportResult:
    """Add the participants listed in an XLSX workbook (agency code, full name, position). Each bad row is reported
    with its line and the reason (unknown agency code, an agency of another province, no name, a name too long, a
    person already on the course or listed twice) and skipped; every good row is added."""
    training = _locked_training(training)
    _require_authority(actor, training.agency)
    rows = read_participant_rows(file)
    if not rows:
        raise ApplicationError(_("The workbook has no rows: list one participant per row (agency code, full name, "
                                 "position)."), code="empty_file", errors={"file": [_("No rows.")]})
    from eiso.organizations.models import Agency

    codes = {code.upper() for _line, (code, _name, _position) in rows if code}
    agencies = {agency.code.upper(): agency for agency in
                Agency.objects.annotate(code_upper=Upper("code")).filter(code_upper__in=codes)}
    taken = {_person_key(p.agency_id, p.full_name, p.position) for p in training.participants.all()}
    result = ImportResult()
    for line, values in rows:
        code, full_name, position = values
        reason = None
        agency = agencies.get(code.upper()) if code else None
        if not code:
            reason = _("The agency code is missing.")
        elif agency is None:
            reason = _("Unknown agency code “%(code)s”.") % {"code": code[:40]}
        else:
            reason = agency_refusal(training, agency)
        if reason is None:
            if not full_name:
                reason = _("The full name is missing.")
            elif len(full_name) > MAX_NAME or len(position) > MAX_NAME:
                reason = _("The name or the position is longer than %(n)s characters.") % {"n": MAX_NAME}
        if reason is None:
            key = _person_key(agency.pk, full_name, position)
            if key in taken:
                reason = _("%(name)s of %(agency)s is already on this course.") % {"name": full_name,
                                                                                   "agency": agency}
        if reason is not None:
            result.rejected.append(RowRejection(line, values, reason))
            continue
        taken.add(key)
        participant = Participant(agency=agency, training=training, full_name=full_name, position=position)
        _clean(participant)
        participant.save()
        audit_record(actor=actor, instance=participant, action=AuditAction.CREATE,
                     note=_("Imported from a workbook, row %(line)s") % {"line": line})
        result.added.append(participant)
    return result


def import_template_xlsx() -> bytes:
    """An empty workbook with the columns the import reads, and one example row."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Participants")
    sheet.append([_("Agency code"), _("Full name"), _("Position")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["LCI-STP", "Nguyễn Văn An", "Chuyên viên"])
    for letter, width in zip("ABC", (20, 36, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


