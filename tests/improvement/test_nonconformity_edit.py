"""Leftovers of the nonconformity part: editing while not closed, and the button on a late dossier's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.dossiers.models import Dossier
from eiso.improvement.models import Nonconformity
from tests.conftest import login
from tests.dossiers.conftest import calendar, procedure, process, receive  # noqa: F401 (fixtures)


@pytest.mark.django_db
def test_edit_while_open_refused_once_closed(client, world, raised):
    login(client, world.users["iso_coordinator"])
    url = reverse("improvement:nonconformity_edit", args=[raised.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"description": "Mô tả đã sửa", "correction": "Bổ sung ngay", "grade": "major",
                                 "owner": str(world.users["staff"].pk)})
    assert response.status_code == 302
    raised.refresh_from_db()
    assert (raised.description, raised.correction, raised.grade, raised.owner) == (
        "Mô tả đã sửa", "Bổ sung ngay", "major", world.users["staff"])
    # an empty description is refused and changes nothing
    refused = client.post(url, {"description": " ", "grade": "minor"})
    assert refused.status_code == 200
    raised.refresh_from_db()
    assert raised.grade == "major"
    # closed: refused
    Nonconformity.objects.filter(pk=raised.pk).update(status="closed")
    closed = client.post(url, {"description": "Khác", "grade": ""})
    assert "A closed nonconformity cannot be changed" in closed.content.decode()
    assert Nonconformity.objects.get(pk=raised.pk).description == "Mô tả đã sửa"
    # staff may not edit
    login(client, world.users["staff"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_button_on_a_late_dossier(client, world, receive):  # noqa: F811
    dossier = receive()
    login(client, world.users["staff"])
    assert "nonconformity_from_dossier" not in client.get(dossier.get_absolute_url()).content.decode()
    assert reverse("improvement:nonconformity_from_dossier", args=[dossier.pk]) not in client.get(
        dossier.get_absolute_url()).content.decode()
    # when the dossier is past its due moment
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    page = client.get(dossier.get_absolute_url()).content.decode()
    button = reverse("improvement:nonconformity_from_dossier", args=[dossier.pk])
    assert button in page
    response = client.post(button)
    nonconformity = Nonconformity.objects.get()
    assert response["Location"] == nonconformity.get_absolute_url()
    assert (nonconformity.dossier_id, nonconformity.source) == (dossier.pk, "late_dossier")
    # then the page links to it instead of offering the button again, and a second raise is refused
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert nonconformity.number in page and button not in page
    client.post(button)
    assert Nonconformity.objects.count() == 1
