"""Services: the national calendar from the database, its writes, and deadlines per agency."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from eiso.calendars import services
from eiso.calendars.choices import CalendarDayKind, CalendarDaySource
from eiso.calendars.models import CalendarDay, OfficeHours
from eiso.calendars.tasks import seed_upcoming_holidays
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.organizations.models import AdminUnit, Agency

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the project's default language is Vietnamese."""
    with translation.override("en"):
        yield

HOLIDAYS_2026 = [
    (dt.date(2026, 1, 1), "holiday", "Tết Dương lịch"),
    (dt.date(2026, 2, 16), "holiday", "Giao thừa Tết Nguyên Đán"),
    (dt.date(2026, 2, 17), "holiday", "Tết Nguyên Đán"),
    (dt.date(2026, 2, 18), "holiday", "Mùng hai Tết Nguyên Đán"),
    (dt.date(2026, 2, 19), "holiday", "Mùng ba Tết Nguyên Đán"),
    (dt.date(2026, 2, 20), "holiday", "Mùng bốn Tết Nguyên Đán"),
    (dt.date(2026, 4, 26), "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    (dt.date(2026, 4, 27), "holiday", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
    (dt.date(2026, 4, 30), "holiday", "Ngày Chiến thắng"),
    (dt.date(2026, 5, 1), "holiday", "Ngày Quốc tế Lao động"),
    (dt.date(2026, 8, 22), "working_day", "Ngày làm việc bù (cho ngày nghỉ 31/08/2026)"),
    (dt.date(2026, 8, 31), "holiday", "Ngày nghỉ (thay cho ngày 22/08/2026)"),
    (dt.date(2026, 9, 1), "holiday", "Quốc khánh"),
    (dt.date(2026, 9, 2), "holiday", "Quốc khánh"),
    (dt.date(2026, 11, 24), "holiday", "Ngày Văn hóa Việt Nam"),
]


@pytest.fixture
def seeded_2026():
    services.holidays_seed_year(year=2026)


def _rows():
    return list(CalendarDay.objects.values_list("date", "kind", "name"))


# --- Seeding --------------------------------------------------------------------------------------


def test_seeding_2026_adds_the_holidays_and_the_swapped_working_saturday():
    # given: an empty calendar
    # when
    created = services.holidays_seed_year(year=2026)
    # then
    assert created == 15
    assert _rows() == HOLIDAYS_2026
    assert set(CalendarDay.objects.values_list("source", flat=True)) == {CalendarDaySource.SEEDED}
    assert AuditLogEntry.objects.filter(action="create", actor__isnull=True).count() == 15


def test_seeding_is_idempotent():
    # given
    services.holidays_seed_year(year=2026)
    # when
    created_again = services.holidays_seed_year(year=2026)
    # then
    assert created_again == 0
    assert CalendarDay.objects.count() == 15


def test_seeding_never_overwrites_a_manual_entry(administrator):
    # given: an administrator entered 24/11/2026 before the seed
    services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 11, 24), kind=CalendarDayKind.DAY_OFF, name="Nghỉ lễ"
    )
    # when
    created = services.holidays_seed_year(year=2026)
    # then
    assert created == 14
    day = CalendarDay.objects.get(date=dt.date(2026, 11, 24))
    assert (day.kind, day.name, day.source) == ("day_off", "Nghỉ lễ", "manual")


def test_seed_holidays_command_and_task():
    # given / when
    call_command("seed_holidays", "--year", "2026", "--year", "2027", stdout=open("/dev/null", "w"))
    # then
    assert CalendarDay.objects.filter(date__year=2026).count() == 15
    assert CalendarDay.objects.get(date=dt.date(2027, 5, 3)).name == "Ngày Quốc tế Lao động (nghỉ bù)"
    # and the scheduled task seeds this year and the next without adding what exists
    result = seed_upcoming_holidays.delay().get()
    assert len(result) == 2


def test_non_administrator_cannot_seed(officer):
    # given / when / then
    with pytest.raises(PermissionDeniedError):
        services.holidays_seed_year(year=2026, actor=officer)
    assert CalendarDay.objects.count() == 0


# --- Deadlines from the database ------------------------------------------------------------------


def test_lunar_new_year_2026(seeded_2026):
    # given: received Friday 13/02/2026 15:30, Tết 16–20/02
    start = at(2026, 2, 13, 15, 30)
    # when
    due = services.add_working_time(start=start, days=3)
    # then
    assert due == at(2026, 2, 25, 15, 30)


