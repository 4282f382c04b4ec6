"""Deadlines and the working calendar: the only place in eISO where deadlines are computed.

Public API (keyword-only; moments are aware datetimes, results are aware datetimes in
Asia/Ho_Chi_Minh; `agency` is an organizations.Agency instance, a primary key or None):

Reading (no database query once cached; see caching.py):

    add_working_time(*, start, days=None, hours=None, agency=None, pauses=()) -> datetime | None
        The moment when `days` working days (each worth the office's hours per day, 8 by default)
        or `hours` working hours (int, float or Decimal; exactly one of them) have elapsed from
        `start`, in the office hours of `agency` (agency → its province → default). A start
        outside office hours counts from the next working moment. `pauses`: (start, end-or-None)
        pairs during which the clock is stopped (e.g. waiting for a supplement). Returns None when
        an open pause (end None) starts before the count is complete. ValueError for a negative
        count, both or neither of days/hours, or a naive datetime.
    add_working_days_many(*, starts, days, agency=None) -> list[datetime] | numpy datetime64 array
        Many due moments at once: element i equals add_working_time(start=starts[i], days=days[i]).
        `starts`: aware datetimes, or a numpy datetime64 array of UTC instants (then the result is a
        datetime64[us] array of UTC instants); `days`: one whole number for all, or one per start.
        Much faster than a loop (numpy over a table of working-day ranks; see bench/deadlines.py).
    working_time_between(*, start, end, agency=None, pauses=()) -> timedelta
        Working time in [start, end) outside the pauses; timedelta(0) when end <= start.
    next_working_moment(*, moment, agency=None) -> datetime
        `moment` if the office is open then, else its next opening.
    start_of_next_working_day(*, moment, agency=None) -> datetime
        Opening time of the first working day after the local date of `moment`.
    working_calendar(years=None) -> engine.WorkingCalendar          (from selectors)
    office_schedule_for(agency=None, province=None) -> engine.OfficeSchedule   (from selectors)

Writing (system administrators only, i.e. superusers; actor=None means a system job; each runs in
one transaction, is audited, and raises eiso.core.errors.ApplicationError /
PermissionDeniedError with a message for the user; the cached calendar is invalidated by the
post_save/post_delete signals, see signals.py and caching.py):

    holidays_seed_year(*, year, actor=None) -> int
        Adds the public holidays (and the weekend days worked by official day swaps) of `year`
        from the `holidays` package. Idempotent; never touches existing rows. Returns the number
        of rows created.
    calendar_day_create(*, actor, date, kind, name, note="") -> CalendarDay
    calendar_day_update(*, actor, day, data: dict) -> CalendarDay
        `data` keys among date, kind, name, note. A seeded row keeps its date.
    calendar_day_delete(*, actor, day) -> None
        Only manual rows; seeded public holidays cannot be deleted.
    office_hours_create(*, actor, data: dict) -> OfficeHours
        `data`: province or agency, morning_start, morning_end, afternoon_start, afternoon_end.
    office_hours_update(*, actor, office_hours, data: dict) -> OfficeHours
    office_hours_delete(*, actor, office_hours) -> None
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from eiso.calendars import batch, engine
from eiso.calendars.choices import CalendarDayKind, CalendarDaySource
from eiso.calendars.models import CalendarDay, OfficeHours, format_date
from eiso.calendars.selectors import office_schedule_for, working_calendar
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for
from eiso.core.services import validate

__all__ = [
    "add_working_days_many",
    "add_working_time",
    "calendar_day_create",
    "calendar_day_delete",
    "calendar_day_update",
    "holidays_seed_year",
    "next_working_moment",
    "office_hours_create",
    "office_hours_delete",
    "office_hours_update",
    "office_schedule_for",
    "start_of_next_working_day",
    "working_calendar",
    "working_time_between",
]

# Name given to a seeded weekend working day (the package names the swapped day off only). Seeded
# names are data in Vietnamese, like the package's holiday names, not interface text.
SWAP_WORKING_DAY_NAME = "Ngày làm việc bù"
SWAP_WORKING_DAY_NAME_FOR = "Ngày làm việc bù (cho ngày nghỉ %s)"


# --- Deadlines ------------------------------------------------------------------------------------


def add_working_time(
    *, start: dt.datetime, days=None, hours=None, agency=None, pauses: Iterable = ()
) -> dt.datetime | None:
    return engine.add_working_time(
        working_calendar(), office_schedule_for(agency=agency), start, days=days, hours=hours,
        pauses=pauses,
    )


def add_working_days_many(*, starts, days, agency=None):
    return batch.add_working_days_many(working_calendar(), office_schedule_for(agency=agency), starts, days)


def working_time_between(
    *, start: dt.datetime, end: dt.datetime, agency=None, pauses: Iterable = ()
) -> dt.timedelta:
    return engine.working_time_between(
        working_calendar(), office_schedule_for(agency=agency), start, end, pauses=pauses
    )


def next_working_moment(*, moment: dt.datetime, agency=None) -> dt.datetime:
    return engine.next_working_moment(working_calendar(), office_schedule_for(agency=agency), moment)


def start_of_next_working_day(*, moment: dt.datetime, agency=None) -> dt.datetime:
    return engine.start_of_next_working_day(working_calendar(), office_schedule_for(agency=agency), moment)


# --- Permissions and validation -------------------------------------------------------------------


def _require_administrator(actor) -> None:
    if actor is None:  # system jobs and commands
        return
    if not scope_for(actor).is_global:
        raise PermissionDeniedError(
            _("Only a system administrator can change the working calendar. Ask your administrator.")
        )


def _check_day(*, date: dt.date, kind: str, exclude_pk=None) -> None:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise TypeError("date must be a datetime.date")
    if kind not in CalendarDayKind.values:
        raise ApplicationError(
            _("Choose the kind of day: public holiday, day off or working day."), code="invalid_kind",
            errors={"kind": [_("Choose a valid kind.")]},
        )
    existing = CalendarDay.objects.filter(date=date).exclude(pk=exclude_pk).first()
    if existing is not None:
        message = _("%(date)s is already a %(kind)s (%(name)s); edit that entry instead.") % {
            "date": format_date(date), "kind": existing.get_kind_display(), "name": existing.name,
        }
        raise ApplicationError(message, code="calendar_day_exists", errors={"date": [message]})
    weekday = date.weekday()
    if kind == CalendarDayKind.WORKING_DAY and weekday < 5:
        message = _(
            "%(date)s is a %(weekday)s, already a working day. Only a Saturday or a Sunday can be made "
            "a working day by a day swap."
        ) % {"date": format_date(date), "weekday": WEEKDAYS[weekday]}
        raise ApplicationError(message, code="not_a_weekend", errors={"kind": [message]})
    if kind == CalendarDayKind.DAY_OFF and weekday >= 5:
        message = _(
            "%(date)s is a %(weekday)s, already a day off. A day off must be a weekday (Monday to "
            "Friday)."
        ) % {"date": format_date(date), "weekday": WEEKDAYS[weekday]}
        raise ApplicationError(message, code="not_a_weekday", errors={"kind": [message]})


def _duplicate_date(date: dt.date) -> ApplicationError:
    message = _("%(date)s is already in the working calendar; edit that entry instead.") % {
        "date": format_date(date)
    }
    return ApplicationError(message, code="calendar_day_exists", errors={"date": [message]})


# --- The national calendar ------------------------------------------------------------------------


def _package_days(year: int) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) of `year` from the holidays package, in Vietnamese."""
    import holidays

    national = holidays.Vietnam(years=year, language="vi")
    days = [
        (day, CalendarDayKind.HOLIDAY, name) for day, name in sorted(national.items()) if day.year == year
    ]
    for day in sorted(getattr(national, "weekend_workdays", ())):
        if day.year != year or day.weekday() < 5:
            continue
        # The day off it pays for is named "Ngày nghỉ (thay cho ngày 22/08/2026)".
        swapped = [d for d, name in national.items() if format_date(day) in name]
        name = SWAP_WORKING_DAY_NAME_FOR % format_date(swapped[0]) if swapped else SWAP_WORKING_DAY_NAME
        days.append((day, CalendarDayKind.WORKING_DAY, name))
    return days


