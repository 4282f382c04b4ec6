"""The pure engine: no database, exact expected moments."""

import datetime as dt
from decimal import Decimal

import pytest

from eiso.calendars.engine import (
    OfficeSchedule,
    WorkingCalendar,
    add_working_time,
    next_working_moment,
    start_of_next_working_day,
    working_time_between,
)

from .conftest import at

DEFAULT = OfficeSchedule.from_hours(((7, 30), (11, 30), (13, 0), (17, 0)))
EIGHT_TO_FIVE = OfficeSchedule.from_hours(((8, 0), (12, 0), (13, 0), (17, 0)))
PLAIN = WorkingCalendar()
# Lunar New Year 2026 and National Day 2026 as seeded from the holidays package, with the
# official swap: Monday 31/08/2026 off, Saturday 22/08/2026 worked.
TET_2026 = [dt.date(2026, 2, d) for d in range(16, 21)]
NATIONAL_DAY_2026 = [dt.date(2026, 8, 31), dt.date(2026, 9, 1), dt.date(2026, 9, 2)]
CAL_2026 = WorkingCalendar(
    days_off=frozenset([dt.date(2026, 1, 1), *TET_2026, dt.date(2026, 4, 30), dt.date(2026, 5, 1),
                        *NATIONAL_DAY_2026]),
    working_days=frozenset([dt.date(2026, 8, 22)]),
)


def test_schedule_of_the_default_office_hours_is_eight_hours_a_day():
    # given / when / then
    assert DEFAULT.hours_per_day == 8
    assert DEFAULT.working_time_per_day == dt.timedelta(hours=8)


def test_one_working_day_from_friday_morning_is_monday_same_time():
    # given
    start = at(2026, 3, 6, 10, 0)  # Friday
    # when
    end = add_working_time(PLAIN, DEFAULT, start, days=1)
    # then
    assert end == at(2026, 3, 9, 10, 0)
    assert end.tzinfo == start.tzinfo


def test_start_on_a_weekend_counts_from_monday_opening():
    # given
    start = at(2026, 3, 7, 9, 0)  # Saturday
    # when
    end = add_working_time(PLAIN, DEFAULT, start, hours=2)
    # then
    assert end == at(2026, 3, 9, 9, 30)


def test_a_day_from_opening_ends_at_closing_the_same_day():
    # given
    start = at(2026, 3, 2, 7, 30)  # Monday opening
    # when
    end = add_working_time(PLAIN, DEFAULT, start, days=1)
    # then
    assert end == at(2026, 3, 2, 17, 0)


def test_count_ending_exactly_at_the_lunch_break_returns_the_morning_closing():
    # given
    start = at(2026, 3, 2, 7, 30)
    # when
    end = add_working_time(PLAIN, DEFAULT, start, hours=4)
    # then
    assert end == at(2026, 3, 2, 11, 30)


def test_working_hours_spanning_the_lunch_break():
    # given
    start = at(2026, 3, 2, 10, 0)
    # when
    default_end = add_working_time(PLAIN, DEFAULT, start, hours=3)
    eight_to_five_end = add_working_time(PLAIN, EIGHT_TO_FIVE, start, hours=3)
    # then: 10:00–11:30 + 13:00–14:30; 10:00–12:00 + 13:00–14:00
    assert default_end == at(2026, 3, 2, 14, 30)
    assert eight_to_five_end == at(2026, 3, 2, 14, 0)


def test_start_in_the_lunch_break_counts_from_the_afternoon_opening():
    # given
    start = at(2026, 3, 2, 12, 15)
    # when
    end = add_working_time(PLAIN, DEFAULT, start, hours=1)
    # then
    assert end == at(2026, 3, 2, 14, 0)


def test_receipt_after_office_hours_counts_from_the_next_working_morning():
    # given
    received = at(2026, 3, 2, 18, 0)  # Monday evening
    # when
    one_hour = add_working_time(PLAIN, DEFAULT, received, hours=1)
    one_day = add_working_time(PLAIN, DEFAULT, received, days=1)
    # then
    assert one_hour == at(2026, 3, 3, 8, 30)
    assert one_day == at(2026, 3, 3, 17, 0)


def test_receipt_on_friday_evening_counts_from_monday():
    # given
    received = at(2026, 3, 6, 17, 0)  # closing time is not open
    # when
    end = add_working_time(PLAIN, DEFAULT, received, days=2)
    # then
    assert end == at(2026, 3, 10, 17, 0)


