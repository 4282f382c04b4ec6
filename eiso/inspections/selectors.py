"""Reads of the inspections app: the contract other apps call (`inspected_on_by_agency`), the agencies a plan leaves
out, the corrective-action report's state, and the province's yearly summary (consolidated in November)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import today as local_today
from eiso.inspections import points as art36
from eiso.inspections.choices import (
    DONE_STATUSES,
    FindingStatus,
    InspectionMethod,
    InspectionStatus,
    PlanStatus,
)
from eiso.inspections.models import Inspection, InspectionFinding, InspectionPlan
from eiso.organizations.selectors import authority_of


def inspected_on_by_agency(agency_ids, *, year: int) -> dict:
    """{agency_id: date} for the agencies inspected under a plan of `year`: the day the minutes of their (last)
    inspection were signed. Agencies without signed minutes are absent. One query."""
    result: dict = {}
    rows = Inspection.objects.filter(agency_id__in=list(agency_ids), year=year, status__in=DONE_STATUSES,
                                     minutes_signed_on__isnull=False).values_list("agency_id", "minutes_signed_on")
    for agency_id, day in rows:
        if agency_id not in result or day > result[agency_id]:
            result[agency_id] = day
    return result


def eligible_agencies(authority):
    """The agencies of the authority's province that may be inspected: current ones, the authority itself excepted."""
    from django.db.models import Q

    from eiso.organizations.models import Agency

    return (Agency.objects.filter(province_id=authority.province_id)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=local_today())).exclude(pk=authority.pk))


def agencies_not_in_plan(plan: InspectionPlan):
    """The agencies of the province that may be inspected and are not in the plan."""
    return eligible_agencies(plan.agency).exclude(pk__in=plan.inspections.values("agency_id")).order_by("name")


# The state of an inspection's corrective-action report.
REPORT_STATES = {
    "not_due": _("no report due"),
    "waiting": _("waiting for the minutes"),
    "open": _("due, not submitted"),
    "overdue": _("overdue"),
    "on_time": _("submitted on time"),
    "late": _("submitted late"),
}


def report_state(inspection: Inspection, today: dt.date | None = None) -> str:
    """not_due (no findings), waiting (minutes not signed), open, overdue, on_time or late."""
    today = today or local_today()
    if inspection.status not in DONE_STATUSES:
        return "waiting"
    if inspection.report_due_on is None:
        return "not_due"
    if inspection.report_first_submitted_on is None:
        return "overdue" if today > inspection.report_due_on else "open"
    return "on_time" if inspection.report_on_time else "late"


@dataclass
class SummaryRow:
    inspection: Inspection
    findings: int
    findings_open: int
    report: str  # a key of REPORT_STATES

    @property
    def report_label(self) -> str:
        return str(REPORT_STATES[self.report])


@dataclass
class PointCount:
    key: str
    title: str
    findings: int
    closed: int


@dataclass
class ProvinceSummary:
    province: object
    year: int
    authority: object | None
    plans: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    agencies: int = 0  # agencies of the province that may be inspected
    not_planned: list = field(default_factory=list)  # agencies in no approved plan of the year
    by_point: list = field(default_factory=list)  # PointCount, Art. 36 order, then findings on no point
    reports: Counter = field(default_factory=Counter)  # REPORT_STATES key -> count

    def _count(self, *, method=None, done=None) -> int:
        return sum(1 for row in self.rows
                   if (method is None or row.inspection.method == method)
                   and (done is None or (row.inspection.status in DONE_STATUSES) == done))

    @property
    def planned(self) -> int:
        return len(self.rows)

    @property
    def planned_on_site(self) -> int:
        return self._count(method=InspectionMethod.ON_SITE)

    @property
    def planned_by_documents(self) -> int:
        return self._count(method=InspectionMethod.BY_DOCUMENTS)

    @property
    def done(self) -> int:
        return self._count(done=True)

    @property
    def done_on_site(self) -> int:
        return self._count(method=InspectionMethod.ON_SITE, done=True)

    @property
    def done_by_documents(self) -> int:
        return self._count(method=InspectionMethod.BY_DOCUMENTS, done=True)

    @property
    def share_on_site_planned(self) -> float | None:
        return round(100 * self.planned_on_site / self.planned, 1) if self.planned else None

    @property
    def share_on_site_done(self) -> float | None:
        return round(100 * self.done_on_site / self.done, 1) if self.done else None

    @property
    def closed(self) -> int:
        return sum(1 for row in self.rows if row.inspection.status == InspectionStatus.CLOSED)

    @property
    def findings(self) -> int:
        return sum(row.findings for row in self.rows)

    @property
    def findings_closed(self) -> int:
        return sum(row.findings - row.findings_open for row in self.rows)

    @property
    def reports_due(self) -> int:
        return sum(self.reports[key] for key in ("open", "overdue", "on_time", "late"))


def province_summary(*, province, year: int, today: dt.date | None = None) -> ProvinceSummary:
    """The year's inspections of the province under its authority's approved plans: planned vs done, on site vs by
    documents, findings by Art. 36 point, corrective-action reports on time / late / open, closed."""
    today = today or local_today()
    authority = authority_of(province)
    summary = ProvinceSummary(province=province, year=year, authority=authority)
    if authority is None:
        return summary
    summary.plans = list(InspectionPlan.objects.filter(agency=authority, year=year, status=PlanStatus.APPROVED))
    inspections = list(Inspection.objects.filter(authority=authority, year=year, plan__status=PlanStatus.APPROVED)
                       .select_related("agency", "plan").order_by("agency__name"))
    findings = list(InspectionFinding.objects.filter(inspection__in=[i.pk for i in inspections])
                    .values_list("inspection_id", "point_key", "status"))
    per_inspection: dict = {}
    points_total, points_closed = Counter(), Counter()
    for inspection_id, key, status in findings:
        total, open_ = per_inspection.get(inspection_id, (0, 0))
        per_inspection[inspection_id] = (total + 1, open_ + (status == FindingStatus.OPEN))
        points_total[key] += 1
        points_closed[key] += status == FindingStatus.CLOSED
    for inspection in inspections:
        total, open_ = per_inspection.get(inspection.pk, (0, 0))
        row = SummaryRow(inspection, total, open_, report_state(inspection, today))
        summary.rows.append(row)
        summary.reports[row.report] += 1
    for point in art36.points():
        summary.by_point.append(PointCount(point.key, point.title, points_total.pop(point.key, 0),
                                           points_closed.pop(point.key, 0)))
    other = sum(points_total.values())
    if other:
        summary.by_point.append(PointCount("", str(_("Other findings (no inspection point)")), other,
                                           sum(points_closed.values())))
    eligible = eligible_agencies(authority).order_by("name")
    summary.agencies = eligible.count()
    summary.not_planned = list(eligible.exclude(pk__in=[i.agency_id for i in inspections]))
    return summary