def test_national_day_2026(seeded_2026):
    # given: 31/08 (swapped day off), 01/09 and 02/09 off; Saturday 22/08 worked
    # when
    after_break = services.add_working_time(start=at(2026, 8, 28, 10, 0), days=1)
    on_swapped_saturday = services.add_working_time(start=at(2026, 8, 21, 10, 0), days=1)
    # then
    assert after_break == at(2026, 9, 3, 10, 0)
    assert on_swapped_saturday == at(2026, 8, 22, 10, 0)


def test_a_yearly_day_swap_entered_by_the_administrator_is_honoured(administrator):
    # given: Friday 13/03/2026 off in exchange for Saturday 21/03/2026
    services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, name="Nghỉ hoán đổi"
    )
    services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 3, 21), kind=CalendarDayKind.WORKING_DAY,
        name="Làm bù cho ngày 13/03/2026",
    )
    # when
    over_day_off = services.add_working_time(start=at(2026, 3, 12, 10, 0), days=1)
    onto_working_saturday = services.add_working_time(start=at(2026, 3, 20, 10, 0), days=1)
    # then
    assert over_day_off == at(2026, 3, 16, 10, 0)
    assert onto_working_saturday == at(2026, 3, 21, 10, 0)


def test_receipt_after_office_hours_counts_from_the_next_working_morning(seeded_2026):
    # given: Wednesday 29/04/2026 18:00; 30/04 and 01/05 are holidays, then the weekend
    received = at(2026, 4, 29, 18, 0)
    # when
    due = services.add_working_time(start=received, hours=2)
    # then
    assert due == at(2026, 5, 4, 9, 30)


def test_hours_across_the_lunch_break_in_the_agencys_office_hours(province, agency):
    # given: the province works 08:00–12:00 and 13:00–17:00
    OfficeHours.objects.create(
        province=province, morning_start=dt.time(8), morning_end=dt.time(12),
        afternoon_start=dt.time(13), afternoon_end=dt.time(17),
    )
    # when
    due = services.add_working_time(start=at(2026, 3, 2, 10, 0), hours=3, agency=agency)
    default_due = services.add_working_time(start=at(2026, 3, 2, 10, 0), hours=3)
    # then
    assert due == at(2026, 3, 2, 14, 0)
    assert default_due == at(2026, 3, 2, 14, 30)


def test_pause_of_one_working_day_extends_the_due_date_by_one_day(seeded_2026):
    # given: received Monday 02/03/2026 08:00 for 3 working days; waiting for a supplement from
    # Tuesday 08:00 to Wednesday 08:00
    pause = (at(2026, 3, 3, 8, 0), at(2026, 3, 4, 8, 0))
    # when
    due = services.add_working_time(start=at(2026, 3, 2, 8, 0), days=3, pauses=[pause])
    # then
    assert due == at(2026, 3, 6, 8, 0)


def test_working_time_between_across_a_weekend_and_a_holiday(seeded_2026):
    # given: Wednesday 29/04/2026 15:00 to Monday 04/05/2026 09:30
    # when
    elapsed = services.working_time_between(start=at(2026, 4, 29, 15, 0), end=at(2026, 5, 4, 9, 30))
    # then
    assert elapsed == dt.timedelta(hours=4)


def test_next_working_moment_and_start_of_next_working_day(seeded_2026):
    # given / when / then
    assert services.next_working_moment(moment=at(2026, 2, 13, 17, 30)) == at(2026, 2, 23, 7, 30)
    assert services.start_of_next_working_day(moment=at(2026, 8, 21, 15, 30)) == at(2026, 8, 22, 7, 30)


def test_the_calendar_is_cached_and_invalidated_on_write(administrator, django_assert_num_queries,
                                                          django_capture_on_commit_callbacks):
    # given: a seeded calendar whose transaction committed
    with django_capture_on_commit_callbacks(execute=True):
        services.holidays_seed_year(year=2026)
    services.add_working_time(start=at(2026, 2, 13, 15, 30), days=3)  # warm the cache
    # when / then: no query per deadline
    with django_assert_num_queries(0):
        assert services.add_working_time(start=at(2026, 2, 13, 15, 30), days=3) == at(2026, 2, 25, 15, 30)
    # and a new day off is taken into account at once
    services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 2, 23), kind=CalendarDayKind.DAY_OFF, name="Nghỉ thêm"
    )
    assert services.add_working_time(start=at(2026, 2, 13, 15, 30), days=3) == at(2026, 2, 26, 15, 30)


