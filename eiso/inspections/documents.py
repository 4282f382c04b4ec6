"""The documents of inspections: the decision and the minutes of one inspection (DOCX), and the province's yearly
summary (DOCX and XLSX). `minutes_docx(inspection) -> bytes` is a contract (the PAR evidence export reads it).

The snapshots gather plain data, with the texts of the documents in Vietnamese; eiso.reports.inspection_docx writes
the Word files."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from eiso.inspections import points as art36
from eiso.inspections.models import Inspection
from eiso.reports import labels, layout
from eiso.reports.inspection_docx import (
    WHEN_MONTH,
    render_inspection_decision_docx,
    render_inspection_minutes_docx,
    render_inspection_summary_docx,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _parent_name(agency) -> str:
    if agency.parent_id:
        return agency.parent.name
    return ""


def _place(agency) -> str:
    return agency.province.name if agency.province_id else ""


def _long_date(day) -> str:
    if day is None:
        return f"ngày {labels.BLANK_DATE_PART} tháng {labels.BLANK_DATE_PART} năm {labels.BLANK_DATE_PART}"
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def decision_snapshot(inspection: Inspection) -> dict:
    authority = inspection.authority
    if inspection.on_site_on:
        when = layout.short_date(inspection.on_site_on)
    elif inspection.planned_on:
        when = layout.short_date(inspection.planned_on)
    elif inspection.planned_month:
        when = WHEN_MONTH.format(month=inspection.planned_month, year=inspection.year)
    else:
        when = str(inspection.year)
    return {
        "parent_body": _parent_name(authority), "authority": authority.name, "agency": inspection.agency.name,
        "number": inspection.decision_number, "date": inspection.decision_on, "place": _place(authority),
        "grounds": layout.paragraphs(inspection.decision_grounds), "method": inspection.method, "when": when,
        "team": inspection.team_lines, "signer": inspection.decision_signer,
        "signer_position": inspection.decision_signer_position,
    }


def decision_docx(inspection: Inspection) -> bytes:
    """The inspection decision as DOCX bytes (a draft with blanks until the decision is recorded)."""
    return render_inspection_decision_docx(decision_snapshot(inspection))


def minutes_snapshot(inspection: Inspection) -> dict:
    from eiso.inspections.services import report_months

    with translation.override("vi"):
        titles = art36.titles()
    items = list(inspection.checklist.order_by("order"))
    return {
        "authority": inspection.authority.name, "agency": inspection.agency.name,
        "place_name": _place(inspection.authority), "date": inspection.minutes_signed_on,
        "long_date": _long_date(inspection.minutes_signed_on), "place": inspection.minutes_place,
        "decision": inspection.decision_label, "decision_on": layout.short_date(inspection.decision_on),
        "method": inspection.method, "team": inspection.team_lines,
        "participants": layout.paragraphs(inspection.participants),
        "checklist": [{"title": titles.get(item.key) or item.title or item.key, "result": item.result,
                       "evidence": item.evidence} for item in items],
        "findings": [{"point": titles.get(finding.point_key, finding.point_key) if finding.point_key else "",
                      "description": finding.description, "required_action": finding.required_action}
                     for finding in inspection.findings.order_by("created_at")],
        "report_months": report_months(), "report_due_on": layout.short_date(inspection.report_due_on),
        "conclusion": inspection.conclusion, "agency_signer": inspection.agency_representative,
        "agency_position": inspection.agency_representative_position, "team_leader": inspection.team_leader,
    }


def minutes_docx(inspection: Inspection) -> bytes:
    """The minutes of the inspection as DOCX bytes: two originals, signed by the agency head and the team leader
    (a draft with blanks until they are recorded)."""
    return render_inspection_minutes_docx(minutes_snapshot(inspection))


def _figures(summary) -> dict:
    reports = summary.reports
    return {
        "planned": summary.planned, "planned_on_site": summary.planned_on_site,
        "planned_by_documents": summary.planned_by_documents, "done": summary.done,
        "done_on_site": summary.done_on_site, "done_by_documents": summary.done_by_documents,
        "share_on_site_planned": summary.share_on_site_planned, "share_on_site_done": summary.share_on_site_done,
        "findings": summary.findings, "findings_closed": summary.findings_closed, "due": summary.reports_due,
        "on_time": reports["on_time"], "late": reports["late"], "open": reports["open"] + reports["overdue"],
        "overdue": reports["overdue"], "closed": summary.closed, "agencies": summary.agencies,
    }


def summary_snapshot(summary, *, date=None) -> dict:
    from eiso.core.permissions import today

    authority = summary.authority
    with translation.override("vi"):
        titles = art36.titles()
    return {
        "year": summary.year, "date": date or today(), "authority": authority.name if authority else "",
        "parent_body": _parent_name(authority) if authority else "", "place": summary.province.name,
        "plans": [f"số {plan.label}" + (f" ngày {layout.short_date(plan.issued_on)}" if plan.issued_on else "")
                  for plan in summary.plans],
        "figures": _figures(summary),
        "by_point": [{"title": titles.get(point.key, point.title) if point.key else "Tồn tại khác",
                      "findings": point.findings, "closed": point.closed} for point in summary.by_point],
        "not_planned": [agency.name for agency in summary.not_planned],
    }


def summary_docx(summary) -> bytes:
    """The province's yearly inspection report as DOCX bytes."""
    return render_inspection_summary_docx(summary_snapshot(summary))


