"""Many due moments at once: add_working_days_many equals add_working_time pair by pair."""

import datetime as dt
import pickle
import random

import holidays
import numpy as np
import pytest

from eiso.calendars import services
from eiso.calendars.batch import add_working_days_many
from eiso.calendars.engine import LOCAL_TZ, OfficeSchedule, WorkingCalendar, add_working_time
from eiso.calendars.models import OfficeHours
from eiso.organizations.models import AdminUnit, Agency

from .conftest import at

DEFAULT = OfficeSchedule.from_hours(((7, 30), (11, 30), (13, 0), (17, 0)))
PLAIN = WorkingCalendar()
THREE_PERIODS = OfficeSchedule.from_hours(((7, 0), (9, 0), (9, 15), (11, 45), (13, 30), (16, 0)))
YEARS = range(2024, 2028)


def _vietnam(years) -> WorkingCalendar:
    """The calendar that seeding these years gives: the package's holidays and worked weekend days."""
    national = holidays.Vietnam(years=years)
    worked = {day for day in national.weekend_workdays if day.year in years and day.weekday() >= 5}
    return WorkingCalendar(frozenset(national), frozenset(worked))


VIETNAM = _vietnam(YEARS)
SWAPPED_SATURDAYS = [dt.date(2024, 5, 4), dt.date(2025, 4, 26), dt.date(2026, 8, 22)]
TET = [dt.date(2025, 1, 27), dt.date(2025, 2, 1), dt.date(2026, 2, 16), dt.date(2026, 2, 20), dt.date(2027, 2, 8)]
EDGE_TIMES = [
    dt.time(0, 0), dt.time(7, 0), dt.time(7, 29, 59, 999999), dt.time(7, 30), dt.time(7, 30, 0, 1), dt.time(9, 0),
    dt.time(9, 15), dt.time(11, 30), dt.time(11, 45), dt.time(12, 15), dt.time(13, 0), dt.time(13, 30),
    dt.time(16, 0), dt.time(16, 59, 59, 999999), dt.time(17, 0), dt.time(23, 59, 59),
]


def _random_pairs(count: int, seed: int) -> tuple[list[dt.datetime], list[int]]:
    rng = random.Random(seed)
    first = dt.date(2024, 1, 1).toordinal()
    span = dt.date(2027, 6, 30).toordinal() - first
    special = [*SWAPPED_SATURDAYS, *TET, *sorted(VIETNAM.days_off)]
    starts, days = [], []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            day = rng.choice(special)
        else:
            day = dt.date.fromordinal(first + rng.randrange(span))
        if roll < 0.5:
            moment = dt.datetime.combine(day, rng.choice(EDGE_TIMES), tzinfo=LOCAL_TZ)
        else:
            moment = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ) + dt.timedelta(
                microseconds=rng.randrange(86_400_000_000))
        if rng.random() < 0.1:
            moment = moment.astimezone(dt.UTC)  # another zone: converted to Vietnam's time
        starts.append(moment)
        days.append(rng.choice((0, 1, 2)) if rng.random() < 0.2 else rng.randrange(1, 61))
    return starts, days


def _same(got: list[dt.datetime], expected: list[dt.datetime]) -> None:
    """Equal as moments and as Vietnam wall-clock times."""
    assert [m.isoformat() for m in got] == [m.isoformat() for m in expected]
    assert all(m.tzinfo is LOCAL_TZ for m in got)


def _utc64(moments) -> np.ndarray:
    return np.array([m.astimezone(dt.UTC).replace(tzinfo=None) for m in moments], dtype="datetime64[us]")


def test_the_calendar_under_test_has_lunar_new_year_and_swapped_saturdays():
    # given / when / then: the random comparisons below cover them
    assert all(VIETNAM.is_working_day(day) for day in SWAPPED_SATURDAYS)
    assert not any(VIETNAM.is_working_day(day) for day in TET)


