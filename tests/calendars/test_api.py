"""The deadline API gives exactly the service's answers."""

import datetime as dt
from decimal import Decimal

import pytest

from eiso.calendars import services
from eiso.calendars.services import holidays_seed_year
from tests.calendars.conftest import at

pytestmark = pytest.mark.django_db

CASES = [
    # (label, start, days, hours)
    ("weekend", at(2026, 3, 6, 10, 0), 1, None),
    ("lunar-new-year", at(2026, 2, 13, 15, 30), 3, None),
    ("national-day", at(2026, 8, 28, 9, 0), 2, None),
    ("after-hours", at(2026, 3, 10, 18, 0), 1, None),
    ("lunch-break", at(2026, 3, 10, 10, 0), None, 3),
    ("half-day", at(2026, 3, 10, 7, 30), Decimal("0.5"), None),
]


@pytest.fixture
def seeded(db):
    holidays_seed_year(year=2026)


@pytest.mark.parametrize(("label", "start", "days", "hours"), CASES, ids=[c[0] for c in CASES])
def test_add_working_time_api_matches_the_service(api_client, world, seeded, label, start, days, hours):
    # given
    api_client.force_authenticate(world.users["staff"])
    payload = {"start": start.isoformat()}
    if days is not None:
        payload["days"] = str(days)
    if hours is not None:
        payload["hours"] = str(hours)
    expected = services.add_working_time(start=start, days=days, hours=hours)
    # when
    response = api_client.post("/api/v1/calendar/add-working-time/", payload, format="json")
    # then
    assert response.status_code == 200, response.json()
    assert dt.datetime.fromisoformat(response.json()["end"]) == expected


def test_lunar_new_year_answer_is_the_expected_moment(api_client, world, seeded):
    # Friday 13/02/2026 15:30 + 3 working days: 16–20/02 are Tết, so Mon 23, Tue 24, Wed 25 → 25/02 15:30
    api_client.force_authenticate(world.users["staff"])
    response = api_client.post("/api/v1/calendar/add-working-time/",
                               {"start": "2026-02-13T15:30:00+07:00", "days": 3}, format="json")
    assert dt.datetime.fromisoformat(response.json()["end"]) == at(2026, 2, 25, 15, 30)


def test_working_time_between_api(api_client, world, seeded):
    api_client.force_authenticate(world.users["staff"])
    response = api_client.post("/api/v1/calendar/working-time-between/",
                               {"start": "2026-02-13T15:30:00+07:00", "end": "2026-02-23T09:30:00+07:00"},
                               format="json")
    assert response.status_code == 200
    assert Decimal(response.json()["hours"]) == Decimal("3.50")


def test_add_working_time_refuses_both_or_neither(api_client, world):
    api_client.force_authenticate(world.users["staff"])
    both = api_client.post("/api/v1/calendar/add-working-time/",
                           {"start": "2026-02-13T15:30:00+07:00", "days": 1, "hours": 2}, format="json")
    neither = api_client.post("/api/v1/calendar/add-working-time/", {"start": "2026-02-13T15:30:00+07:00"},
                              format="json")
    assert both.status_code == neither.status_code == 400
    assert both.json()["code"] == "invalid"


def test_calendar_days_api_lists_and_only_admins_create(api_client, world, seeded):
    api_client.force_authenticate(world.users["iso_coordinator"])
    listed = api_client.get("/api/v1/calendar/days/?date__year=2026&page_size=100")
    assert listed.status_code == 200
    assert "2026-09-02" in {row["date"] for row in listed.json()["results"]}
    refused = api_client.post("/api/v1/calendar/days/", {"date": "2026-01-02", "kind": "day_off", "name": "Nghỉ bù"},
                              format="json")
    assert refused.status_code == 403
    api_client.force_authenticate(world.users["admin"])
    created = api_client.post("/api/v1/calendar/days/", {"date": "2026-01-02", "kind": "day_off", "name": "Nghỉ bù"},
                              format="json")
    assert created.status_code == 201, created.json()
    duplicate = api_client.post("/api/v1/calendar/days/", {"date": "2026-01-01", "kind": "day_off", "name": "X"},
                                format="json")
    assert duplicate.status_code == 400
    assert "01/01/2026" in duplicate.json()["message"]


def test_deadline_page_computes_with_htmx(client, world, seeded):
    client.force_login(world.users["staff"])
    response = client.get("/calendar/deadline/", {"start": "13/02/2026 15:30", "days": "3"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "15:30 25/02/2026" in response.content.decode()
