"""The registry of computed indicators: what eISO can measure by itself from the agency's own data.

    METRICS: key -> Metric(key, label, unit, function)      function(agency, start, end) -> Decimal | None
    metric_value(key, *, agency, start, end) -> Decimal | None   (None: nothing to measure in the period)

Each value is a percentage rounded to one decimal. A computed indicator names one of these keys; an unknown or
blank key is refused when the indicator is saved ("a formula that references nothing").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import today


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def dossier_on_time_rate(agency, start: dt.date, end: dt.date) -> Decimal | None:
    """Dossiers resolved early or on time among those resolved in the months of the period (DossierTally)."""
    from eiso.dossiers.models import DossierTally
    from eiso.dossiers.statistics import month_start

    totals = DossierTally.objects.filter(agency=agency, month__gte=month_start(start), month__lte=month_start(end)) \
        .aggregate(early=Sum("early"), on_time=Sum("on_time"), late=Sum("late"))
    early, on_time, late = (totals[k] or 0 for k in ("early", "on_time", "late"))
    return percent(early + on_time, early + on_time + late)


def satisfaction_rate(agency, start: dt.date, end: dt.date) -> Decimal | None:
    """Satisfied answers among the answers of the period (eiso.improvement.selectors.satisfaction_counts)."""
    from eiso.improvement.selectors import satisfaction_counts

    satisfied, answered = satisfaction_counts(agency=agency, start=start, end=end)
    return percent(satisfied, answered)


def legal_updates_on_time_rate(agency, start: dt.date, end: dt.date) -> Decimal | None:
    """The 3-month rule: of the agency's update tasks due in the period, the share done by their due date.
    Dismissed tasks do not count; an open task counts (as late) once its due date has passed."""
    from eiso.legal.choices import UpdateTaskStatus
    from eiso.legal.models import UpdateTask

    tasks = UpdateTask.objects.filter(agency=agency, due_on__gte=start, due_on__lte=end).filter(
        Q(status=UpdateTaskStatus.DONE) | Q(status=UpdateTaskStatus.OPEN, due_on__lt=today()))
    counted = on_time = 0
    for status, due_on, closed_at in tasks.values_list("status", "due_on", "closed_at"):
        counted += 1
        if status == UpdateTaskStatus.DONE and closed_at is not None and timezone.localdate(closed_at) <= due_on:
            on_time += 1
    return percent(on_time, counted)


@dataclass(frozen=True)
class Metric:
    key: str
    label: object  # lazy translation
    unit: str
    function: Callable[[object, dt.date, dt.date], Decimal | None]


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("dossier_on_time_rate", _("Share of dossiers resolved early or on time"), "%", dossier_on_time_rate),
        Metric("satisfaction_rate", _("Share of satisfied citizens and businesses"), "%", satisfaction_rate),
        Metric("legal_updates_on_time_rate",
               _("Share of QMS updates done within 3 months of a legal change"), "%", legal_updates_on_time_rate),
    )
}


def metric_choices() -> list[tuple[str, object]]:
    return [(m.key, m.label) for m in METRICS.values()]


def metric_value(key: str, *, agency, start: dt.date, end: dt.date) -> Decimal | None:
    return METRICS[key].function(agency, start, end)
