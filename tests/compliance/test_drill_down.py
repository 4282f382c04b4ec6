"""The supervising authority drills down from the overview to an agency's calendar and from there to its records:
`?agency=` opens the records of an agency the user may look into, and nothing else."""

import uuid

import pytest
from django.urls import reverse

from eiso.improvement.services import nonconformity_raise
from eiso.objectives.services import objective_create
from tests.conftest import login
from tests.factories import AgencyFactory, supervising, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def objectives(world):
    return {agency: objective_create(actor=None, agency=agency, year=2026, title=f"Mục tiêu của {agency.name}")
            for agency in (world.own, world.sibling)}


def test_the_supervisor_opens_an_agency_objectives_from_its_calendar(client, world, objectives):
    login(client, world.users["supervisor"])
    calendar = client.get(reverse("compliance:calendar"), {"agency": world.own.pk, "year": 2026}).content.decode()
    assert f'href="/objectives/?agency={world.own.pk}"' in calendar
    page = client.get(reverse("objectives:objective_list"), {"agency": world.own.pk, "year": 2026})
    assert page.status_code == 200
    text = page.content.decode()
    assert objectives[world.own].title in text and objectives[world.sibling].title not in text
    assert world.own.name in text


@pytest.mark.parametrize("who", ["sibling_staff", "other_supervisor", "unknown", "garbage"])
def test_an_agency_the_user_may_not_look_into_answers_404(client, world, objectives, who):
    user, wanted = world.users["supervisor"], world.own.pk
    if who == "sibling_staff":
        user = user_with_role("staff", world.sibling)
    elif who == "other_supervisor":
        other = AgencyFactory(name="Sở KH&CN Hà Nội", kind="department", admin_unit=world.other_province)
        supervising(other)
        user = user_with_role("supervisor", other)
    elif who == "unknown":
        wanted = uuid.uuid4()
    else:
        wanted = "not-an-id"
    login(client, user)
    assert client.get(reverse("objectives:objective_list"), {"agency": wanted}).status_code == 404
    assert client.get(reverse("compliance:calendar"), {"agency": wanted}).status_code == 404


def test_a_list_page_keeps_one_agency_of_those_the_user_sees(client, world):
    for agency in (world.own, world.sibling):
        nonconformity_raise(actor=None, agency=agency, description=f"Sự không phù hợp của {agency.name}")
    login(client, world.users["supervisor"])
    url = reverse("improvement:nonconformity_list")
    everything = client.get(url).content.decode()
    assert world.own.name in everything and world.sibling.name in everything
    one = client.get(url, {"agency": world.sibling.pk}).content.decode()
    assert "Sự không phù hợp của " + world.sibling.name in one and "Sự không phù hợp của " + world.own.name not in one
    # an agency outside the user's scope, or no id at all, lists nothing
    assert "Sự không phù hợp của" not in client.get(url, {"agency": world.foreign.pk}).content.decode()
    assert "Sự không phù hợp của" not in client.get(url, {"agency": "x"}).content.decode()