@pytest.mark.parametrize("schedule", [DEFAULT, THREE_PERIODS], ids=["default", "three-periods"])
def test_random_pairs_equal_the_reference_pair_by_pair(schedule):
    # given
    starts, days = _random_pairs(3000, seed=9001)
    expected = [add_working_time(VIETNAM, schedule, start, days=n) for start, n in zip(starts, days, strict=True)]
    # when
    as_datetimes = add_working_days_many(VIETNAM, schedule, starts, days)
    as_arrays = add_working_days_many(VIETNAM, schedule, _utc64(starts), np.array(days))
    # then
    _same(as_datetimes, expected)
    assert as_arrays.dtype == np.dtype("datetime64[us]")
    assert (as_arrays == _utc64(expected)).all()


def test_a_fresh_calendar_and_a_scalar_count_give_the_reference():
    # given: a new calendar (no rank table yet) and one count for every start
    calendar = _vietnam(YEARS)
    starts, _days = _random_pairs(500, seed=17)
    # when
    got = add_working_days_many(calendar, DEFAULT, starts, 7)
    # then
    _same(got, [add_working_time(VIETNAM, DEFAULT, start, days=7) for start in starts])


def test_known_due_moments_around_tet_and_a_swapped_saturday():
    # given
    starts = [
        at(2026, 2, 13, 15, 30),  # Friday before Tết 2026
        at(2026, 8, 21, 10, 0),  # Friday before the worked Saturday 22/08/2026
        at(2026, 8, 22, 7, 30),  # the worked Saturday, at the opening
        at(2026, 3, 2, 7, 30),  # Monday opening
        at(2026, 3, 2, 12, 15),  # lunch break
        at(2026, 3, 2, 18, 0),  # after closing
        at(2026, 2, 17, 9, 0),  # during Tết
    ]
    # when
    due = add_working_days_many(VIETNAM, DEFAULT, starts, [3, 1, 1, 1, 1, 1, 1])
    # then
    assert due == [
        at(2026, 2, 25, 15, 30),
        at(2026, 8, 22, 10, 0),
        at(2026, 8, 22, 17, 0),
        at(2026, 3, 2, 17, 0),
        at(2026, 3, 3, 11, 30),  # from 13:00: four hours worked at the start, reached at 11:30
        at(2026, 3, 3, 17, 0),
        at(2026, 2, 23, 17, 0),
    ]


def test_zero_days_return_the_normalized_start():
    # given
    starts = [at(2026, 3, 2, 9, 0), at(2026, 3, 2, 12, 0), at(2026, 3, 7, 9, 0), at(2026, 3, 2, 17, 0)]
    # when
    due = add_working_days_many(VIETNAM, DEFAULT, starts, 0)
    # then
    assert due == [at(2026, 3, 2, 9, 0), at(2026, 3, 2, 13, 0), at(2026, 3, 9, 7, 30), at(2026, 3, 3, 7, 30)]


def test_empty_input_gives_empty_output():
    # given / when / then
    assert add_working_days_many(VIETNAM, DEFAULT, [], []) == []
    assert add_working_days_many(VIETNAM, DEFAULT, [], 3) == []
    empty = add_working_days_many(VIETNAM, DEFAULT, np.array([], dtype="datetime64[us]"), 3)
    assert empty.shape == (0,)
    assert empty.dtype == np.dtype("datetime64[us]")


def test_a_long_break_beyond_the_first_guess_extends_the_table():
    # given: 500 weekdays off in a row, longer than the table first built for 5 working days ahead
    first = dt.date(2030, 1, 7)
    off = frozenset(first + dt.timedelta(days=i) for i in range(700) if (first + dt.timedelta(days=i)).weekday() < 5)
    calendar = WorkingCalendar(days_off=off)
    start = at(2030, 1, 4, 9, 0)  # the Friday before
    # when
    due = add_working_days_many(calendar, DEFAULT, [start], [5])
    later = add_working_days_many(calendar, DEFAULT, [at(2040, 1, 2, 9, 0)], [1])  # beyond the cached table
    # then
    assert due == [add_working_time(calendar, DEFAULT, start, days=5)]
    assert due[0].date() == first + dt.timedelta(days=700 + 4)
    assert later == [at(2040, 1, 3, 9, 0)]


