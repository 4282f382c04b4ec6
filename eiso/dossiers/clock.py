"""The dossier's clock: when it starts, when it is due, how a moment is classified. Every computation of
time is the calendars app's (working days of the agency's office hours, 8 working hours a day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.calendars.services import add_working_time, next_working_moment, start_of_next_working_day
from eiso.catalog.choices import DurationUnit
from eiso.core.dates import add_months
from eiso.core.errors import ApplicationError
from eiso.dossiers.choices import Outcome

HOURS_PER_DAY = Decimal(8)


def receipt_cutoff(agency) -> dt.time:
    from eiso.dossiers.models import DossierSettings

    own = DossierSettings.objects.filter(agency=agency).values_list("receipt_cutoff", flat=True).first()
    return own or dt.time.fromisoformat(settings.EISO["DOSSIER_RECEIPT_CUTOFF"])


def clock_start(*, agency, moment: dt.datetime) -> dt.datetime:
    """When the time starts counting for a dossier received at `moment`: then (or at the next opening
    when the office is closed), or the next working day when received after the cut-off."""
    local = timezone.localtime(moment)
    if local.time() > receipt_cutoff(agency):
        return start_of_next_working_day(moment=moment, agency=agency)
    return next_working_moment(moment=moment, agency=agency)


def statutory_duration(*, case, process=None) -> tuple[Decimal, str]:
    """(amount, unit) of the statutory time: the case's, or the sum of the process's timed steps when the
    catalogue does not give one. Refused with what to configure when neither is known."""
    if case is not None and case.duration and case.duration_unit in (
            DurationUnit.WORKING_DAY, DurationUnit.HOUR, DurationUnit.DAY, DurationUnit.MONTH):
        return Decimal(case.duration), case.duration_unit
    if process is not None:
        hours = [step.hours for step in process.steps.all()]
        if hours and all(h for h in hours):
            return sum(hours, Decimal(0)), DurationUnit.HOUR
    what = case.code if case is not None else _("this procedure")
    raise ApplicationError(
        _("The statutory time of %(case)s is not known, so no due date can be given. Enter it in the catalogue "
          "(the case's duration) or give every step of the agency's process a time.") % {"case": what},
        code="duration_unknown")


def due_moment(*, agency, start: dt.datetime, amount: Decimal, unit: str, pauses=()) -> dt.datetime | None:
    """The due moment of `amount` `unit` counted from `start`, the clock stopped during `pauses`."""
    if unit == DurationUnit.WORKING_DAY:
        return add_working_time(start=start, days=amount, agency=agency, pauses=pauses)
    if unit == DurationUnit.HOUR:
        return add_working_time(start=start, hours=amount, agency=agency, pauses=pauses)
    stopped = sum(((end - begin) for begin, end in pauses if end is not None), dt.timedelta())
    if unit == DurationUnit.DAY:
        end = start + dt.timedelta(days=float(amount)) + stopped
    else:  # months
        local = timezone.localtime(start)
        end = timezone.make_aware(dt.datetime.combine(add_months(local.date(), int(amount)), local.time())) + stopped
    return next_working_moment(moment=end, agency=agency)


def allowed_hours(amount: Decimal, unit: str) -> Decimal:
    """The statutory time in working hours (for average processing time vs statutory time)."""
    if unit == DurationUnit.HOUR:
        return Decimal(amount)
    if unit == DurationUnit.WORKING_DAY:
        return Decimal(amount) * HOURS_PER_DAY
    if unit == DurationUnit.DAY:
        return Decimal(amount) * 5 / 7 * HOURS_PER_DAY
    return Decimal(amount) * 22 * HOURS_PER_DAY


def classify(finished: dt.datetime, due: dt.datetime) -> str:
    """Early / on time / late. By day (default): early when finished before the due day, on time on the
    due day by the due moment, late after it. By time (setting DOSSIER_CLASSIFICATION = "by_time"):
    early when less time was used than allowed, on time when exactly as much, late when more."""
    if finished > due:
        return Outcome.LATE
    if settings.EISO["DOSSIER_CLASSIFICATION"] == "by_time":
        return Outcome.EARLY if finished < due else Outcome.ON_TIME
    if timezone.localtime(finished).date() < timezone.localtime(due).date():
        return Outcome.EARLY
    return Outcome.ON_TIME
