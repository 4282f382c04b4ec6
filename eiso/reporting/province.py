"""The data of the province report of a period (Decree 30 report of the Department of Science and Technology to
the provincial People's Committee and the Ministry): agencies by level and QMS stage, the reports received and
late, the Art. 36 points met by level, the difficulties and proposals quoted from the agencies.

The level × stage counts come from `eiso.oversight.selectors.province_summary`, the function the supervisor's
dashboard uses, so that the report and the dashboard say the same. The other figures come from the reports: the
points met are those of the reports received (submitted or accepted), as the agencies reported them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from eiso.compliance import contracts
from eiso.core.text import lower_first
from eiso.reporting import selectors
from eiso.reporting.choices import RECEIVED_STATUSES, ReportStatus
from eiso.reporting.documents import agency_block, period_label
from eiso.reporting.points import POINTS, met_counts

PROVINCE_SUMMARY = "eiso.oversight.selectors.province_summary"
STAGES = (
    ("not_started", "Chưa triển khai"),
    ("building", "Đang xây dựng"),
    ("applying", "Đang áp dụng"),
    ("announced", "Đã công bố"),
    ("maintaining", "Duy trì, cải tiến"),
)
STATUS_LABELS = {
    ReportStatus.DRAFT: "Đang soạn",
    ReportStatus.SIGNED_OFF: "Thủ trưởng đã ký, chưa gửi",
    ReportStatus.SUBMITTED: "Đã gửi",
    ReportStatus.ACCEPTED: "Đã chấp nhận",
    ReportStatus.RETURNED: "Trả lại để hoàn thiện",
}
ALL_AGENCIES = "Tất cả cơ quan"


def province_label(province) -> str:
    """"tỉnh Lào Cai", "thành phố Hà Nội"."""
    if province.name.lower().startswith(("thành phố", "tỉnh")):
        return lower_first(province.name)
    return f"{province.division_type} {province.name}".strip()


def level_rows(province, today: dt.date) -> list[dict] | None:
    """The dashboard's rows (one per level): {"level", "label", "total", "by_stage", "announced", "converted"};
    None while the oversight app does not provide them."""
    function = contracts.resolve(PROVINCE_SUMMARY)
    if function is None:
        return None
    with translation.override("vi"):
        return [{"level": row.level, "label": str(row.label), "total": row.total, "by_stage": dict(row.by_stage),
                 "announced": row.announced, "converted": row.converted}
                for row in function(province=province, today=today)]


def stage_columns(rows: list[dict] | None) -> list[tuple[str, str]]:
    known = [key for key, _label in STAGES]
    extra = sorted({key for row in rows or [] for key in row["by_stage"] if key not in known})
    return [*STAGES, *((key, key) for key in extra)]


def _report_row(report, level: str, level_label: str, today: dt.date) -> dict:
    figures = report.figures or {}
    return {
        "agency": report.agency.name, "code": report.agency.code, "level": level, "level_label": level_label,
        "status": report.status, "status_label": STATUS_LABELS.get(report.status, report.status),
        "submitted_on": timezone.localdate(report.submitted_at) if report.submitted_at else None,
        "is_late": report.is_late(today), "is_received": report.status in RECEIVED_STATUSES,
        "figures": figures, "met": met_counts(figures.get("points", [])),
        "difficulties": report.difficulties.strip(), "proposals": report.proposals.strip(),
    }


def province_report_data(period, *, today: dt.date) -> dict:
    """Everything the province report shows (texts in Vietnamese)."""
    authority = period.agency
    province = authority.province
    rows = level_rows(province, today)
    with translation.override("vi"):
        level_pairs = selectors.levels() or [("", ALL_AGENCIES)]
        point_titles = [(point.key, str(point.title)) for point in POINTS]
    labels = dict(level_pairs)
    function = selectors.level_function()
    reports = [_report_row(report, key := selectors.level_of(report.agency, function), labels.get(key, key), today)
               for report in period.reports.select_related("agency", "agency__admin_unit", "agency__parent", "period")]
    order = {key: index for index, (key, _label) in enumerate(level_pairs)}
    reports.sort(key=lambda r: (order.get(r["level"], len(order)), r["agency"]))
    by_level = []
    for key, label in level_pairs:
        mine = [r for r in reports if r["level"] == key]
        if not mine:
            continue
        received = [r for r in mine if r["is_received"]]
        by_level.append({
            "level": key, "label": label, "total": len(mine), "received": len(received),
            "accepted": sum(1 for r in mine if r["status"] == ReportStatus.ACCEPTED),
            "returned": sum(1 for r in mine if r["status"] == ReportStatus.RETURNED),
            "late": sum(1 for r in mine if r["is_late"]),
            "points_met": {point_key: sum(1 for r in received for p in r["figures"].get("points", [])
                                          if p.get("key") == point_key and p.get("met") is True)
                           for point_key, _title in point_titles},
        })
    received = [r for r in reports if r["is_received"]]
    return {
        "authority": agency_block(authority), "province": province_label(province),
        "period_label": period_label(period), "period_title": period.title, "year": period.year,
        "start": period.starts_on, "end": period.ends_on, "due_on": period.due_on, "date": today,
        "levels": rows, "stages": stage_columns(rows), "reports": reports, "by_level": by_level,
        "points": point_titles,
        "totals": {
            "total": len(reports), "received": len(received),
            "accepted": sum(1 for r in reports if r["status"] == ReportStatus.ACCEPTED),
            "returned": sum(1 for r in reports if r["status"] == ReportStatus.RETURNED),
            "not_submitted": sum(1 for r in reports if not r["is_received"]),
            "late": sum(1 for r in reports if r["is_late"]),
        },
        "late_agencies": [r["agency"] for r in reports if r["is_late"]],
        "difficulties": [(r["agency"], r["difficulties"]) for r in received if r["difficulties"]],
        "proposals": [(r["agency"], r["proposals"]) for r in received if r["proposals"]],
    }

