"""Reads of the objectives app: live values, the inputs of the management review, the year's evidence records
and the date the year's objectives were set (contracts with the reviews and compliance apps)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from eiso.core.permissions import today
from eiso.objectives.choices import Comparison, MeasurementResult, ObjectiveStatus, PolicyStatus
from eiso.objectives.metrics import METRICS, metric_value
from eiso.objectives.models import Indicator, Measurement, QualityObjective, QualityPolicy
from eiso.objectives.periods import period_label, period_of
from eiso.objectives.services import judge


@dataclass(frozen=True)
class Reading:
    """An indicator's value over a period (None: nothing measured), judged against its target."""

    start: dt.date
    end: dt.date
    value: Decimal | None
    result: str | None

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    @property
    def result_label(self) -> str:
        return MeasurementResult(self.result).label if self.result else ""


def figure(value: Decimal | None, unit: str = "") -> str:
    """A value as the language writes it (97,5 in Vietnamese), with its unit."""
    if value is None:
        return "—"
    whole = value == value.to_integral_value()
    text = number_format(int(value) if whole else value.normalize(), decimal_pos=None, use_l10n=True)
    return f"{text} {unit}".strip() if unit != "%" else f"{text} %"


def target_text(indicator) -> str:
    sign = "≥" if indicator.comparison == Comparison.AT_LEAST else "≤"
    return f"{sign} {figure(indicator.target, indicator.unit)}"


def live_reading(indicator: Indicator, *, on: dt.date | None = None) -> Reading:
    """The indicator's value in the period holding `on` (today by default): computed now from the data for a
    computed indicator (it moves as dossiers are processed), the measurement entered for an entered one."""
    on = on or today()
    start, end = period_of(indicator.frequency, on)
    if indicator.is_computed:
        value = metric_value(indicator.metric, agency=indicator.agency, start=start, end=min(end, on)) \
            if indicator.metric in METRICS else None
    else:
        value = Measurement.objects.filter(indicator=indicator, period_start=start).values_list("value", flat=True) \
            .first()
    result = judge(value, target=indicator.target, comparison=indicator.comparison) if value is not None else None
    return Reading(start, end, value, result)


def live_readings(indicators, *, on: dt.date | None = None) -> dict:
    """`live_reading` of many indicators (a list page): {indicator id: Reading}. The entered values in one query;
    each computed value once per metric, agency and period (however many indicators share it)."""
    on = on or today()
    periods = {i.pk: period_of(i.frequency, on) for i in indicators}
    entered = [i for i in indicators if not i.is_computed]
    values: dict = {}
    if entered:
        starts = {periods[i.pk][0] for i in entered}
        for indicator_id, start, value in (Measurement.objects.filter(indicator__in=entered, period_start__in=starts)
                                           .order_by("pk").values_list("indicator_id", "period_start", "value")):
            if start == periods[indicator_id][0]:
                values.setdefault(indicator_id, value)
    computed: dict = {}
    readings = {}
    for indicator in indicators:
        start, end = periods[indicator.pk]
        if indicator.is_computed:
            key = (indicator.metric, indicator.agency_id, start, min(end, on))
            if key not in computed:
                computed[key] = metric_value(indicator.metric, agency=indicator.agency, start=start,
                                             end=min(end, on)) if indicator.metric in METRICS else None
            value = computed[key]
        else:
            value = values.get(indicator.pk)
        result = judge(value, target=indicator.target, comparison=indicator.comparison) if value is not None else None
        readings[indicator.pk] = Reading(start, end, value, result)
    return readings


def reading_over(indicator: Indicator, *, start: dt.date, end: dt.date) -> Reading:
    """The indicator over an arbitrary span: computed from the data, or the latest entered value in the span."""
    if indicator.is_computed:
        value = metric_value(indicator.metric, agency=indicator.agency, start=start, end=end) \
            if indicator.metric in METRICS else None
    else:
        value = Measurement.objects.filter(indicator=indicator, period_start__gte=start, period_start__lte=end) \
            .order_by("-period_start").values_list("value", flat=True).first()
    result = judge(value, target=indicator.target, comparison=indicator.comparison) if value is not None else None
    return Reading(start, end, value, result)


