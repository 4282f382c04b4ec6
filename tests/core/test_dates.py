import datetime as dt

import pytest

from eiso.core.dates import add_months


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 1, 15), 3, dt.date(2026, 4, 15)),
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
    (dt.date(2026, 12, 31), 3, dt.date(2027, 3, 31)),
    (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
    (dt.date(2025, 1, 15), 12, dt.date(2026, 1, 15)),
    (dt.date(2026, 5, 31), 0, dt.date(2026, 5, 31)),
])
def test_add_months_keeps_the_day_or_takes_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected
