"""Malformed input found by the API fuzzing (test_api_fuzz.py), kept as plain regression tests: each is answered with
a 4xx in the API's error format, never a server error or an HTML page."""

import pytest

from eiso.core.permissions import Role

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "code", "errors"}
    return body


@pytest.mark.parametrize("value", ["0", "10000", "2025.5", "năm"])
def test_a_year_filter_outside_the_calendar_is_invalid_input(world, client, value):
    client.force_login(world.users["admin"])
    body = error(client.get(f"/api/v1/calendar/days/?date__year={value}"), 400)
    assert "date__year" in body["errors"]


def test_a_year_filter_inside_it_filters(world, client):
    client.force_login(world.users["admin"])
    assert client.get("/api/v1/calendar/days/?date__year=2026").status_code == 200


@pytest.mark.parametrize("value", ["abc", "0.5", "1e3"])
def test_a_relation_filter_with_a_malformed_id_is_invalid_input(world, client, value):
    client.force_login(world.users[str(Role.ISO_COORDINATOR)])
    body = error(client.get(f"/api/v1/org-units/?parent={value}"), 400)
    assert "parent" in body["errors"]


@pytest.mark.parametrize("path", ["/api/v1/admin-units/0.5/", "/api/v1/org-units/x%20y/", "/api/v1/no-such-thing/"])
def test_an_api_path_no_route_matches_answers_in_the_api_format(world, client, path):
    client.force_login(world.users[str(Role.ISO_COORDINATOR)])
    assert error(client.get(path), 404)["code"] == "not_found"


def test_a_page_no_route_matches_is_the_404_page(world, client):
    client.force_login(world.users[str(Role.ISO_COORDINATOR)])
    response = client.get("/documents/0.5/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_working_time_between_answers_a_decimal_as_the_schema_says(world, client):
    """The schema documents `hours` as a decimal string (DRF's DecimalField); the view returned a JSON number."""
    client.force_login(world.users["admin"])
    response = client.post("/api/v1/calendar/working-time-between/",
                           {"start": "2026-03-02T08:00:00+07:00", "end": "2026-03-02T10:30:00+07:00"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json() == {"hours": "2.50"}