def test_working_calendar_for_given_years(seeded_2026):
    # given
    services.holidays_seed_year(year=2027)
    # when
    calendar = services.working_calendar(years=[2027])
    # then
    assert dt.date(2026, 1, 1) not in calendar.days_off
    assert dt.date(2027, 1, 1) in calendar.days_off
    assert calendar.working_days == frozenset()


# --- Writes ---------------------------------------------------------------------------------------


def test_creating_an_entry_on_a_holiday_is_refused_and_changes_nothing(seeded_2026, administrator):
    # given
    count_before = CalendarDay.objects.count()
    audit_before = AuditLogEntry.objects.count()
    # when
    with pytest.raises(ApplicationError) as refused:
        services.calendar_day_create(
            actor=administrator, date=dt.date(2026, 1, 1), kind=CalendarDayKind.DAY_OFF, name="Nghỉ"
        )
    # then
    assert refused.value.code == "calendar_day_exists"
    assert str(refused.value.message) == (
        "01/01/2026 is already a public holiday (Tết Dương lịch); edit that entry instead."
    )
    assert CalendarDay.objects.count() == count_before
    assert AuditLogEntry.objects.count() == audit_before


def test_a_working_day_must_be_a_weekend_day(administrator):
    # given / when
    with pytest.raises(ApplicationError) as refused:
        services.calendar_day_create(
            actor=administrator, date=dt.date(2026, 3, 11), kind=CalendarDayKind.WORKING_DAY, name="Làm bù"
        )
    # then
    assert refused.value.code == "not_a_weekend"
    assert str(refused.value.message).startswith("11/03/2026 is a Wednesday, already a working day.")
    assert CalendarDay.objects.count() == 0


def test_a_day_off_must_be_a_weekday(administrator):
    # given / when
    with pytest.raises(ApplicationError) as refused:
        services.calendar_day_create(
            actor=administrator, date=dt.date(2026, 3, 14), kind=CalendarDayKind.DAY_OFF, name="Nghỉ"
        )
    # then
    assert refused.value.code == "not_a_weekday"
    assert str(refused.value.message).startswith("14/03/2026 is a Saturday, already a day off.")
    assert CalendarDay.objects.count() == 0


def test_a_non_administrator_cannot_change_the_calendar(officer):
    # given / when
    with pytest.raises(PermissionDeniedError):
        services.calendar_day_create(
            actor=officer, date=dt.date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, name="Nghỉ"
        )
    # then
    assert CalendarDay.objects.count() == 0
    assert CalendarDay.objects.restrict(officer, "view").model is CalendarDay
    assert not CalendarDay.objects.restrict(officer, "change").exists()


def test_create_is_audited_with_the_actor(administrator):
    # given / when
    day = services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, name="Nghỉ hoán đổi",
        note="Quyết định số 1/QĐ",
    )
    # then
    entry = AuditLogEntry.objects.get(object_id=str(day.pk))
    assert (entry.actor, entry.action) == (administrator, "create")
    assert entry.changes["kind"] == [None, "day_off"]
    assert day.source == CalendarDaySource.MANUAL


def test_update_a_manual_entry_and_refuse_moving_a_seeded_one(seeded_2026, administrator):
    # given
    day = services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, name="Nghỉ"
    )
    seeded = CalendarDay.objects.get(date=dt.date(2026, 1, 1))
    # when
    moved = services.calendar_day_update(
        actor=administrator, day=day, data={"date": dt.date(2026, 3, 12), "name": "Nghỉ hoán đổi"}
    )
    renamed = services.calendar_day_update(actor=administrator, day=seeded, data={"note": "Luật"})
    # then
    assert (moved.date, moved.name) == (dt.date(2026, 3, 12), "Nghỉ hoán đổi")
    assert renamed.note == "Luật"
    with pytest.raises(ApplicationError) as refused:
        services.calendar_day_update(
            actor=administrator, day=seeded, data={"date": dt.date(2026, 1, 2)}
        )
    assert refused.value.code == "seeded_date_fixed"
    with pytest.raises(ApplicationError) as clash:
        services.calendar_day_update(
            actor=administrator, day=moved, data={"date": dt.date(2026, 5, 1)}
        )
    assert clash.value.code == "calendar_day_exists"
    assert CalendarDay.objects.get(pk=moved.pk).date == dt.date(2026, 3, 12)