def test_the_rank_table_is_not_pickled_with_the_cached_calendar():
    # given
    calendar = _vietnam(YEARS)
    add_working_days_many(calendar, DEFAULT, [at(2026, 3, 2, 9, 0)], 1)
    # when
    copy = pickle.loads(pickle.dumps(calendar))
    # then
    assert calendar._rank_table is not None
    assert copy._rank_table is None
    assert copy == calendar
    assert add_working_days_many(copy, DEFAULT, [at(2026, 8, 21, 10, 0)], 1) == [at(2026, 8, 22, 10, 0)]


@pytest.mark.parametrize(
    ("starts", "days", "error"),
    [
        ([dt.datetime(2026, 3, 2, 9, 0)], 1, ValueError),  # naive, like the reference
        (["2026-03-02 09:00"], 1, TypeError),
        ([at(2026, 3, 2, 9, 0)], -1, ValueError),
        ([at(2026, 3, 2, 9, 0)], [1, 2], ValueError),  # lengths differ
        ([at(2026, 3, 2, 9, 0)], 1.5, TypeError),  # whole days only
        ([at(2026, 3, 2, 9, 0)], [True], TypeError),
        ([at(2026, 3, 2, 9, 0)], True, TypeError),
        (np.array(["1975-06-12T16:59"], dtype="datetime64[us]"), 1, ValueError),  # offset not yet +07:00
        (np.array(["NaT"], dtype="datetime64[us]"), 1, ValueError),
        (np.array([1, 2]), 1, TypeError),
    ],
)
def test_invalid_input_is_refused(starts, days, error):
    # given / when / then
    with pytest.raises(error):
        add_working_days_many(VIETNAM, DEFAULT, starts, days)


def test_a_due_date_after_the_year_9999_overflows_and_one_just_before_does_not():
    # given
    start = at(9999, 12, 1, 9, 0)  # a Wednesday
    # when / then
    assert add_working_days_many(PLAIN, DEFAULT, [start], 5) == [add_working_time(PLAIN, DEFAULT, start, days=5)]
    with pytest.raises(OverflowError):
        add_working_days_many(PLAIN, DEFAULT, [start], 30)


def test_naive_datetime_refused_as_by_the_reference():
    # given
    naive = dt.datetime(2026, 3, 2, 9, 0)
    # when / then
    with pytest.raises(ValueError):
        add_working_time(VIETNAM, DEFAULT, naive, days=1)
    with pytest.raises(ValueError):
        add_working_days_many(VIETNAM, DEFAULT, [at(2026, 3, 2, 9, 0), naive], [1, 1])


@pytest.mark.django_db
def test_the_service_uses_the_seeded_calendar_and_the_agency_hours():
    # given: 2026 seeded, and an agency open 08:00–12:00, 13:30–17:30
    services.holidays_seed_year(year=2026)
    province = AdminUnit.objects.create(code="01", level="province", name="Thành phố Hà Nội")
    commune = AdminUnit.objects.create(code="00004", level="commune", name="Phường Ba Đình", parent=province)
    agency = Agency.objects.create(
        code="UBND-BA-DINH", name="Ủy ban nhân dân phường Ba Đình", kind="peoples_committee", admin_unit=commune,
    )
    OfficeHours.objects.create(agency=agency, morning_start=dt.time(8), morning_end=dt.time(12),
                               afternoon_start=dt.time(13, 30), afternoon_end=dt.time(17, 30))
    starts = [at(2026, 2, 13, 15, 30), at(2026, 8, 21, 8, 0), at(2026, 8, 21, 12, 45)]
    # when
    national = services.add_working_days_many(starts=starts, days=[3, 1, 1])
    own_hours = services.add_working_days_many(starts=starts, days=[3, 1, 1], agency=agency)
    # then
    assert national == [services.add_working_time(start=s, days=n) for s, n in zip(starts, [3, 1, 1], strict=True)]
    assert national[0] == at(2026, 2, 25, 15, 30)
    assert own_hours == [at(2026, 2, 25, 15, 30), at(2026, 8, 21, 17, 30), at(2026, 8, 22, 12, 0)]
