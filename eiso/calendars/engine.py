"""The working-time engine: pure computation, no database, no Django.

Everything that turns "N working days/hours from this moment" into a due moment (and back) lives
here; `eiso.calendars.services` feeds it the national calendar and the office hours from the
database (cached), so no other code in eISO computes a deadline.

Model:
    * `WorkingCalendar` says which dates are working days: Monday–Friday, except the dates in
      `days_off` (public holidays, compensatory and swapped days off), plus the dates in
      `working_days` (weekend days made working days by an official day swap).
    * `OfficeSchedule` says when the office is open on a working day: periods such as
      07:30–11:30 and 13:00–17:00 (8 working hours a day).

All moments are aware datetimes; they are converted to Vietnam's time (Asia/Ho_Chi_Minh, UTC+7 and
no daylight saving time since 1975) and results are returned as aware datetimes in that zone.
Naive datetimes are refused (ValueError): in a USE_TZ project they are a bug.

Speed: whole working days are skipped arithmetically (weekday arithmetic on ordinals, plus a walk
over the few special dates in between found by bisection), never minute by minute or day by day.
For many due moments at once, `batch.add_working_days_many` gives exactly what `add_working_time(...,
days=n)` gives pair by pair, with numpy over a table of working-day ranks cached on the calendar
(bench/deadlines.py compares it with numpy.busday_offset).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from eiso.calendars.batch import _RankTable

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * _US_PER_HOUR

# ---------------------------------------------------------------------------------------------------
# Plain weekday arithmetic on proleptic Gregorian ordinals (ordinal 1 = Monday 0001-01-01).


def _weekdays_before(ordinal: int) -> int:
    """Number of Mondays–Fridays among the ordinals [1, ordinal)."""
    days = ordinal - 1
    return (days // 7) * 5 + min(days % 7, 5)


def _weekday_with_rank(rank: int) -> int:
    """Ordinal of the weekday that has exactly `rank` weekdays before it (rank >= 0)."""
    weeks, rest = divmod(rank, 5)
    return 1 + weeks * 7 + rest


def _kth_weekday_after(ordinal: int, k: int) -> int:
    """Ordinal of the k-th Monday–Friday strictly after `ordinal` (k >= 1)."""
    return _weekday_with_rank(_weekdays_before(ordinal + 1) + k - 1)


def _weekdays_strictly_between(a: int, b: int) -> int:
    """Number of Mondays–Fridays in the open interval (a, b) of ordinals."""
    if b <= a + 1:
        return 0
    return _weekdays_before(b) - _weekdays_before(a + 1)


def _is_weekday(ordinal: int) -> bool:
    return (ordinal - 1) % 7 < 5


# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingCalendar:
    """Which dates are working days. Immutable; build one per calendar version and share it.

    `days_off`: dates that are not worked (public holidays, compensatory days, swapped days off);
    a date on a weekend is harmless (it is not worked anyway). `working_days`: weekend dates made
    working days by an official swap. A date cannot be in both.
    """

    days_off: frozenset[dt.date] = frozenset()
    working_days: frozenset[dt.date] = frozenset()
    # Derived, sorted ordinals of the dates where the weekday rule does not apply.
    _off_weekdays: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _work_weekends: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _specials: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _special_work: frozenset[int] = field(init=False, repr=False, compare=False)
    # Cached _RankTable for the batch functions; never pickled (the calendar is cached in Django's cache).
    _rank_table: _RankTable | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self):
        days_off = frozenset(self.days_off)
        working_days = frozenset(self.working_days)
        both = days_off & working_days
        if both:
            raise ValueError(f"dates both off and working: {sorted(both)}")
        object.__setattr__(self, "days_off", days_off)
        object.__setattr__(self, "working_days", working_days)
        off = tuple(sorted(d.toordinal() for d in days_off if d.weekday() < 5))
        work = tuple(sorted(d.toordinal() for d in working_days if d.weekday() >= 5))
        object.__setattr__(self, "_off_weekdays", off)
        object.__setattr__(self, "_work_weekends", work)
        object.__setattr__(self, "_specials", tuple(sorted(off + work)))
        object.__setattr__(self, "_special_work", frozenset(work))

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_rank_table", None)
        return state

    # -- single dates ------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def _is_working_ordinal(self, ordinal: int) -> bool:
        if ordinal in self._special_work:
            return True
        if not _is_weekday(ordinal):
            return False
        i = bisect.bisect_left(self._off_weekdays, ordinal)
        return not (i < len(self._off_weekdays) and self._off_weekdays[i] == ordinal)

    def next_working_day(self, day: dt.date, *, strictly_after: bool = False) -> dt.date:
        """The first working day on (or strictly after) `day`."""
        ordinal = day.toordinal() + (1 if strictly_after else 0)
        while not self._is_working_ordinal(ordinal):  # bounded by the longest break (Tết)
            ordinal += 1
        return dt.date.fromordinal(ordinal)

    # -- counting ----------------------------------------------------------------------------------

    def working_days_strictly_between(self, a: dt.date, b: dt.date) -> int:
        """Number of working days in the open interval (a, b)."""
        return self._count_between(a.toordinal(), b.toordinal())

    def _count_between(self, a: int, b: int) -> int:
        if b <= a + 1:
            return 0
        plain = _weekdays_strictly_between(a, b)
        off = bisect.bisect_left(self._off_weekdays, b) - bisect.bisect_right(self._off_weekdays, a)
        work = bisect.bisect_left(self._work_weekends, b) - bisect.bisect_right(self._work_weekends, a)
        return plain - off + work

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n >= 1), or `day` itself when n == 0 (which must then
        be a working day for the result to be one)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return day
        return dt.date.fromordinal(self._kth_working_after(day.toordinal(), n))

    def _kth_working_after(self, cur: int, k: int) -> int:
        specials = self._specials
        j = bisect.bisect_right(specials, cur)
        while True:
            candidate = _kth_weekday_after(cur, k)
            if j == len(specials) or candidate < specials[j]:
                return candidate  # no special date in (cur, candidate]: the weekday rule holds
            special = specials[j]
            k -= _weekdays_strictly_between(cur, special)
            if special in self._special_work:
                k -= 1
                if k == 0:
                    return special
            cur = special
            j += 1


# ---------------------------------------------------------------------------------------------------


def _time_us(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _us_time(us: int) -> dt.time:
    seconds, micro = divmod(us, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute, second, micro)


@dataclass(frozen=True)
class OfficeSchedule:
    """Office hours of a working day: ordered, non-overlapping (start, end) periods."""

    periods: tuple[tuple[dt.time, dt.time], ...]
    _bounds: tuple[tuple[int, int, int], ...] = field(init=False, repr=False, compare=False)
    _per_day: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        periods = tuple((start, end) for start, end in self.periods)
        if not periods:
            raise ValueError("an office schedule needs at least one period")
        bounds = []
        done = 0
        previous_end = -1
        for start, end in periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office hours are local wall-clock times (no tzinfo)")
            s, e = _time_us(start), _time_us(end)
            if not s < e:
                raise ValueError(f"period {start}–{end}: the start must be before the end")
            if s < previous_end:
                raise ValueError(f"period {start}–{end} overlaps or precedes the previous one")
            bounds.append((s, e, done))  # start, end, working time done before this period
            done += e - s
            previous_end = e
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "_bounds", tuple(bounds))
        object.__setattr__(self, "_per_day", done)

    @classmethod
    def from_hours(cls, spec) -> OfficeSchedule:
        """From the settings form ((7, 30), (11, 30), (13, 0), (17, 0)): start, end, start, end…"""
        times = [dt.time(*item) for item in spec]
        if len(times) % 2:
            raise ValueError("office hours need start/end pairs")
        return cls(tuple(zip(times[::2], times[1::2], strict=True)))

    @property
    def working_time_per_day(self) -> dt.timedelta:
        return dt.timedelta(microseconds=self._per_day)

    @property
    def hours_per_day(self) -> Decimal:
        return Decimal(self._per_day) / Decimal(_US_PER_HOUR)

    @property
    def opening(self) -> dt.time:
        return self.periods[0][0]

    @property
    def closing(self) -> dt.time:
        return self.periods[-1][1]

    def _done_at(self, us: int) -> int:
        """Working time done on a working day from midnight to time-of-day `us`."""
        done = 0
        for s, e, _before in self._bounds:
            if us <= s:
                break
            done += min(us, e) - s
        return done

    def _time_at(self, done: int) -> int:
        """Time-of-day at which `done` (0 < done <= per day) working time has been worked; a count
        that ends exactly at the end of a period gives that end (11:30, 17:00)."""
        for s, e, before in self._bounds:
            if before + (e - s) >= done:
                return s + (done - before)
        raise ValueError("more than a day of working time")  # pragma: no cover

    def _next_open(self, us: int) -> int | None:
        """Earliest time-of-day >= `us` at which the office is open, or None after closing."""
        for s, e, _before in self._bounds:
            if us < e:
                return max(us, s)
        return None


# ---------------------------------------------------------------------------------------------------
# Moments. Internally a moment is (date ordinal, microseconds since local midnight).


def _local(moment: dt.datetime, name: str = "moment") -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (got a naive one: {moment!r})")
    return moment.astimezone(LOCAL_TZ)


def _split(moment: dt.datetime, name: str = "moment") -> tuple[int, int]:
    local = _local(moment, name)
    return local.toordinal(), _time_us(local.timetz().replace(tzinfo=None))


def _join(ordinal: int, us: int) -> dt.datetime:
    d = dt.date.fromordinal(ordinal)
    t = _us_time(us)
    return dt.datetime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.microsecond, tzinfo=LOCAL_TZ)


def _normalize(calendar: WorkingCalendar, schedule: OfficeSchedule, ordinal: int, us: int) -> tuple[int, int]:
    """The first working moment at or after (ordinal, us)."""
    if calendar._is_working_ordinal(ordinal):
        opened = schedule._next_open(us)
        if opened is not None:
            return ordinal, opened
    ordinal = calendar.next_working_day(dt.date.fromordinal(ordinal), strictly_after=True).toordinal()
    return ordinal, schedule._bounds[0][0]


def _add(calendar: WorkingCalendar, schedule: OfficeSchedule, ordinal: int, us: int, amount: int):
    """Add `amount` working microseconds to a normalized moment."""
    if amount == 0:
        return ordinal, us
    per_day = schedule._per_day
    full_days, rest = divmod(schedule._done_at(us) + amount, per_day)
    if rest == 0:  # lands exactly on the closing time of a working day: that closing time
        if full_days > 1:
            ordinal = calendar._kth_working_after(ordinal, full_days - 1)
        return ordinal, schedule._bounds[-1][1]
    if full_days:
        ordinal = calendar._kth_working_after(ordinal, full_days)
    return ordinal, schedule._time_at(rest)


def _between(
    calendar: WorkingCalendar, schedule: OfficeSchedule, a: tuple[int, int], b: tuple[int, int]
) -> int:
    """Working microseconds in [a, b); 0 when b <= a."""
    if b <= a:
        return 0
    (da, ua), (db, ub) = a, b
    if da == db:
        if not calendar._is_working_ordinal(da):
            return 0
        return schedule._done_at(ub) - schedule._done_at(ua)
    total = calendar._count_between(da, db) * schedule._per_day
    if calendar._is_working_ordinal(da):
        total += schedule._per_day - schedule._done_at(ua)
    if calendar._is_working_ordinal(db):
        total += schedule._done_at(ub)
    return total


_INFINITY = (dt.date.max.toordinal() + 1, 0)


def _merged_pauses(pauses) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pauses as sorted, merged [(start, end)] of internal moments; an open pause ends at infinity."""
    items = []
    for pause in pauses or ():
        start, end = pause
        s = _split(start, "pause start")
        e = _INFINITY if end is None else _split(end, "pause end")
        if e > s:
            items.append((s, e))
    items.sort()
    merged: list[list] = []
    for s, e in items:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _amount(schedule: OfficeSchedule, hours, days) -> int:
    if (hours is None) == (days is None):
        raise ValueError("give exactly one of hours= or days=")
    value, unit = (hours, _US_PER_HOUR) if hours is not None else (days, schedule._per_day)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise TypeError(f"working time must be a number, not {type(value).__name__}")
    if isinstance(value, float):
        value = Decimal(repr(value))
    if not Decimal(value).is_finite():
        raise ValueError("working time must be finite")
    amount = int((Decimal(value) * unit).to_integral_value())
    if amount < 0:
        raise ValueError("working time must not be negative")
    return amount


