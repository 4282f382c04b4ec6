"""Dossier statistics for the statistics page, its exports, the API and the agency's dashboard.

    dossier_statistics(*, user, date_from, date_to, group_by="agency", agency_ids=None, province_ids=None,
                       procedure_ids=None, field_ids=None, now=None) -> list[dict]
    agency_dossier_summary(*, user, agency, now=None) -> dict | None
    statistics_agencies(user) -> QuerySet[Agency]          (whose statistics the user may read)
    month_start(day) -> date; parse_month(text) -> date | None; month_label(day) -> "mm/yyyy"

Everything but two figures adds up `DossierTally` rows (tallies.py keeps them in step with every change), never
the dossiers: the period is made of whole months (a tally is one month of one agency and procedure), from the
month of `date_from` to the month of `date_to`, both included. A dossier counts as received in the month of its
receipt, as resolved (early, on time or late) or cancelled in the month its processing ended, and its rating in
the month it was given.

The two figures of the moment, "in progress now" and "overdue now", are counted from the open dossiers (the
partial index dossier_open_due on (agency, due_at)) as they are when the page is read: they describe today, not
the period, so they are given only when the period includes the current month (None otherwise); grouped by
month, they are on the current month's row.

Who sees what: the tallies go through `DossierTally.objects.restrict(user, "view")` (the agency's head, ISO
coordinator, staff and auditors see their agency; a supervisor every agency of the provinces supervised);
the open dossiers are counted for the same agencies (`statistics_agencies`), as numbers only.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.dates import add_months
from eiso.core.permissions import scope_for
from eiso.dossiers.choices import OPEN_STATUSES
from eiso.dossiers.models import Dossier, DossierTally
from eiso.dossiers.tallies import COUNTERS

GROUPS = {"agency": gettext_lazy("Agency"), "procedure": gettext_lazy("Procedure"),
          "field": gettext_lazy("Field"), "month": gettext_lazy("Month")}
_GROUP_COLUMN = {"agency": "agency_id", "procedure": "procedure_id", "field": "field_id", "month": "month"}
_OPEN_GROUP_COLUMN = {"agency": "agency_id", "procedure": "procedure_id", "field": "procedure__field_id"}

# The table's columns after the group's label: (key, header). Rates are shares (0–1) in the rows; the page
# and the exports show them in per cent.
COLUMNS = (
    ("received", gettext_lazy("Received")),
    ("resolved", gettext_lazy("Resolved")),
    ("early", gettext_lazy("Early")),
    ("on_time", gettext_lazy("On time")),
    ("late", gettext_lazy("Late")),
    ("on_time_rate", gettext_lazy("On-time rate (%)")),
    ("average_hours", gettext_lazy("Average processing time (working hours)")),
    ("average_allowed_hours", gettext_lazy("Average statutory time (working hours)")),
    ("cancelled", gettext_lazy("Stopped or withdrawn")),
    ("in_progress", gettext_lazy("In progress now")),
    ("overdue", gettext_lazy("Overdue now")),
    ("ratings", gettext_lazy("Ratings")),
    ("satisfaction_rate", gettext_lazy("Satisfaction rate (%)")),
)
RATES = frozenset({"on_time_rate", "satisfaction_rate"})
HOURS = frozenset({"average_hours", "average_allowed_hours"})


# --- Months ---------------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_label(day: dt.date) -> str:
    return day.strftime("%m/%Y")


_MONTH_PATTERNS = (re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-\d{1,2})?$"),
                   re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"))


def parse_month(text) -> dt.date | None:
    """The first day of the month written "yyyy-mm" (an HTML month field), "mm/yyyy" or "yyyy-mm-dd"; None when
    the text is none of these."""
    text = (text or "").strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match["y"]), int(match["m"])
            return dt.date(year, month, 1) if 1 <= month <= 12 and year >= 1900 else None
    return None


# --- Scope ----------------------------------------------------------------------------------------------------


def statistics_agencies(user):
    """The agencies whose statistics `user` may read: the rule of DossierTally.objects.restrict(user, "view")."""
    from eiso.organizations.models import Agency

    scope = scope_for(user)
    if scope.is_global:
        return Agency.objects.all()
    permitted = DossierTally.permitted_roles
    condition = Q(pk__in=scope.agencies_for("view", permitted))
    if scope.supervises_for("view", permitted):
        condition |= Q(province__in=scope.supervised_provinces)
    return Agency.objects.filter(condition)


# --- Statistics -----------------------------------------------------------------------------------------------


def _empty() -> dict:
    return {counter: 0 for counter in COUNTERS}


def _share(part, whole) -> float | None:
    return float(part) / float(whole) if whole else None


def _complete(row: dict, now_included: bool) -> dict:
    resolved = row["early"] + row["on_time"] + row["late"]
    row["resolved"] = resolved
    row["on_time_rate"] = _share(row["early"] + row["on_time"], resolved)
    row["average_hours"] = _share(row["used_hours"], resolved)
    row["average_allowed_hours"] = _share(row["allowed_hours"], resolved)
    row["satisfaction_rate"] = _share(row["satisfied"], row["ratings"])
    row.setdefault("in_progress", 0)
    row.setdefault("overdue", 0)
    if not now_included:
        row["in_progress"] = row["overdue"] = None
    for counter in ("used_hours", "allowed_hours"):
        row[counter] = Decimal(row[counter]).quantize(Decimal("0.01"))
    return row


def _labels(group_by: str, keys) -> dict:
    from eiso.catalog.models import Field, Procedure
    from eiso.organizations.models import Agency

    keys = [key for key in keys if key is not None]
    if group_by == "agency":
        return {pk: (name, short_name or name.replace("Ủy ban nhân dân", "UBND"))
                for pk, name, short_name in Agency.objects.filter(pk__in=keys).values_list("pk", "name", "short_name")}
    if group_by == "procedure":
        return {pk: f"{code} – {name}" for pk, code, name
                in Procedure.objects.filter(pk__in=keys).values_list("pk", "code", "name")}
    if group_by == "field":
        return dict(Field.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {key: month_label(key) for key in keys}


def _order(group_by: str, label: str, key):
    if group_by == "month":
        return (key,)
    return (label.casefold(), str(key))


def dossier_statistics(*, user, date_from: dt.date, date_to: dt.date, group_by: str = "agency", agency_ids=None,
                       province_ids=None, procedure_ids=None, field_ids=None, now: dt.datetime | None = None) -> list:
    """The rows of the statistics table, one per agency, procedure, field or month with something to count,
    then the totals row (`is_total` True, `key` None). Each row: key, label (short_label: the agency's short
    name, for charts), received, resolved, early,
    on_time, late, cancelled, used_hours, allowed_hours, ratings, satisfied, on_time_rate ((early + on time) /
    resolved), average_hours and average_allowed_hours (working hours per resolved dossier), satisfaction_rate
    (satisfied / ratings), in_progress and overdue (now; None when the period does not include the current
    month). Rates and averages are None when there is nothing to divide by."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    now = now or timezone.now()
    first, last = sorted((month_start(date_from), month_start(date_to)))
    this_month = month_start(timezone.localtime(now).date())
    now_included = first <= this_month <= last
    tallies = DossierTally.objects.restrict(user, "view").filter(month__gte=first, month__lte=last)
    if agency_ids is not None:
        tallies = tallies.filter(agency_id__in=list(agency_ids))
    if province_ids is not None:
        tallies = tallies.filter(province_id__in=list(province_ids))
    if procedure_ids is not None:
        tallies = tallies.filter(procedure_id__in=list(procedure_ids))
    if field_ids is not None:
        tallies = tallies.filter(field_id__in=list(field_ids))
    column = _GROUP_COLUMN[group_by]
    groups: dict = {}
    for values in tallies.order_by().values(column).annotate(**{f"sum_{c}": Sum(c) for c in COUNTERS}):
        groups[values[column]] = {c: values[f"sum_{c}"] or 0 for c in COUNTERS}
    if now_included:
        for key, (in_progress, overdue) in _open_counts(user, group_by, now=now, agency_ids=agency_ids,
                                                        province_ids=province_ids, procedure_ids=procedure_ids,
                                                        field_ids=field_ids).items():
            key = this_month if group_by == "month" else key
            row = groups.setdefault(key, _empty())
            row["in_progress"], row["overdue"] = in_progress, overdue
    labels = _labels(group_by, groups)
    rows = []
    for key, values in groups.items():
        label = labels.get(key) or (_("No field") if group_by == "field" else str(key))
        label, short = label if isinstance(label, tuple) else (label, label)
        rows.append(_complete({"key": key, "label": label, "short_label": short, "is_total": False, **values},
                              now_included))
    if group_by == "month":  # the figures of the moment belong to the current month only
        for row in rows:
            if row["key"] != this_month:
                row["in_progress"] = row["overdue"] = None
    rows.sort(key=lambda row: _order(group_by, row["label"], row["key"]))
    totals = _empty() | {"in_progress": 0, "overdue": 0}
    for row in rows:
        for counter in (*COUNTERS, "in_progress", "overdue"):
            totals[counter] += row[counter] or 0
    rows.append(_complete({"key": None, "label": _("Total"), "short_label": _("Total"), "is_total": True, **totals},
                          now_included))
    return rows


