"""Benchmark of the deadline engine: 1,000,000 due moments at once, against numpy.busday_offset.

    python bench/deadlines.py [--pairs 1000000] [--sample 50000] [--seed 2026]

No database: Django is set up (settings_test, an in-memory SQLite that is never used) only to import the
calendar's code. The working calendar is Vietnam's for 2020–2035, built from exactly the rows that
`holidays_seed_year` seeds (`services._package_days`: the `holidays` package's public holidays and
compensatory days off, and the weekend days worked by an official day swap — 04/05/2024, 26/04/2025 and
22/08/2026 in these years), the way `selectors.working_calendar` turns rows into an
`engine.WorkingCalendar`; office hours are the default 07:30–11:30, 13:00–17:00.

Pairs (seeded numpy RNG): receipt moments uniform to the second over 2020-01-01 – 2035-06-30 (local
time), one in ten moved to a boundary of the office day (00:00, 07:30, 11:30, 13:00, 17:00) to exercise
the edges; working days uniform in 1–60. Both sides get the same input: a datetime64[us] array of UTC
instants and an int64 array of days.

(a) ours: `batch.add_working_days_many(calendar, schedule, instants, days)` → due moments (date and time
    of day, datetime64[us] UTC), equal by construction to `add_working_time(..., days=n)` per pair.
(b) numpy: `numpy.busday_offset` → due dates. numpy's weekmask cannot make one Saturday a working day, so
    the calendar of record is given to numpy exactly as a weekmask of all seven days plus, as holidays,
    every date that is not a working day in 2019–2036 (weekends other than the worked Saturdays, and the
    days off). For information, numpy is also timed with its natural calendar (weekmask Mon–Fri, the days
    off as holidays): faster, but it cannot know the worked Saturdays, so pairs whose span contains one
    differ; the script checks that every difference is such a pair.

The date-level rule that our engine follows (worked out from `_normalize` and `_add`), for a receipt on
local date D at local time T and n >= 1 working days, with opening 07:30 and closing 17:00:

* D a working day, T <= 07:30 (counted from the opening): due at 17:00 on the (n-1)-th working day after
  D (D itself for n = 1) → numpy: busday_offset(D, n - 1).
* D a working day, 07:30 < T (during the hours, in the lunch break, or after closing, which counts from
  the next morning's opening and so also ends on the n-th working day after D) → busday_offset(D, n).
* D not a working day: counted from the opening of the next working day D' → due at 17:00 on the
  (n-1)-th working day after D' → busday_offset(D, n - 1, roll="forward").

That is: due date = busday_offset(D, n - 1 + (is_busday(D) and T > 07:30), roll="forward"), which the
numpy side computes (the conversion to local date and time, is_busday and busday_offset are all timed as
numpy's side). The script checks that the dates agree for every pair (exit status 1 otherwise), and, on a
sample, that the batch equals the per-pair reference `add_working_time` to the microsecond.

Times are the best of 3 runs in this process. Prints both times and the ratio ours/numpy; the target
(issue "Apply the QMS to real work: dossiers") is a ratio <= 1. Also prints, for scale, the per-pair
reference and the batch API with Python datetimes on the sample.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(2020, 2036)
RECEIPTS_FROM, RECEIPTS_UNTIL = dt.date(2020, 1, 1), dt.date(2035, 7, 1)
NUMPY_RANGE = (dt.date(2019, 1, 1), dt.date(2036, 12, 31))  # holidays given to numpy cover this range
BOUNDARIES = ((0, 0), (7, 30), (11, 30), (13, 0), (17, 0))
US_PER_DAY = 86_400_000_000
OFFSET_US = 7 * 3_600_000_000


def setup(workdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eiso.settings_test")
    os.environ.setdefault("EISO_DATA_DIR", workdir)
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def vietnam_calendar():
    """The engine's calendar from the rows holidays_seed_year would seed for YEARS."""
    from eiso.calendars.choices import CalendarDayKind
    from eiso.calendars.engine import WorkingCalendar
    from eiso.calendars.services import _package_days

    days_off, working_days = set(), set()
    for year in YEARS:
        for day, kind, _name in _package_days(year):
            (working_days if kind == CalendarDayKind.WORKING_DAY else days_off).add(day)
    return WorkingCalendar(frozenset(days_off), frozenset(working_days))


