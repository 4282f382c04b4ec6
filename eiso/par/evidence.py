"""The PAR-index evidence of one agency's year as one ZIP download: an index workbook (the criteria with their
points and what the records say, and the list of evidence files) and the files eISO can produce — the
announcement decision, the year's internal audit reports, the management review minutes, the legal-update log,
the periodic report to the supervising authority and the compliance evidence index.

Every record is read among what the requesting user may see (`restrict`), so the export never shows more than
the pages would. A generator of an app this installation does not have yet leaves its file out, with the reason
in the index.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.compliance import contracts
from eiso.par.selectors import AgencyScore, legal_update_tasks

DECISION_DOCX = "eiso.announcements.documents.decision_docx"
CURRENT_ANNOUNCEMENT = "eiso.announcements.selectors.current_announcement"
REPORT_DOCX = "eiso.reporting.documents.report_docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDEX_NAME = "00-chi-muc.xlsx"


@dataclass
class EvidenceFile:
    name: str
    title: str
    content: bytes


@dataclass
class Evidence:
    files: list[EvidenceFile] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (title, reason)

    def add(self, name: str, title: str, content: bytes) -> None:
        self.files.append(EvidenceFile(f"{len(self.files) + 1:02d}-{name}", title, content))


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _workbook():
    from openpyxl import Workbook

    return Workbook()


def _bold_row(sheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- The files -----------------------------------------------------------------------------------------------


def _announcement(evidence: Evidence, *, agency, year: int) -> None:
    title = _("Conformity announcement decision")
    current, render = contracts.resolve(CURRENT_ANNOUNCEMENT), contracts.resolve(DECISION_DOCX)
    if current is None or render is None:
        evidence.missing.append((title, _("Not available in this installation yet.")))
        return
    announcement = current(agency)
    if announcement is None:
        evidence.missing.append((title, _("No conformity announcement in force.")))
        return
    evidence.add("quyet-dinh-cong-bo.docx", f"{title}: {announcement}", render(announcement))


def _audits(evidence: Evidence, *, user, agency, year: int) -> None:
    from eiso.audits.choices import AuditStatus
    from eiso.audits.models import InternalAudit
    from eiso.audits.selectors import audit_document_data
    from eiso.reports.audit_docx import render_audit_report_docx

    audits = (InternalAudit.objects.restrict(user, "view")
              .filter(agency=agency, programme__year=year, status=AuditStatus.COMPLETED)
              .select_related("agency", "agency__parent", "agency__province", "programme", "lead_auditor")
              .order_by("sequence"))
    for audit in audits:
        evidence.add(f"bao-cao-danh-gia-noi-bo-{audit.sequence:02d}.docx",
                     _("Internal audit report %(number)s") % {"number": audit.number},
                     render_audit_report_docx(audit_document_data(audit)))
    if not audits:
        evidence.missing.append((_("Internal audit report"),
                                 _("No internal audit completed in %(year)s.") % {"year": year}))


def _reviews(evidence: Evidence, *, user, agency, year: int) -> None:
    from eiso.reports.review_docx import render_review_minutes_docx, review_minutes_snapshot
    from eiso.reviews.choices import HELD_STATUSES
    from eiso.reviews.models import ManagementReview

    reviews = (ManagementReview.objects.restrict(user, "view")
               .filter(agency=agency, year=year, status__in=HELD_STATUSES)
               .select_related("agency", "agency__parent", "agency__province", "chair", "secretary",
                               "effectiveness_confirmed_by").order_by("number"))
    for review in reviews:
        evidence.add(f"bien-ban-xem-xet-{review.number:02d}.docx",
                     _("Minutes of management review %(review)s") % {"review": review},
                     render_review_minutes_docx(review_minutes_snapshot(review)))
    if not reviews:
        evidence.missing.append((_("Minutes of the management review"),
                                 _("No management review held in %(year)s.") % {"year": year}))


def legal_log_xlsx(*, user, agency, year: int) -> bytes:
    """The legal-update log of the year: each update task (due in the year or closed in it) with its deadline,
    when it was closed and whether that was within the deadline."""
    from eiso.legal.models import UpdateTask

    visible = UpdateTask.objects.restrict(user, "view").values_list("pk", flat=True)
    tasks = legal_update_tasks(agency=agency, year=year).filter(pk__in=visible)
    book = _workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append([_("Legal-update log %(year)s — %(agency)s") % {"year": year, "agency": agency}])
    _bold_row(sheet, 1)
    sheet.append([_("Document"), _("Title"), _("Reason"), _("Change in the law"), _("Counted from"), _("Deadline"),
                  _("Status"), _("Closed on"), _("Within the deadline")])
    _bold_row(sheet, 2)
    for task in tasks:
        closed = timezone.localdate(task.closed_at) if task.closed_at else None
        on_time = "" if closed is None else (_("yes") if closed <= task.due_on else _("no"))
        source = task.legal_document.number if task.legal_document_id else (
            task.procedure.code if task.procedure_id else "")
        sheet.append([task.document.code, task.document.title, task.get_reason_display(), source, task.starts_on,
                      task.due_on, task.get_status_display(), closed, on_time])
        for column in (5, 6, 8):
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHI", (14, 50, 30, 22, 13, 13, 14, 13, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    return _save(book)


def periodic_reports(*, user, agency, year: int) -> list:
    """The agency's periodic reports of `year` that stand submitted (submitted or accepted), among those the user
    may see; an empty list while the reporting app is not installed."""
    try:
        from eiso.reporting.choices import RECEIVED_STATUSES
        from eiso.reporting.models import PeriodicReport
    except ImportError:
        return []
    return list(PeriodicReport.objects.restrict(user, "view")
                .filter(agency=agency, period__year=year, status__in=RECEIVED_STATUSES)
                .select_related("agency", "agency__province", "agency__parent", "period", "period__agency",
                                "signed_off_by").order_by("period__starts_on"))


def _report(evidence: Evidence, *, user, agency, year: int) -> None:
    title = _("Periodic report to the supervising authority")
    render = contracts.resolve(REPORT_DOCX)
    if render is None:
        evidence.missing.append((title, _("Not available in this installation yet.")))
        return
    reports = periodic_reports(user=user, agency=agency, year=year)
    for number, report in enumerate(reports, start=1):
        evidence.add(f"bao-cao-dinh-ky-{number:02d}.docx", f"{title}: {report}", render(report))
    if not reports:
        evidence.missing.append((title, _("No report of %(year)s submitted to the supervising authority.")
                                 % {"year": year}))


def _compliance_index(evidence: Evidence, *, user, agency, year: int, absolute) -> None:
    from eiso.compliance.evidence import evidence_folder, evidence_xlsx

    categories = evidence_folder(user=user, agency=agency, year=year)
    evidence.add(f"ho-so-minh-chung-{year}.xlsx", _("Evidence folder %(year)s (index)") % {"year": year},
                 evidence_xlsx(categories, agency=agency, year=year, absolute=absolute))


def gather(*, user, agency, year: int, absolute) -> Evidence:
    evidence = Evidence()
    _announcement(evidence, agency=agency, year=year)
    _audits(evidence, user=user, agency=agency, year=year)
    _reviews(evidence, user=user, agency=agency, year=year)
    evidence.add(f"nhat-ky-cap-nhat-van-ban-{year}.xlsx", _("Legal-update log %(year)s") % {"year": year},
                 legal_log_xlsx(user=user, agency=agency, year=year))
    _report(evidence, user=user, agency=agency, year=year)
    _compliance_index(evidence, user=user, agency=agency, year=year, absolute=absolute)
    return evidence


# --- The index and the ZIP ------------------------------------------------------------------------------------


def index_xlsx(score: AgencyScore, evidence: Evidence, *, today: dt.date) -> bytes:
    """Sheet 1: each criterion with its points and what the records say of each sub-item; sheet 2: the files of
    the export and what could not be included, and why."""
    book = _workbook()
    sheet = book.active
    sheet.title = _("Criteria")[:31]
    sheet.append([_("PAR index %(year)s — %(agency)s") % {"year": score.year, "agency": score.agency}])
    sheet.append([_("Computed from eISO's records on %(date)s") % {"date": _day(today)}])
    _bold_row(sheet, 1)
    sheet.append([_("Code"), _("Criterion"), _("Maximum points"), _("Points"), _("How points are given"),
                  _("Sub-item"), _("Met"), _("What the records say")])
    _bold_row(sheet, 3)
    for row in score.scores:
        criterion = row.criterion
        for number, item in enumerate(row.items):
            met = _("not available") if item.met is None else (_("yes") if item.met else _("no"))
            head = [criterion.code, criterion.name, float(criterion.max_points), float(row.points),
                    criterion.get_scoring_display()] if number == 0 else ["", "", None, None, ""]
            sheet.append([*head, item.title, met, item.detail])
    sheet.append([_("Total"), "", float(score.maximum), float(score.total)])
    _bold_row(sheet, sheet.max_row)
    for letter, width in zip("ABCDEFGH", (8, 50, 10, 10, 22, 40, 14, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    files = book.create_sheet(_("Evidence")[:31])
    files.append([_("File"), _("Evidence"), _("Note")])
    _bold_row(files, 1)
    for item in evidence.files:
        files.append([item.name, item.title, ""])
    for title, reason in evidence.missing:
        files.append(["", title, reason])
    for letter, width in zip("ABC", (40, 70, 60), strict=True):
        files.column_dimensions[letter].width = width
    return _save(book)


def evidence_zip(*, user, score: AgencyScore, absolute, today: dt.date) -> bytes:
    """The ZIP download: the index first, then the evidence files."""
    evidence = gather(user=user, agency=score.agency, year=score.year, absolute=absolute)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX_NAME, index_xlsx(score, evidence, today=today))
        for item in evidence.files:
            archive.writestr(item.name, item.content)
    return buffer.getvalue()


def province_xlsx(*, province, year: int, criteria: list, rows: list[AgencyScore], level_labels: dict,
                  today: dt.date) -> bytes:
    """The province page as a workbook: one row per agency, one column per criterion, the total."""
    book = _workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append([_("PAR index %(year)s — %(province)s") % {"year": year, "province": province}])
    sheet.append([_("Computed from eISO's records on %(date)s") % {"date": _day(today)}])
    _bold_row(sheet, 1)
    sheet.append([_("Agency"), _("Level"), *[f"{c.code} {c.name} ({c.max_points:g})" for c in criteria],
                  _("Total"), _("Maximum points"), _("Note")])
    _bold_row(sheet, 3)
    for row in rows:
        sheet.append([str(row.agency), level_labels.get(row.level, row.level),
                      *[float(score.points) for score in row.scores], float(row.total), float(row.maximum),
                      "; ".join(row.notes)])
    sheet.column_dimensions["A"].width = 60
    return _save(book)