def test_seeded_holidays_cannot_be_deleted_but_manual_entries_can(seeded_2026, administrator):
    # given
    manual = services.calendar_day_create(
        actor=administrator, date=dt.date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, name="Nghỉ"
    )
    seeded = CalendarDay.objects.get(date=dt.date(2026, 9, 2))
    # when
    services.calendar_day_delete(actor=administrator, day=manual)
    with pytest.raises(ApplicationError) as refused:
        services.calendar_day_delete(actor=administrator, day=seeded)
    # then
    assert refused.value.code == "seeded_day_protected"
    assert not CalendarDay.objects.filter(pk=manual.pk).exists()
    assert CalendarDay.objects.filter(pk=seeded.pk).exists()
    assert AuditLogEntry.objects.filter(object_id=str(manual.pk), action="delete").count() == 1


# --- Office hours ---------------------------------------------------------------------------------


@pytest.fixture
def province():
    return AdminUnit.objects.create(code="01", level="province", name="Thành phố Hà Nội")


@pytest.fixture
def agency(province):
    commune = AdminUnit.objects.create(code="00004", level="commune", name="Phường Ba Đình", parent=province)
    return Agency.objects.create(
        code="UBND-BA-DINH", name="Ủy ban nhân dân phường Ba Đình", kind="peoples_committee",
        admin_unit=commune,
    )


def _hours(**owner):
    return OfficeHours.objects.create(
        morning_start=dt.time(8), morning_end=dt.time(12), afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 30), **owner,
    )


def test_office_hours_resolution_agency_then_province_then_default(province, agency):
    # given: nothing configured
    default = services.office_schedule_for(agency=agency)
    # when the province has hours
    OfficeHours.objects.create(
        province=province, morning_start=dt.time(8), morning_end=dt.time(12),
        afternoon_start=dt.time(13), afternoon_end=dt.time(17),
    )
    from_province = services.office_schedule_for(agency=agency)
    # and when the agency has its own
    _hours(agency=agency)
    from_agency = services.office_schedule_for(agency=agency)
    # then
    assert default.periods == ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))
    assert from_province.periods == ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
    assert from_agency.periods == ((dt.time(8), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))
    assert services.office_schedule_for(agency=agency.pk) == from_agency
    assert services.office_schedule_for(province=province) == from_province


def test_office_hours_services_validate_and_require_an_administrator(
    province, agency, administrator, officer
):
    # given
    valid = {"province": province, "morning_start": dt.time(8), "morning_end": dt.time(12),
             "afternoon_start": dt.time(13), "afternoon_end": dt.time(17)}
    # when / then
    with pytest.raises(PermissionDeniedError):
        services.office_hours_create(actor=officer, data=valid)
    with pytest.raises(ApplicationError) as both:
        services.office_hours_create(actor=administrator, data={**valid, "agency": agency})
    assert both.value.errors == {"agency": ["Choose either a province or an agency, not both."]}
    with pytest.raises(ApplicationError) as inverted:
        services.office_hours_create(actor=administrator, data={**valid, "afternoon_start": dt.time(11)})
    assert inverted.value.errors == {
        "afternoon_start": ["The afternoon cannot open before the morning closes."]
    }
    created = services.office_hours_create(actor=administrator, data=valid)
    with pytest.raises(ApplicationError) as duplicate:
        services.office_hours_create(actor=administrator, data=valid)
    assert duplicate.value.errors == {
        "non_field_errors": ["This province already has office hours; edit them instead."]
    }
    updated = services.office_hours_update(
        actor=administrator, office_hours=created, data={"afternoon_end": dt.time(17, 30)}
    )
    assert services.office_schedule_for(province=province).hours_per_day == 8.5
    services.office_hours_delete(actor=administrator, office_hours=updated)
    assert OfficeHours.objects.count() == 0


def test_office_hours_of_a_commune_are_refused(province, agency, administrator):
    # given
    commune = agency.admin_unit
    # when
    with pytest.raises(ApplicationError) as refused:
        services.office_hours_create(actor=administrator, data={
            "province": commune, "morning_start": dt.time(8), "morning_end": dt.time(12),
            "afternoon_start": dt.time(13), "afternoon_end": dt.time(17),
        })
    # then
    assert list(refused.value.errors) == ["province"]
    assert OfficeHours.objects.count() == 0
    assert str(OfficeHours(province=province, morning_start=dt.time(8), morning_end=dt.time(12),
                           afternoon_start=dt.time(13), afternoon_end=dt.time(17))) == (
        "Thành phố Hà Nội: 08:00–12:00, 13:00–17:00"
    )