@transaction.atomic
def holidays_seed_year(*, year: int, actor=None) -> int:
    _require_administrator(actor)
    year = int(year)
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    created = 0
    for day, kind, name in _package_days(year):
        if day in existing:
            continue  # never overwrite: an administrator's entry (or an earlier seed) wins
        row = CalendarDay(date=day, kind=kind, name=name[:200], source=CalendarDaySource.SEEDED)
        validate(row)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # seeded concurrently
            continue
        audit_record(actor=actor, instance=row, action=AuditAction.CREATE, note="holidays package")
        created += 1
    return created


@transaction.atomic
def calendar_day_create(*, actor, date: dt.date, kind: str, name: str, note: str = "") -> CalendarDay:
    _require_administrator(actor)
    _check_day(date=date, kind=kind)
    row = CalendarDay(date=date, kind=kind, name=name, note=note, source=CalendarDaySource.MANUAL)
    validate(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise _duplicate_date(date) from exc
    audit_record(actor=actor, instance=row, action=AuditAction.CREATE)
    return row


CALENDAR_DAY_FIELDS = ("date", "kind", "name", "note")


@transaction.atomic
def calendar_day_update(*, actor, day: CalendarDay, data: dict) -> CalendarDay:
    _require_administrator(actor)
    unknown = set(data) - set(CALENDAR_DAY_FIELDS)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)}; allowed: {CALENDAR_DAY_FIELDS}")
    row = CalendarDay.objects.select_for_update().get(pk=day.pk)
    if row.source == CalendarDaySource.SEEDED and "date" in data and data["date"] != row.date:
        raise ApplicationError(
            _("%(date)s (%(name)s) comes from the national holiday list; its date cannot be changed. "
              "Add an entry for the new date instead.") % {"date": format_date(row.date), "name": row.name},
            code="seeded_date_fixed",
        )
    before = snapshot(row)
    for field, value in data.items():
        setattr(row, field, value)
    _check_day(date=row.date, kind=row.kind, exclude_pk=row.pk)
    validate(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise _duplicate_date(row.date) from exc
    audit_record(actor=actor, instance=row, action=AuditAction.UPDATE, before=before)
    return row


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    _require_administrator(actor)
    row = CalendarDay.objects.select_for_update().get(pk=day.pk)
    if row.source == CalendarDaySource.SEEDED:
        raise ApplicationError(
            _("%(date)s (%(name)s) comes from the national holiday list and cannot be deleted. Edit it "
              "instead if it needs correcting.") % {"date": format_date(row.date), "name": row.name},
            code="seeded_day_protected",
        )
    audit_record(actor=actor, instance=row, action=AuditAction.DELETE, before=snapshot(row))
    row.delete()


# --- Office hours ---------------------------------------------------------------------------------

OFFICE_HOURS_FIELDS = (
    "province", "agency", "morning_start", "morning_end", "afternoon_start", "afternoon_end",
)


def _office_hours_duplicate() -> ApplicationError:
    return ApplicationError(
        _("Office hours already exist for this province or agency; edit them instead."),
        code="office_hours_exist",
    )


@transaction.atomic
def office_hours_create(*, actor, data: dict) -> OfficeHours:
    _require_administrator(actor)
    unknown = set(data) - set(OFFICE_HOURS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}; allowed: {OFFICE_HOURS_FIELDS}")
    row = OfficeHours(**data)
    validate(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise _office_hours_duplicate() from exc
    audit_record(actor=actor, instance=row, action=AuditAction.CREATE)
    return row


@transaction.atomic
def office_hours_update(*, actor, office_hours: OfficeHours, data: dict) -> OfficeHours:
    _require_administrator(actor)
    unknown = set(data) - set(OFFICE_HOURS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}; allowed: {OFFICE_HOURS_FIELDS}")
    row = OfficeHours.objects.select_for_update().get(pk=office_hours.pk)
    before = snapshot(row)
    for field, value in data.items():
        setattr(row, field, value)
    validate(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise _office_hours_duplicate() from exc
    audit_record(actor=actor, instance=row, action=AuditAction.UPDATE, before=before)
    return row


@transaction.atomic
def office_hours_delete(*, actor, office_hours: OfficeHours) -> None:
    _require_administrator(actor)
    row = OfficeHours.objects.select_for_update().get(pk=office_hours.pk)
    audit_record(actor=actor, instance=row, action=AuditAction.DELETE, before=snapshot(row))
    row.delete()