def current_policy(agency) -> QualityPolicy | None:
    return QualityPolicy.objects.filter(agency=agency, status=PolicyStatus.APPROVED).first()


# --- Contracts ----------------------------------------------------------------------------------------------


def review_input(*, agency, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """Objectives attainment for the management review (ISO 9001 9.3.2 c): one line per indicator of the
    approved or closed objectives of the years the period touches, with its value over the period (within the
    objective's year), the target and whether it is reached."""
    lines: list[tuple[str, str]] = []
    objectives = QualityObjective.objects.filter(
        agency=agency, year__gte=start.year, year__lte=end.year,
        status__in=(ObjectiveStatus.APPROVED, ObjectiveStatus.CLOSED)).prefetch_related("indicators__agency")
    for objective in objectives.order_by("year", "created_at"):
        span_start, span_end = max(start, dt.date(objective.year, 1, 1)), min(end, dt.date(objective.year, 12, 31))
        for indicator in objective.indicators.all():
            reading = reading_over(indicator, start=span_start, end=span_end)
            if reading.value is None:
                value = _("not measured — target %(target)s") % {"target": target_text(indicator)}
            else:
                verdict = _("not reached") if reading.result == MeasurementResult.BELOW else _("reached")
                value = _("%(value)s — target %(target)s: %(verdict)s") % {
                    "value": figure(reading.value, indicator.unit), "target": target_text(indicator),
                    "verdict": verdict}
            lines.append((f"{objective.title} — {indicator.name}", value))
    return lines


def evidence_records(*, agency, year: int) -> list[dict]:
    """The year's records for the evidence folder: the policy versions approved in the year, and the year's
    approved (or closed) objectives."""
    records = []
    for policy in QualityPolicy.objects.filter(agency=agency, approved_at__year=year).order_by("version"):
        records.append({"title": str(policy), "url": policy.get_absolute_url(),
                        "on": timezone.localdate(policy.approved_at)})
    for objective in QualityObjective.objects.filter(agency=agency, year=year, approved_at__isnull=False) \
            .order_by("approved_at"):
        records.append({"title": _("Quality objective %(year)s: %(title)s") % {"year": year, "title": objective.title},
                        "url": objective.get_absolute_url(), "on": timezone.localdate(objective.approved_at)})
    return records


def objectives_set_on(*, agency, year: int) -> dt.date | None:
    """When the year's objectives were set: the day the last of them was approved, once none is left in draft
    (None while there are none or one is still a draft)."""
    objectives = QualityObjective.objects.filter(agency=agency, year=year)
    if not objectives.exists() or objectives.filter(status=ObjectiveStatus.DRAFT).exists():
        return None
    last = objectives.order_by("-approved_at").values_list("approved_at", flat=True).first()
    return timezone.localdate(last) if last else None


def objectives_set_on_many(*, agency_ids, years) -> dict:
    """`objectives_set_on` for many agencies and years in one query (the compliance lists):
    {(agency_id, year): day}; pairs whose objectives are not set are absent."""
    grouped: dict = {}
    for agency_id, year, status, approved_at in (
            QualityObjective.objects.filter(agency_id__in=list(agency_ids), year__in=list(years)).order_by()
            .values_list("agency_id", "year", "status", "approved_at")):
        grouped.setdefault((agency_id, year), []).append((status, approved_at))
    result = {}
    for key, rows in grouped.items():
        if any(status == ObjectiveStatus.DRAFT for status, _at in rows):
            continue
        moments = [at for _status, at in rows if at is not None]
        if moments:
            result[key] = timezone.localdate(max(moments))
    return result


def objectives_url(year: int) -> str:
    return reverse("objectives:objective_list") + f"?year={year}"