def numpy_calendars(calendar):
    """(exact, natural) numpy.busdaycalendar of `calendar`, built from its dates (not from the engine)."""
    import numpy as np

    first, last = NUMPY_RANGE
    not_working = []
    day = first
    while day <= last:
        if (day.weekday() >= 5 and day not in calendar.working_days) or day in calendar.days_off:
            not_working.append(day)
        day += dt.timedelta(days=1)
    exact = np.busdaycalendar(weekmask="1111111", holidays=np.array(not_working, dtype="datetime64[D]"))
    natural = np.busdaycalendar(weekmask="1111100", holidays=np.array(sorted(calendar.days_off), dtype="datetime64[D]"))
    return exact, natural


def make_pairs(count: int, seed: int):
    """(instants: datetime64[us] UTC, days: int64) — receipt moments and working days."""
    import numpy as np

    rng = np.random.default_rng(seed)
    first = (RECEIPTS_FROM - dt.date(1970, 1, 1)).days
    span = (RECEIPTS_UNTIL - RECEIPTS_FROM).days
    local_days = first + rng.integers(0, span, count)
    seconds = rng.integers(0, 86_400, count)
    edge = rng.random(count) < 0.1
    boundary = np.array([(h * 60 + m) * 60 for h, m in BOUNDARIES])
    seconds[edge] = boundary[rng.integers(0, len(boundary), int(edge.sum()))]
    local_us = local_days * US_PER_DAY + seconds * 1_000_000
    days = rng.integers(1, 61, count)
    return (local_us - OFFSET_US).view("datetime64[us]"), days


def numpy_due_dates(instants, days, busdaycal, opening_us: int):
    """Due dates by numpy: the date-level rule of the docstring, then busday_offset."""
    import numpy as np

    local = instants + np.timedelta64(OFFSET_US, "us")
    dates = local.astype("datetime64[D]")
    after_opening = (local - dates).view(np.int64) > opening_us
    offsets = days - 1 + (np.is_busday(dates, busdaycal=busdaycal) & after_opening)
    return np.busday_offset(dates, offsets, roll="forward", busdaycal=busdaycal)


