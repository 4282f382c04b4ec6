"""Reads of periodic reports: who may do what, the contracts other apps use (`report_submitted_on`,
`late_reports_by_agency`), and the supervising authority's view of a period (every agency's report, by level).

The agencies' levels come from the oversight app's contract `eiso.oversight.levels.agency_level` (with its
`LEVELS`); while it is not available, every agency is of one unnamed level and the level filter is not offered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.compliance import contracts
from eiso.core.permissions import Role, scope_for
from eiso.core.permissions import today as local_today
from eiso.reporting.choices import RECEIVED_STATUSES, PeriodKind, ReportStatus
from eiso.reporting.models import PeriodicReport, ReportingPeriod

AGENCY_LEVEL = "eiso.oversight.levels.agency_level"
LEVELS = "eiso.oversight.levels.LEVELS"

# --- Rights ---------------------------------------------------------------------------------------------------
def can_open_period(user) -> bool:
    scope = scope_for(user)
    return scope.is_global or bool(scope.authority_provinces)


def can_supervise(user, report: PeriodicReport) -> bool:
    """Accept or return: the supervisors of the report's province (and administrators)."""
    return user is not None and scope_for(user).is_authority_for(report.agency.province_id)


def is_head(user, agency) -> bool:
    """Whether the user holds the agency head's role in the agency today (the administrator does not)."""
    from eiso.organizations.models import RoleAssignment

    return user is not None and user.is_authenticated and RoleAssignment.objects.active().filter(
        user=user, agency=agency, role=Role.AGENCY_HEAD).exists()


def can_manage(user, report: PeriodicReport) -> bool:
    """Edit, refresh, submit, reopen: the agency's head and coordinator (and administrators)."""
    return user is None or PeriodicReport.objects.restrict(user, "change").filter(pk=report.pk).exists()


def can_manage_period(user, period: ReportingPeriod) -> bool:
    return user is None or ReportingPeriod.objects.restrict(user, "change").filter(pk=period.pk).exists()


# --- Contracts ------------------------------------------------------------------------------------------------


def report_submitted_on(*, agency, year: int) -> dt.date | None:
    """The day the agency's yearly report of `year` was submitted in eISO (the submission standing: submitted or
    accepted; None when it was not submitted, or was returned and not submitted again)."""
    moment = (PeriodicReport.objects.filter(agency=agency, period__kind=PeriodKind.YEARLY, period__year=year,
                                            status__in=RECEIVED_STATUSES)
              .order_by("-submitted_at").values_list("submitted_at", flat=True).first())
    return timezone.localdate(moment) if moment else None


def report_submitted_on_many(*, agency_ids, years) -> dict:
    """`report_submitted_on` for many agencies and years in one query (the compliance lists):
    {(agency_id, year): day}; pairs without a standing submission are absent."""
    result: dict = {}
    for agency_id, year, moment in (
            PeriodicReport.objects.filter(agency_id__in=list(agency_ids), period__kind=PeriodKind.YEARLY,
                                          period__year__in=list(years), status__in=RECEIVED_STATUSES,
                                          submitted_at__isnull=False)
            .order_by().values_list("agency_id", "period__year", "submitted_at")):
        if (agency_id, year) not in result or moment > result[(agency_id, year)]:
            result[(agency_id, year)] = moment
    return {key: timezone.localdate(moment) for key, moment in result.items()}


def late_reports_by_agency(agency_ids, *, today: dt.date | None = None) -> dict:
    """agency_id -> the number of its reports not submitted by their due date (first submitted after it, or not at
    all with the date passed). Agencies without a late report are absent."""
    today = today or local_today()
    rows = (PeriodicReport.objects.filter(agency_id__in=list(agency_ids), period__due_on__lt=today)
            .filter(Q(first_submitted_at__isnull=True) | Q(first_submitted_at__date__gt=F("period__due_on")))
            .values("agency_id").annotate(n=Count("pk")))
    return {row["agency_id"]: row["n"] for row in rows if row["n"]}


# --- Levels (oversight contract) ------------------------------------------------------------------------------


def levels() -> list[tuple[str, str]]:
    """The levels as (key, label) pairs, in order; empty while the oversight app does not provide them."""
    pairs = contracts.resolve(LEVELS)
    return [(key, str(label)) for key, label in pairs] if pairs else []


def level_function():
    return contracts.resolve(AGENCY_LEVEL)


def level_of(agency, function=None) -> str:
    function = function or level_function()
    return function(agency) if function is not None else ""


# --- The supervising authority's view of a period -------------------------------------------------------------


@dataclass
class ReportRow:
    report: PeriodicReport
    level: str
    level_label: str
    is_late: bool


def period_rows(period: ReportingPeriod, *, level: str = "", status: str = "", late_only: bool = False,
                today: dt.date | None = None) -> list[ReportRow]:
    """Every agency's report of the period, by level (in the order of LEVELS) then agency name."""
    today = today or local_today()
    function = level_function()
    labels = dict(levels())
    order = {key: index for index, key in enumerate(labels)}
    rows = []
    reports = period.reports.select_related("agency", "agency__admin_unit", "agency__parent", "period")
    if status:
        reports = reports.filter(status=status)
    for report in reports:
        key = level_of(report.agency, function)
        if level and key != level:
            continue
        row = ReportRow(report, key, labels.get(key, key), report.is_late(today))
        if late_only and not row.is_late:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (order.get(r.level, len(order)), r.report.agency.name))
    return rows


def status_counts(period: ReportingPeriod, *, today: dt.date | None = None) -> dict:
    """{"total", each status, "late"} of the period's reports."""
    today = today or local_today()
    counts = {status: 0 for status in ReportStatus.values}
    counts.update(dict(period.reports.values_list("status").annotate(n=Count("pk")).values_list("status", "n")))
    counts["total"] = sum(counts[s] for s in ReportStatus.values)
    counts["late"] = sum(1 for report in period.reports.only("first_submitted_at", "period").select_related("period")
                         if report.is_late(today))
    return counts


def status_counts_many(periods, *, today: dt.date | None = None) -> dict:
    """`status_counts` of many periods (a list): {period id: counts}, in two queries whatever their number."""
    today = today or local_today()
    ids = [p.pk for p in periods]
    counts = {pk: {status: 0 for status in ReportStatus.values} for pk in ids}
    for period_id, status, n in (PeriodicReport.objects.filter(period_id__in=ids).order_by()
                                 .values_list("period_id", "status").annotate(n=Count("pk"))
                                 .values_list("period_id", "status", "n")):
        counts[period_id][status] = n
    for period_counts in counts.values():
        period_counts["total"] = sum(period_counts[s] for s in ReportStatus.values)
        period_counts["late"] = 0
    for report in PeriodicReport.objects.filter(period_id__in=ids).only("first_submitted_at", "period") \
            .select_related("period"):
        if report.is_late(today):
            counts[report.period_id]["late"] += 1
    return counts


def kind_label(period: ReportingPeriod) -> str:
    if period.kind == PeriodKind.SIX_MONTHLY:
        return _("first half of %(year)s") % {"year": period.year} if period.half == 1 else \
            _("second half of %(year)s") % {"year": period.year}
    if period.kind == PeriodKind.YEARLY:
        return _("year %(year)s") % {"year": period.year}
    return period.title