def summary_xlsx(summary) -> bytes:
    """The year's inspections as a workbook: the figures, one row per inspection, findings by inspection point, and
    the agencies in no plan. Labels in the user's language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures = _figures(summary)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary of the year")[:31]
    sheet.append([_("Inspections of %(year)s — %(province)s") % {"year": summary.year, "province": summary.province}])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Figure"), _("Planned"), _("Done")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for label, planned, done in (
            (_("Inspections"), "planned", "done"), (_("On site"), "planned_on_site", "done_on_site"),
            (_("By documents"), "planned_by_documents", "done_by_documents"),
            (_("On-site share (per cent)"), "share_on_site_planned", "share_on_site_done")):
        sheet.append([label, figures[planned], figures[done]])
    sheet.append([])
    for label, key in ((_("Findings"), "findings"), (_("Findings closed"), "findings_closed"),
                       (_("Corrective-action reports due"), "due"), (_("Reports submitted on time"), "on_time"),
                       (_("Reports submitted late"), "late"), (_("Reports not submitted"), "open"),
                       (_("of which overdue"), "overdue"), (_("Inspections closed"), "closed"),
                       (_("Agencies of the province"), "agencies")):
        sheet.append([label, figures[key]])
    sheet.append([_("Agencies in no plan"), len(summary.not_planned)])
    sheet.column_dimensions["A"].width = 45

    rows = book.create_sheet(_("Inspections")[:31])
    headers = [_("Agency"), _("Method"), _("Planned"), _("Status"), _("Decision"), _("Decision date"),
               _("Minutes signed on"), _("Findings"), _("Findings not closed"), _("Report due on"),
               _("Report submitted on"), _("Corrective-action report")]
    rows.append(headers)
    for cell in rows[1]:
        cell.font = Font(bold=True)
    for row in summary.rows:
        inspection = row.inspection
        planned = inspection.planned_on or (f"{inspection.planned_month:02d}/{inspection.year}"
                                            if inspection.planned_month else "")
        rows.append([inspection.agency.name, str(inspection.get_method_display()), planned,
                     str(inspection.get_status_display()), inspection.decision_label, inspection.decision_on,
                     inspection.minutes_signed_on, row.findings, row.findings_open, inspection.report_due_on,
                     inspection.report_first_submitted_on, row.report_label])
    for column in ("C", "F", "G", "J", "K"):
        for cell in rows[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJKL", (45, 16, 12, 28, 14, 12, 12, 9, 9, 12, 12, 22), strict=True):
        rows.column_dimensions[letter].width = width

    by_point = book.create_sheet(_("Findings by point")[:31])
    by_point.append([_("Inspection point"), _("Findings"), _("Closed")])
    for cell in by_point[1]:
        cell.font = Font(bold=True)
    for point in summary.by_point:
        by_point.append([point.title, point.findings, point.closed])
    by_point.append([_("Total"), figures["findings"], figures["findings_closed"]])
    by_point.column_dimensions["A"].width = 70

    missing = book.create_sheet(_("Agencies in no plan")[:31])
    missing.append([_("Agency")])
    missing["A1"].font = Font(bold=True)
    for agency in summary.not_planned:
        missing.append([agency.name])
    missing.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