def best_of(runs: int, function):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        import numpy as np

        from eiso.calendars.batch import _rank_table, add_working_days_many
        from eiso.calendars.engine import LOCAL_TZ, _time_us, add_working_time
        from eiso.calendars.models import default_office_schedule

        calendar = vietnam_calendar()
        schedule = default_office_schedule()
        opening_us = _time_us(schedule.opening)
        exact, natural = numpy_calendars(calendar)
        instants, days = make_pairs(args.pairs, args.seed)
        fresh_lo = (RECEIPTS_FROM - dt.date.min).days + 1
        fresh_hi = (RECEIPTS_UNTIL - dt.date.min).days + 1 + 120
        swaps = sorted(calendar.working_days)
        print(f"calendar {YEARS.start}–{YEARS.stop - 1}: {len(calendar.days_off)} days off, worked weekend days "
              f"{', '.join(d.strftime('%d/%m/%Y') for d in swaps)}; numpy {np.__version__}, Python "
              f"{sys.version.split()[0]}")
        print(f"{args.pairs:,} pairs (seed {args.seed}), receipts {RECEIPTS_FROM} – {RECEIPTS_UNTIL}, "
              "1–60 working days")

        # Ours: the first call on a calendar builds its rank table (cached on the calendar), timed apart
        # here; the first call also pays for the process's first allocations of 1,000,000-element arrays.
        fresh = vietnam_calendar()
        table_time, _ = best_of(1, lambda: _rank_table(fresh, fresh_lo, fresh_hi))
        cold_time, _ = best_of(1, lambda: add_working_days_many(calendar, schedule, instants, days))
        ours_time, ours = best_of(3, lambda: add_working_days_many(calendar, schedule, instants, days))
        exact_time, numpy_dates = best_of(3, lambda: numpy_due_dates(instants, days, exact, opening_us))
        natural_time, natural_dates = best_of(3, lambda: numpy_due_dates(instants, days, natural, opening_us))
        # busday_offset alone, its start dates and offsets prepared outside the timing.
        local = instants + np.timedelta64(OFFSET_US, "us")
        dates = local.astype("datetime64[D]")
        offsets = days - 1 + (np.is_busday(dates, busdaycal=exact) & ((local - dates).view(np.int64) > opening_us))
        bare_time, _ = best_of(3, lambda: np.busday_offset(dates, offsets, roll="forward", busdaycal=exact))
        bare_natural_time, _ = best_of(3, lambda: np.busday_offset(dates, offsets, roll="forward", busdaycal=natural))

        ours_dates = (ours + np.timedelta64(OFFSET_US, "us")).astype("datetime64[D]")
        disagreements = int((ours_dates != numpy_dates).sum())
        # The natural calendar: differences are allowed only where a worked Saturday lies in [receipt
        # date, our due date].
        swap_days = np.array(swaps, dtype="datetime64[D]")
        spans_swap = (np.searchsorted(swap_days, ours_dates, side="right")
                      - np.searchsorted(swap_days, dates, side="left")) > 0
        natural_differ = ours_dates != natural_dates
        unexplained = int((natural_differ & ~spans_swap).sum())

        # Scale: the per-pair reference and the batch API with Python datetimes, on a sample.
        sample = min(args.sample, args.pairs)
        moments = [m.replace(tzinfo=dt.UTC).astimezone(LOCAL_TZ) for m in instants[:sample].astype(object)]
        counts = [int(n) for n in days[:sample]]
        reference_time, reference = best_of(
            3, lambda: [add_working_time(calendar, schedule, m, days=n) for m, n in zip(moments, counts, strict=True)]
        )
        listed_time, listed = best_of(3, lambda: add_working_days_many(calendar, schedule, moments, counts))
        sample_differ = sum(a != b for a, b in zip(reference, listed, strict=True))
        array_differ = int((ours[:sample] != np.array(
            [r.astimezone(dt.UTC).replace(tzinfo=None) for r in reference], dtype="datetime64[us]")).sum())

    per_pair = lambda seconds, n: f"{seconds / n * 1e9:,.0f} ns/pair"  # noqa: E731
    print()
    print(f"(a) ours, add_working_days_many (datetime64 in/out)   {ours_time * 1000:9.1f} ms  "
          f"{per_pair(ours_time, args.pairs)}")
    print(f"    ours, first call (cold)                           {cold_time * 1000:9.1f} ms  "
          f"(of which building the rank table: {table_time * 1000:.2f} ms)")
    print(f"(b) numpy, exact calendar (rule + busday_offset)      {exact_time * 1000:9.1f} ms  "
          f"{per_pair(exact_time, args.pairs)}")
    print(f"    numpy, exact calendar, busday_offset alone        {bare_time * 1000:9.1f} ms")
    print(f"    numpy, Mon–Fri weekmask (rule + busday_offset)    {natural_time * 1000:9.1f} ms  "
          f"(cannot express worked Saturdays)")
    print(f"    numpy, Mon–Fri weekmask, busday_offset alone      {bare_natural_time * 1000:9.1f} ms")
    print()
    print(f"ratio ours / numpy (exact calendar):                  {ours_time / exact_time:.2f}")
    print(f"ratio ours / busday_offset alone (exact calendar):    {ours_time / bare_time:.2f}")
    print(f"ratio ours / numpy (Mon–Fri weekmask):                {ours_time / natural_time:.2f}")
    print(f"ratio ours / busday_offset alone (Mon–Fri weekmask):  {ours_time / bare_natural_time:.2f}")
    met = ours_time <= exact_time
    print(f"target ours <= numpy (exact calendar): {'MET' if met else 'NOT MET'}")
    print()
    print(f"due dates differing from numpy (exact calendar): {disagreements} of {args.pairs:,}")
    print(f"due dates differing from numpy (Mon–Fri weekmask): {int(natural_differ.sum())}, of which "
          f"{unexplained} not spanning a worked Saturday ({int(spans_swap.sum())} pairs span one)")
    print()
    print(f"scale, {sample:,}-pair sample: reference add_working_time per pair {reference_time * 1000:.1f} ms "
          f"({per_pair(reference_time, sample)}); add_working_days_many with Python datetimes "
          f"{listed_time * 1000:.1f} ms ({per_pair(listed_time, sample)}); "
          f"ours (datetime64) / reference, per pair: {ours_time / args.pairs / (reference_time / sample):.3f}")
    print(f"sample moments differing from the reference: {sample_differ} (datetimes), {array_differ} (datetime64)")
    return 1 if disagreements or unexplained or sample_differ or array_differ else 0


if __name__ == "__main__":
    sys.exit(main())