def _open_counts(user, group_by: str, *, now, agency_ids, province_ids, procedure_ids, field_ids) -> dict:
    """{group key: (in progress, overdue)} of the open dossiers now (by month: one key, None)."""
    agencies = statistics_agencies(user)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    if province_ids is not None:
        agencies = agencies.filter(province_id__in=list(province_ids))
    dossiers = Dossier.objects.filter(agency_id__in=list(agencies.values_list("pk", flat=True)),
                                      status__in=OPEN_STATUSES)
    if procedure_ids is not None:
        dossiers = dossiers.filter(procedure_id__in=list(procedure_ids))
    if field_ids is not None:
        dossiers = dossiers.filter(procedure__field_id__in=list(field_ids))
    # COUNT(*): agency and due moment are in the partial index, so the counts by agency read the index only
    counts = {"n": Count("*"), "late": Count("due_at", filter=Q(due_at__lt=now))}
    if group_by == "month":
        values = dossiers.order_by().aggregate(**counts)
        return {None: (values["n"], values["late"])} if values["n"] else {}
    column = _OPEN_GROUP_COLUMN[group_by]
    return {values[column]: (values["n"], values["late"])
            for values in dossiers.order_by().values(column).annotate(**counts)}


def table_value(row: dict, key: str):
    """A cell as shown and exported: rates in per cent and hours with one decimal; None stays None."""
    value = row.get(key)
    if value is None:
        return None
    if key in RATES:
        return round(value * 100, 1)
    if key in HOURS:
        return round(value, 1)
    return value


