"""Many due moments at once (whole working days), vectorised with numpy over a table of working-day ranks:
rank[o] = number of working days up to date o, working_ordinals[r] = the working day of rank r. Each pair is
then a few array lookups instead of a walk over the special dates. `add_working_days_many` gives exactly what
`engine.add_working_time(..., days=n)` gives pair by pair (tests/calendars/test_engine_batch.py; bench/deadlines.py
compares it with numpy.busday_offset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eiso.calendars.engine import (
    _US_PER_DAY,
    _US_PER_HOUR,
    LOCAL_TZ,
    OfficeSchedule,
    WorkingCalendar,
    _local,
)

if TYPE_CHECKING:
    import numpy as np

_UNIX_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_LOCAL_OFFSET_US = 7 * _US_PER_HOUR
# Asia/Ho_Chi_Minh has been UTC+7 since 1975-06-13 00:00 local time (= 1975-06-12 17:00 UTC); the
# datetime64 input, converted with that fixed offset, must not be earlier.
_FIXED_OFFSET_SINCE = dt.datetime(1975, 6, 13, tzinfo=LOCAL_TZ)
_FIXED_OFFSET_SINCE_US = (_FIXED_OFFSET_SINCE - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
_TABLE_MARGIN = 400  # dates added on both sides of a rank table, so that nearby calls reuse it
_LAST_ORDINAL = dt.date.max.toordinal()


@dataclass(frozen=True)
class _RankTable:
    """The working days of the ordinals [lo, hi] of one calendar.

    `working[i]`: is lo + i a working day; `rank[i]`: number of working days in [lo, lo + i];
    `working_ordinals[r]`: ordinal of the (r + 1)-th working day from lo (so working_ordinals[rank[i] - 1]
    is lo + i when that is a working day, and working_ordinals[rank[i]] is the next working day after it).
    """

    lo: int
    hi: int
    working: np.ndarray
    rank: np.ndarray
    working_ordinals: np.ndarray


def _build_rank_table(calendar: WorkingCalendar, lo: int, hi: int) -> _RankTable:
    import numpy as np

    ordinals = np.arange(lo, hi + 1, dtype=np.int64)
    working = (ordinals - 1) % 7 < 5  # ordinal 1 is a Monday
    off = np.asarray(calendar._off_weekdays, dtype=np.int64)
    working[off[(off >= lo) & (off <= hi)] - lo] = False
    work = np.asarray(calendar._work_weekends, dtype=np.int64)
    working[work[(work >= lo) & (work <= hi)] - lo] = True
    return _RankTable(lo, hi, working, np.cumsum(working, dtype=np.int64), ordinals[working])


def _rank_table(calendar: WorkingCalendar, lo: int, hi: int) -> _RankTable:
    """A rank table of `calendar` covering at least [lo, hi], cached on the calendar."""
    table = calendar._rank_table
    if table is not None and table.lo <= lo and hi <= table.hi:
        return table
    if table is not None:
        lo, hi = min(lo, table.lo), max(hi, table.hi)
    table = _build_rank_table(calendar, max(1, lo - _TABLE_MARGIN), min(_LAST_ORDINAL, hi + _TABLE_MARGIN))
    object.__setattr__(calendar, "_rank_table", table)
    return table


def _whole_days(days, count: int) -> np.ndarray:
    import numpy as np

    if isinstance(days, bool):
        raise TypeError("working days must be whole numbers, not bool")
    if isinstance(days, np.ndarray):
        values = days
    elif isinstance(days, Iterable):
        values = np.asarray(list(days))
        if values.size == 0:  # [] is a float array to numpy
            values = values.astype(np.int64)
    else:
        values = np.asarray(days)
    if values.dtype.kind not in "iu":
        raise TypeError(f"working days must be whole numbers (integers), not {values.dtype}")
    if values.ndim == 0:
        values = np.full(count, values, dtype=np.int64)
    elif values.shape != (count,):
        raise ValueError(f"{count} starts but {values.size} counts of working days")
    values = values.astype(np.int64, copy=False)
    if count and values.min() < 0:
        raise ValueError("working time must not be negative")
    return values


def _due_many(
    calendar: WorkingCalendar, schedule: OfficeSchedule, ordinals: np.ndarray, times: np.ndarray, days: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Due (ordinals, microseconds of the day) of whole `days` from local (ordinals, times): the
    vectorised _normalize + _add."""
    import numpy as np

    if ordinals.size == 0:
        return ordinals.copy(), times.copy()
    bounds = schedule._bounds
    opening, closing = bounds[0][0], bounds[-1][1]
    # The time of the normalized start (_normalize) when the office is open that day: the start
    # itself, or the start of the next period (after the lunch break).
    open_time = np.maximum(times, bounds[-1][0])
    for s, e, _before in reversed(bounds[:-1]):
        open_time = np.where(times < e, np.maximum(times, s), open_time)
    zero = days == 0
    some_zero = bool(zero.any())
    lo, top, most = int(ordinals.min()), int(ordinals.max()), int(days.max())
    hi = top + (most + 1) * 7 // 5 + 31  # enough unless the days off are very long: checked below
    while True:
        table = _rank_table(calendar, lo, hi)
        index = ordinals - table.lo
        open_now = table.working[index] & (times < closing)
        # Normalized start: (the start's date, open_time) when open, else the opening of the next
        # working day; `first` is the 0-based rank of its date in the table.
        first = table.rank[index] - open_now
        start_us = np.where(open_now, open_time, opening)
        # _add, whole days: the day ends on the n-th working day after the start's, at the moment when
        # as much has been worked as at the start, except that from the opening it ends at the closing
        # of the (n - 1)-th working day after (the start's own day for n == 1).
        from_opening = start_us == opening
        if some_zero:
            from_opening &= ~zero
        target = first + days - from_opening
        if int(target.max()) < len(table.working_ordinals):
            break
        if table.hi == _LAST_ORDINAL:
            raise OverflowError("a due date falls after 9999-12-31")
        hi += hi - lo + 1  # not enough working days in the table: twice as far
    due_ordinals = table.working_ordinals[target]
    # As much worked as at the start of a later period (13:00) is reached at the end of the period
    # before it (11:30); as at the opening, at the closing.
    due_us = start_us
    for (_s, previous_end, _b), (s, _e, _before) in zip(bounds[-1:] + bounds[:-1], bounds, strict=True):
        due_us = np.where(start_us == s, previous_end, due_us)
    if some_zero:
        due_us = np.where(zero, start_us, due_us)
    return due_ordinals, due_us


