"""Calendar arithmetic shared by the apps (working-day arithmetic is eiso.calendars')."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (30/11 + 3 months → 28/02 or 29/02)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