def test_lunar_new_year_2026_is_skipped():
    # given: Friday 13/02/2026 15:30, Tết from Monday 16 to Friday 20/02
    start = at(2026, 2, 13, 15, 30)
    # when
    end = add_working_time(CAL_2026, DEFAULT, start, days=3)
    # then: 13/02 15:30–17:00, 23/02, 24/02, 25/02 07:30–15:30
    assert end == at(2026, 2, 25, 15, 30)


def test_national_day_2026_and_its_swapped_saturday():
    # given
    before_break = at(2026, 8, 28, 10, 0)  # Friday
    before_swap = at(2026, 8, 21, 10, 0)  # Friday before the worked Saturday 22/08
    # when
    after_break = add_working_time(CAL_2026, DEFAULT, before_break, days=1)
    on_swap = add_working_time(CAL_2026, DEFAULT, before_swap, days=1)
    # then
    assert after_break == at(2026, 9, 3, 10, 0)
    assert on_swap == at(2026, 8, 22, 10, 0)


def test_fraction_of_a_day_in_decimal_or_float():
    # given
    start = at(2026, 3, 2, 7, 30)
    # when
    half_day = add_working_time(PLAIN, DEFAULT, start, days=Decimal("0.5"))
    one_and_a_half_hours = add_working_time(PLAIN, DEFAULT, start, hours=1.5)
    # then
    assert half_day == at(2026, 3, 2, 11, 30)
    assert one_and_a_half_hours == at(2026, 3, 2, 9, 0)


def test_zero_returns_the_normalized_start():
    # given / when / then
    assert add_working_time(PLAIN, DEFAULT, at(2026, 3, 2, 9, 0), days=0) == at(2026, 3, 2, 9, 0)
    assert add_working_time(PLAIN, DEFAULT, at(2026, 3, 7, 9, 0), hours=0) == at(2026, 3, 9, 7, 30)


def test_long_count_skips_weeks_and_lunar_new_year():
    # given
    start = at(2026, 1, 2, 9, 0)  # Friday after New Year's Day
    # when
    end = add_working_time(CAL_2026, DEFAULT, start, days=60)
    # then: 05/01–13/02 is 30 working days, Tết 16–20/02 is off, 23/02–27/03 is 25 more, and
    # 30/03–03/04 the last 5
    assert end == at(2026, 4, 3, 9, 0)


def test_input_in_another_time_zone_is_converted_to_vietnam_time():
    # given: 03:00 UTC = 10:00 in Hanoi
    start = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    # when
    end = add_working_time(PLAIN, DEFAULT, start, hours=3)
    # then
    assert end == at(2026, 3, 2, 14, 30)
    assert end.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    "kwargs",
    [{"days": -1}, {"hours": Decimal("-0.5")}, {"days": 1, "hours": 2}, {}],
)
def test_invalid_counts_are_refused(kwargs):
    # given / when / then
    with pytest.raises(ValueError):
        add_working_time(PLAIN, DEFAULT, at(2026, 3, 2, 9, 0), **kwargs)


def test_naive_moments_are_refused():
    # given / when / then
    with pytest.raises(ValueError):
        add_working_time(PLAIN, DEFAULT, dt.datetime(2026, 3, 2, 9, 0), days=1)


def test_a_pause_of_one_working_day_extends_the_result_by_one_day():
    # given
    start = at(2026, 3, 2, 8, 0)  # Monday
    pause = (at(2026, 3, 3, 8, 0), at(2026, 3, 4, 8, 0))  # Tuesday 08:00 to Wednesday 08:00
    # when
    without = add_working_time(PLAIN, DEFAULT, start, days=3)
    with_pause = add_working_time(PLAIN, DEFAULT, start, days=3, pauses=[pause])
    # then
    assert without == at(2026, 3, 5, 8, 0)
    assert with_pause == at(2026, 3, 6, 8, 0)


def test_pause_over_a_weekend_changes_nothing_and_overlapping_pauses_count_once():
    # given
    start = at(2026, 3, 5, 8, 0)  # Thursday
    weekend = (at(2026, 3, 7, 0, 0), at(2026, 3, 9, 0, 0))
    overlapping = [
        (at(2026, 3, 9, 8, 0), at(2026, 3, 9, 10, 0)),
        (at(2026, 3, 9, 9, 0), at(2026, 3, 9, 11, 0)),
    ]
    # when
    over_weekend = add_working_time(PLAIN, DEFAULT, start, days=2, pauses=[weekend])
    with_overlap = add_working_time(PLAIN, DEFAULT, start, days=2, pauses=overlapping)
    # then: Thu 08:00 + 2 days = Mon 08:00; three paused hours on Monday 08:00–11:00 come after that
    assert over_weekend == at(2026, 3, 9, 8, 0)
    assert with_overlap == at(2026, 3, 9, 8, 0)
    assert add_working_time(PLAIN, DEFAULT, start, days=3, pauses=overlapping) == at(2026, 3, 10, 11, 0)