def add_working_days_many(calendar: WorkingCalendar, schedule: OfficeSchedule, starts, days):
    """Due moments of many (start, whole working days) pairs at once: element i is exactly
    `add_working_time(calendar, schedule, starts[i], days=days[i])` (same normalization of starts
    outside office hours or on days off, same result for 0 days), computed with numpy.

    `starts`: aware datetimes (any iterable), or a numpy datetime64 array of UTC instants (the way
    numpy and pandas hold aware moments; any datetime64 unit). `days`: one whole number for every
    start, or one per start (a sequence or an integer array); fractions are refused (use
    add_working_time).

    Returns a list of aware datetimes in Asia/Ho_Chi_Minh for datetimes, a datetime64[us] array of
    UTC instants for a datetime64 array. Raises ValueError for a naive datetime, a negative count,
    counts and starts of different lengths, or datetime64 instants before 1975-06-12 17:00 UTC
    (Vietnam's offset was not yet +07:00); TypeError for a start that is not a datetime or days that
    are not whole numbers.
    """
    import numpy as np

    if isinstance(starts, np.ndarray) and starts.dtype.kind == "M":
        if starts.ndim != 1:
            raise ValueError("starts must be one-dimensional")
        instants = starts.astype("datetime64[us]").view(np.int64)
        if np.isnat(starts).any():
            raise ValueError("starts contain NaT")
        if instants.size and int(instants.min()) < _FIXED_OFFSET_SINCE_US:
            raise ValueError("datetime64 starts must not be earlier than 1975-06-12 17:00 UTC")
        counts = _whole_days(days, instants.size)
        local_days, times = np.divmod(instants + _LOCAL_OFFSET_US, _US_PER_DAY)
        due_ordinals, due_us = _due_many(calendar, schedule, local_days + _UNIX_EPOCH_ORDINAL, times, counts)
        due = (due_ordinals - _UNIX_EPOCH_ORDINAL) * _US_PER_DAY + due_us - _LOCAL_OFFSET_US
        return due.view("datetime64[us]")

    ordinals, times = [], []
    for moment in starts:
        local = _local(moment, "start")
        ordinals.append(local.toordinal())
        times.append(((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond)
    counts = _whole_days(days, len(ordinals))
    due_ordinals, due_us = _due_many(
        calendar, schedule, np.asarray(ordinals, dtype=np.int64), np.asarray(times, dtype=np.int64), counts
    )
    # Local wall-clock moments → naive datetimes (in C) → Vietnam's zone, as _join does.
    wall = ((due_ordinals - _UNIX_EPOCH_ORDINAL) * _US_PER_DAY + due_us).view("datetime64[us]")
    return [moment.replace(tzinfo=LOCAL_TZ) for moment in wall.astype(object)]
