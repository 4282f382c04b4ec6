"""The documents of periodic reporting, as bytes: an agency's report (DOCX, Decree 30 layout) and the province
report of a period (DOCX narrative and XLSX tables). This module gathers the data (texts in Vietnamese, the
language of the documents); `eiso.reports.periodic_report_docx`, `province_report_docx` and `province_report_xlsx`
render it.

`report_docx(report) -> bytes` is a contract (the PAR evidence export uses it).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from eiso.core.permissions import today as local_today
from eiso.organizations.choices import AgencyKind
from eiso.reporting.choices import PeriodKind, ReportStatus
from eiso.reporting.points import BY_KEY

SIGNERS = {  # agency kind -> (prefix, position) of the signature block
    AgencyKind.PEOPLES_COMMITTEE: ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    AgencyKind.DEPARTMENT: ("", "GIÁM ĐỐC"),
    AgencyKind.SUB_DEPARTMENT: ("", "CHI CỤC TRƯỞNG"),
}
DEFAULT_SIGNER = ("", "THỦ TRƯỞNG CƠ QUAN")
SYMBOLS = {AgencyKind.PEOPLES_COMMITTEE: "BC-UBND"}
DEFAULT_SYMBOL = "BC"


def period_label(period) -> str:
    """"6 tháng đầu năm 2026", "năm 2026"; an ad hoc period: its title."""
    if period.kind == PeriodKind.SIX_MONTHLY:
        return f"6 tháng {'đầu' if period.half == 1 else 'cuối'} năm {period.year}"
    if period.kind == PeriodKind.YEARLY:
        return f"năm {period.year}"
    return period.title


def agency_block(agency) -> dict:
    parent = agency.parent.name if agency.parent_id else ""
    return {"name": agency.name, "parent_name": parent, "place": agency.province.name if agency.province_id else ""}


def _person(user) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


def point_rows(figures: dict, remarks: dict) -> list[dict]:
    """The stored point states with their Vietnamese titles and the coordinator's remarks, in the order stored."""
    with translation.override("vi"):
        return [{"key": point["key"], "title": str(BY_KEY[point["key"]].title) if point["key"] in BY_KEY
                 else point["key"], "met": point.get("met"), "detail": point.get("detail", ""),
                 "remark": (remarks or {}).get(point["key"], "")} for point in figures.get("points", [])]


def report_snapshot(report) -> dict:
    """Everything the report's document shows, as plain data."""
    agency, period = report.agency, report.period
    moment = report.submitted_at or report.signed_off_at
    prefix, position = SIGNERS.get(agency.kind, DEFAULT_SIGNER)
    return {
        "agency": agency_block(agency), "authority": period.agency.name, "number": report.number,
        "symbol": SYMBOLS.get(agency.kind, DEFAULT_SYMBOL),
        "date": timezone.localdate(moment) if moment else None,
        "is_draft": report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED),
        "period_label": period_label(period), "period_title": period.title,
        "start": period.starts_on.strftime("%d/%m/%Y"), "end": period.ends_on.strftime("%d/%m/%Y"),
        "figures": report.figures or {}, "points": point_rows(report.figures or {}, report.remarks),
        "results": report.results, "difficulties": report.difficulties, "proposals": report.proposals,
        "signer": {"prefix": prefix, "position": position, "name": _person(report.signed_off_by)},
    }


def report_docx(report) -> bytes:
    """The agency's periodic report as a Word file (a draft is marked "DỰ THẢO")."""
    from eiso.reports.periodic_report_docx import render_periodic_report_docx

    return render_periodic_report_docx(report_snapshot(report))


def report_filename(report) -> str:
    return f"bao-cao-htqlcl-{report.period.year}-{report.agency.code}.docx".lower()


def province_report_docx(period, *, today: dt.date | None = None) -> bytes:
    from eiso.reporting.province import province_report_data
    from eiso.reports.province_report_docx import render_province_report_docx

    return render_province_report_docx(province_report_data(period, today=today or local_today()))


def province_report_xlsx(period, *, today: dt.date | None = None) -> bytes:
    from eiso.reporting.province import province_report_data
    from eiso.reports.province_report_xlsx import render_province_report_xlsx

    return render_province_report_xlsx(province_report_data(period, today=today or local_today()))