# ---------------------------------------------------------------------------------------------------
# Public functions.


def next_working_moment(
    calendar: WorkingCalendar, schedule: OfficeSchedule, moment: dt.datetime
) -> dt.datetime:
    """`moment` itself when the office is open then, else the next opening (after the lunch break,
    the next morning, after the weekend or holidays). A closing time (17:00) is not open."""
    return _join(*_normalize(calendar, schedule, *_split(moment)))


def start_of_next_working_day(
    calendar: WorkingCalendar, schedule: OfficeSchedule, moment: dt.datetime
) -> dt.datetime:
    """Opening time of the first working day after the local date of `moment` (e.g. for a dossier
    received after the cut-off hour)."""
    ordinal, _us = _split(moment)
    day = calendar.next_working_day(dt.date.fromordinal(ordinal), strictly_after=True)
    return _join(day.toordinal(), schedule._bounds[0][0])


def add_working_time(
    calendar: WorkingCalendar,
    schedule: OfficeSchedule,
    start: dt.datetime,
    *,
    hours=None,
    days=None,
    pauses: Iterable = (),
) -> dt.datetime | None:
    """The moment at which `hours` working hours (or `days` working days, each worth
    `schedule.hours_per_day` hours) have elapsed from `start`.

    A start outside office hours counts from the next working moment. A count ending exactly at
    the end of a period returns that end (17:00, not 07:30 the next day). `pauses` are
    (start, end) pairs, end None for a pause still open, during which the clock is stopped.
    Returns None when an open pause begins before the count is complete (no due moment while the
    clock is stopped). Zero returns the normalized start. Raises ValueError for a negative count,
    for both or neither of hours/days, and for naive datetimes.
    """
    amount = _amount(schedule, hours, days)
    ordinal, us = _normalize(calendar, schedule, *_split(start, "start"))
    cur = (ordinal, us)
    for pause_start, pause_end in _merged_pauses(pauses):
        if pause_end <= cur:
            continue
        if pause_start > cur:
            available = _between(calendar, schedule, cur, pause_start)
            if available >= amount:
                break
            amount -= available
        if pause_end == _INFINITY:
            return None
        cur = _normalize(calendar, schedule, *pause_end)
    return _join(*_add(calendar, schedule, *cur, amount))


def working_time_between(
    calendar: WorkingCalendar,
    schedule: OfficeSchedule,
    start: dt.datetime,
    end: dt.datetime,
    *,
    pauses: Iterable = (),
) -> dt.timedelta:
    """Working time in [start, end) outside the pauses; zero when end <= start."""
    a, b = _split(start, "start"), _split(end, "end")
    if b <= a:
        return dt.timedelta(0)
    total = _between(calendar, schedule, a, b)
    for pause_start, pause_end in _merged_pauses(pauses):
        s, e = max(pause_start, a), min(pause_end, b)
        if s < e:
            total -= _between(calendar, schedule, s, e)
    return dt.timedelta(microseconds=total)
