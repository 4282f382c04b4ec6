"""Pages and API of nonconformities: the happy path, tenancy (another agency: 404), refusals shown."""

import datetime as dt

import pytest
from django.urls import reverse

from eiso.improvement.models import CorrectiveAction, Nonconformity
from tests.conftest import login
from tests.factories import user_with_role
from tests.improvement.conftest import add_action, analyse


@pytest.mark.django_db
def test_raise_analyse_act_verify_close_through_the_pages(client, world):
    head, staff = world.users["agency_head"], world.users["staff"]
    # given staff raises a nonconformity
    login(client, staff)
    response = client.post(reverse("improvement:nonconformity_add"),
                           {"source": "feedback", "description": "Công dân phản ánh chờ lâu", "grade": "minor"})
    nonconformity = Nonconformity.objects.get()
    assert response.status_code == 302 and response["Location"] == nonconformity.get_absolute_url()
    assert (nonconformity.raised_by, nonconformity.source, nonconformity.agency) == (staff, "feedback", world.own)
    # when the head analyses it and plans an action owned by staff
    login(client, head)
    client.post(reverse("improvement:nonconformity_analysis", args=[nonconformity.pk]),
                {"method": "cause_categories", "analysis": "Con người: thiếu người trực", "root_cause": "Thiếu người"})
    client.post(reverse("improvement:action_add", args=[nonconformity.pk]),
                {"description": "Bố trí thêm người trực", "owner": str(staff.pk),
                 "due_on": (dt.date.today() + dt.timedelta(days=5)).isoformat()})
    client.post(reverse("improvement:nonconformity_transition", args=[nonconformity.pk]), {"action": "start_actions"})
    action = CorrectiveAction.objects.get()
    # and staff marks the action done
    login(client, staff)
    client.post(reverse("improvement:action_done", args=[action.pk]), {"evidence": "Lịch trực mới"})
    # and the head sends it for verification, verifies and closes
    login(client, head)
    for name, data in (("nonconformity_transition", {"action": "submit_verification"}),
                       ("nonconformity_verify", {"is_effective": "yes", "comment": "Không còn phản ánh"}),
                       ("nonconformity_transition", {"action": "close"})):
        client.post(reverse(f"improvement:{name}", args=[nonconformity.pk]), data)
    # then
    nonconformity.refresh_from_db()
    assert nonconformity.status == "closed"
    assert nonconformity.is_effective is True
    page = client.get(nonconformity.get_absolute_url()).content.decode()
    assert nonconformity.number in page and "Lịch trực mới" in page


@pytest.mark.django_db
def test_a_refused_transition_is_shown_and_changes_nothing(client, world, raised):
    login(client, world.users["agency_head"])
    response = client.post(reverse("improvement:nonconformity_transition", args=[raised.pk]),
                           {"action": "start_actions"}, follow=True)
    assert "Record the root-cause analysis first" in response.content.decode()
    assert Nonconformity.objects.get(pk=raised.pk).status == "raised"


@pytest.mark.django_db
def test_list_filters(client, world, raised):
    # given one nonconformity with an overdue action and one without
    analysed = analyse(world, raised)
    action = add_action(world, analysed)
    CorrectiveAction.objects.filter(pk=action.pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    from eiso.improvement.services import nonconformity_raise

    other = nonconformity_raise(actor=None, agency=world.own, source="inspection", description="Khác")
    login(client, world.users["auditor"])
    url = reverse("improvement:nonconformity_list")
    # then
    assert raised.number in client.get(url + "?overdue=true").content.decode()
    assert other.number not in client.get(url + "?overdue=true").content.decode()
    page = client.get(url + "?source=inspection").content.decode()
    assert other.number in page and raised.number not in page
    page = client.get(url + "?status=analysed").content.decode()
    assert raised.number in page and other.number not in page


@pytest.mark.django_db
def test_another_agency_gets_404(client, api_client, world, raised):
    outsider = user_with_role("agency_head", world.sibling)
    login(client, outsider)
    assert client.get(raised.get_absolute_url()).status_code == 404
    assert client.post(reverse("improvement:nonconformity_transition", args=[raised.pk]),
                       {"action": "analyse"}).status_code == 404
    api_client.force_authenticate(outsider)
    assert api_client.get(reverse("nonconformity-detail", args=[raised.pk])).status_code == 404
    assert api_client.get(reverse("nonconformity-list")).json()["count"] == 0


@pytest.mark.django_db
def test_api_happy_path(api_client, world):
    head, staff = world.users["agency_head"], world.users["staff"]
    # given an auditor raises a nonconformity
    api_client.force_authenticate(world.users["auditor"])
    response = api_client.post(reverse("nonconformity-list"), {"agency": str(world.own.pk), "source": "audit_finding",
                                                                "description": "Không có biên bản họp"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["number"].endswith("-001")
    # when the head analyses, plans an action and starts it
    api_client.force_authenticate(head)
    detail = lambda name: reverse(f"nonconformity-{name}", args=[pk])  # noqa: E731
    refusal = api_client.post(detail("transition"), {"action": "start_actions"}, format="json")
    assert refusal.status_code == 400 and refusal.json()["code"] == "guard_analysis_missing"
    assert api_client.post(detail("analysis"), {"method": "five_whys", "analysis": "Tại sao: không ai ghi",
                                                "root_cause": "Chưa phân công thư ký"},
                           format="json").json()["status"] == "analysed"
    created = api_client.post(reverse("correctiveaction-list"), {
        "nonconformity": pk, "description": "Phân công thư ký", "owner": staff.pk,
        "due_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, format="json")
    assert created.status_code == 201, created.json()
    started = api_client.post(detail("transition"), {"action": "start_actions"}, format="json")
    assert started.json()["status"] == "actions"
    # and the owner marks it done
    api_client.force_authenticate(staff)
    done = api_client.post(reverse("correctiveaction-done", args=[created.json()["id"]]), {"evidence": "Quyết định"},
                           format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    # and the head verifies and closes
    api_client.force_authenticate(head)
    api_client.post(detail("transition"), {"action": "submit_verification"}, format="json")
    api_client.post(detail("verify"), {"is_effective": True}, format="json")
    closed = api_client.post(detail("transition"), {"action": "close"}, format="json")
    # then
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api_client.get(reverse("nonconformity-list") + "?status=closed").json()["count"] == 1
