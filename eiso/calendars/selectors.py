"""Reading the working calendar and office hours, cached (see caching.py): no query per deadline."""

from __future__ import annotations

from collections.abc import Iterable

from eiso.calendars.caching import cached
from eiso.calendars.choices import CalendarDayKind
from eiso.calendars.engine import OfficeSchedule, WorkingCalendar
from eiso.calendars.models import CalendarDay, OfficeHours, default_office_schedule


def working_calendar(years: Iterable[int] | None = None) -> WorkingCalendar:
    """The national working calendar built from every CalendarDay row (or those of `years`)."""
    year_list = None if years is None else sorted({int(y) for y in years})
    name = "calendar:all" if year_list is None else "calendar:" + ",".join(map(str, year_list))

    def build() -> WorkingCalendar:
        rows = CalendarDay.objects.all()
        if year_list is not None:
            rows = rows.filter(date__year__in=year_list)
        days_off, working_days = set(), set()
        for date, kind in rows.values_list("date", "kind"):
            (working_days if kind == CalendarDayKind.WORKING_DAY else days_off).add(date)
        return WorkingCalendar(frozenset(days_off), frozenset(working_days))

    return cached(name, build)


def _office_hours_table() -> dict:
    """{("agency", id) or ("province", id): OfficeSchedule} for every OfficeHours row."""

    def build() -> dict:
        table = {}
        for row in OfficeHours.objects.all():
            key = ("agency", row.agency_id) if row.agency_id else ("province", row.province_id)
            table[key] = row.schedule()
        return table

    return cached("office_hours", build)


def _pk(value):
    return getattr(value, "pk", value)


def office_schedule_for(agency=None, province=None) -> OfficeSchedule:
    """Office hours that apply: the agency's own, else its province's (or `province`'s), else
    settings.EISO["DEFAULT_OFFICE_HOURS"]. `agency` and `province` are instances or primary keys;
    pass the Agency instance to spare a query for its province."""
    table = _office_hours_table()
    if agency is not None:
        agency_id = _pk(agency)
        if ("agency", agency_id) in table:
            return table[("agency", agency_id)]
        if province is None:
            province = getattr(agency, "province_id", None)
            if province is None and not hasattr(agency, "province_id"):
                from eiso.organizations.models import Agency

                province = Agency.objects.filter(pk=agency_id).values_list("province_id", flat=True).first()
    if province is not None and ("province", _pk(province)) in table:
        return table[("province", _pk(province))]
    return default_office_schedule()
