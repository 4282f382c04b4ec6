"""Measurement periods: the months, quarters, halves or the whole of a calendar year."""

from __future__ import annotations

import datetime as dt

from eiso.core.dates import add_months
from eiso.objectives.choices import FREQUENCY_MONTHS


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the period of `frequency` that holds `day`."""
    months = FREQUENCY_MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    return start, add_months(start, months) - dt.timedelta(days=1)


def periods_of_year(frequency: str, year: int) -> list[tuple[dt.date, dt.date]]:
    months = FREQUENCY_MONTHS[frequency]
    return [period_of(frequency, dt.date(year, month, 1)) for month in range(1, 13, months)]


def period_label(start: dt.date, end: dt.date) -> str:
    if start.month == end.month:
        return start.strftime("%m/%Y")
    return f"{start:%m}–{end:%m/%Y}"