# --- The agency's dashboard -----------------------------------------------------------------------------------


def agency_dossier_summary(*, user, agency, now: dt.datetime | None = None) -> dict | None:
    """The dossier figures of the agency's home page, or None when the user may not read its statistics:
    this month's and this year's received, resolved and on-time rate, in progress and overdue now, and the
    last 12 months (for the small chart). One tally query and one count of the open dossiers."""
    if agency is None or not statistics_agencies(user).filter(pk=agency.pk).exists():
        return None
    now = now or timezone.now()
    this_month = month_start(timezone.localtime(now).date())
    first = add_months(this_month, -11)
    rows = dossier_statistics(user=user, date_from=first, date_to=this_month, group_by="month",
                              agency_ids=[agency.pk], now=now)
    by_month = {row["key"]: row for row in rows if not row["is_total"]}
    months = [add_months(first, n) for n in range(12)]
    year = _empty() | {"in_progress": 0, "overdue": 0}
    for month, row in by_month.items():
        if month.year == this_month.year:
            for counter in COUNTERS:
                year[counter] += row[counter]
    current = by_month.get(this_month) or _complete(_empty(), True)
    history = [(month, by_month.get(month) or _complete(_empty(), False)) for month in months]
    year = _complete(year, False)
    return {
        "agency": agency,
        "month": current,
        "year": year,
        "month_rate": table_value(current, "on_time_rate"),
        "year_rate": table_value(year, "on_time_rate"),
        "this_month": this_month,
        "in_progress": rows[-1]["in_progress"] or 0,
        "overdue": rows[-1]["overdue"] or 0,
        "months": history,
        "chart": _summary_chart(history),
    }


def _summary_chart(history: list):
    from eiso.dossiers import charts

    rows = [row for _month, row in history]
    labels = [month_label(month) for month, _row in history]
    resolved = sum(row["resolved"] for row in rows)
    late = sum(row["late"] for row in rows)
    return charts.stacked_bars(
        labels, charts.outcome_series(rows), vertical=True, compact=True, chart_id="chart-dashboard",
        title=_("Dossiers resolved in the last 12 months"),
        desc=_("Resolved per month from %(first)s to %(last)s: %(resolved)d in all, %(late)d late.")
        % {"first": labels[0], "last": labels[-1], "resolved": resolved, "late": late})