def test_pause_covering_the_start_moves_the_start_to_its_end():
    # given
    start = at(2026, 3, 2, 9, 0)
    pause = (at(2026, 3, 2, 8, 0), at(2026, 3, 2, 14, 0))
    # when
    end = add_working_time(PLAIN, DEFAULT, start, hours=2, pauses=[pause])
    # then
    assert end == at(2026, 3, 2, 16, 0)


def test_an_open_pause_before_the_end_leaves_no_due_moment():
    # given
    start = at(2026, 3, 2, 8, 0)
    # when
    open_early = add_working_time(PLAIN, DEFAULT, start, days=3, pauses=[(at(2026, 3, 3, 8, 0), None)])
    open_late = add_working_time(PLAIN, DEFAULT, start, days=3, pauses=[(at(2026, 3, 6, 8, 0), None)])
    # then
    assert open_early is None
    assert open_late == at(2026, 3, 5, 8, 0)


def test_working_time_between_across_a_weekend_and_holidays():
    # given: Wednesday 29/04/2026 15:00 to Monday 04/05/2026 09:30; 30/04 and 01/05 are holidays
    start, end = at(2026, 4, 29, 15, 0), at(2026, 5, 4, 9, 30)
    # when
    elapsed = working_time_between(CAL_2026, DEFAULT, start, end)
    # then: 15:00–17:00 and 07:30–09:30
    assert elapsed == dt.timedelta(hours=4)


def test_working_time_between_minus_pauses_and_reversed_interval():
    # given
    start, end = at(2026, 3, 2, 7, 30), at(2026, 3, 6, 17, 0)  # a whole week: 40 hours
    pauses = [(at(2026, 3, 3, 7, 30), at(2026, 3, 4, 7, 30)), (at(2026, 3, 6, 16, 0), None)]
    # when
    elapsed = working_time_between(PLAIN, DEFAULT, start, end, pauses=pauses)
    # then
    assert working_time_between(PLAIN, DEFAULT, start, end) == dt.timedelta(hours=40)
    assert elapsed == dt.timedelta(hours=31)
    assert working_time_between(PLAIN, DEFAULT, end, start) == dt.timedelta(0)


def test_working_time_between_inverts_add_working_time():
    # given
    start = at(2026, 2, 12, 16, 10)
    for hours in (0, 1, 4, 8, 9, 37, 200):
        # when
        end = add_working_time(CAL_2026, DEFAULT, start, hours=hours)
        # then
        assert working_time_between(CAL_2026, DEFAULT, start, end) == dt.timedelta(hours=hours)


def test_next_working_moment_and_start_of_next_working_day():
    # given / when / then
    assert next_working_moment(PLAIN, DEFAULT, at(2026, 3, 2, 9, 0)) == at(2026, 3, 2, 9, 0)
    assert next_working_moment(PLAIN, DEFAULT, at(2026, 3, 2, 11, 30)) == at(2026, 3, 2, 13, 0)
    assert next_working_moment(CAL_2026, DEFAULT, at(2026, 2, 13, 17, 0)) == at(2026, 2, 23, 7, 30)
    assert start_of_next_working_day(CAL_2026, DEFAULT, at(2026, 8, 21, 15, 30)) == at(2026, 8, 22, 7, 30)
    assert start_of_next_working_day(PLAIN, DEFAULT, at(2026, 3, 2, 6, 0)) == at(2026, 3, 3, 7, 30)


def test_calendar_refuses_a_date_both_off_and_working():
    # given / when / then
    with pytest.raises(ValueError):
        WorkingCalendar(
            days_off=frozenset([dt.date(2026, 3, 7)]), working_days=frozenset([dt.date(2026, 3, 7)])
        )


def test_schedule_refuses_overlapping_or_inverted_periods():
    # given / when / then
    with pytest.raises(ValueError):
        OfficeSchedule.from_hours(((8, 0), (12, 0), (11, 0), (17, 0)))
    with pytest.raises(ValueError):
        OfficeSchedule.from_hours(((12, 0), (8, 0)))
