"""Pages and API of management reviews: the happy path through the pages, the pages per role, refusals shown,
tenancy (another agency: 404), the API with its actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.reviews.models import ManagementReview, ReviewAction
from tests.conftest import login
from tests.factories import user_with_role
from tests.reviews.conftest import plan

pytestmark = pytest.mark.django_db


def test_plan_assemble_comment_hold_decide_close_confirm_through_the_pages(client, world):
    head, coordinator, staff = world.users["agency_head"], world.users["iso_coordinator"], world.users["staff"]
    login(client, coordinator)
    # the form offers only the agency head as chair
    form = client.get(reverse("reviews:review_add")).content.decode()
    assert f'value="{head.pk}"' in form.split('name="chair"')[1].split("</select>")[0]
    assert f'value="{coordinator.pk}"' not in form.split('name="chair"')[1].split("</select>")[0]
    meeting = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    response = client.post(reverse("reviews:review_add"), {
        "title": "Xem xét của lãnh đạo năm 2025", "year": 2025, "period_start": "2025-01-01",
        "period_end": "2025-12-31", "meeting_at": meeting.strftime("%Y-%m-%dT%H:%M"), "place": "Hội trường",
        "chair": head.pk, "secretary": coordinator.pk, "attendees": "Ông A"})
    review = ManagementReview.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert (review.agency, review.chair, review.number, review.place) == (world.own, head, 1, "Hội trường")
    # holding before the inputs: refused, shown
    page = client.post(reverse("reviews:review_hold", args=[review.pk]), follow=True).content.decode()
    assert "Assemble the inputs first" in page
    assert ManagementReview.objects.get().status == "planned"
    client.post(reverse("reviews:review_assemble", args=[review.pk]))
    resources = review.inputs.get(key="resources")
    client.post(reverse("reviews:input_comment", args=[resources.pk]), {"comment": "Đủ nhân lực"})
    client.post(reverse("reviews:review_hold", args=[review.pk]))
    assert ManagementReview.objects.get().status == "held"
    client.post(reverse("reviews:action_add", args=[review.pk]), {
        "kind": "improvement", "description": "Số hóa kho lưu trữ", "owner": staff.pk, "due_on": "2026-06-30"})
    action = ReviewAction.objects.get()
    client.post(reverse("reviews:review_close", args=[review.pk]), {"conclusion": "HTQLCL có hiệu lực."})
    # the coordinator does not confirm (403), the head does
    assert client.post(reverse("reviews:review_confirm", args=[review.pk]),
                       {"statement": "Có hiệu lực"}).status_code == 403
    login(client, staff)
    client.post(reverse("reviews:action_done", args=[action.pk]), {"evidence": "Biên bản nghiệm thu"})
    login(client, head)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Confirm the effectiveness" in page
    client.post(reverse("reviews:review_confirm", args=[review.pk]), {"statement": "HTQLCL có hiệu lực."})
    # then
    review.refresh_from_db()
    assert (review.status, review.effectiveness_confirmed_by) == ("closed", head)
    assert ReviewAction.objects.get().status == "done"
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Biên bản nghiệm thu" in page and "Đủ nhân lực" in page and "Confirm the effectiveness" not in page


def test_pages_per_role(client, world, planned):
    plan(world, agency=world.sibling, title="Marker of the sibling")
    detail = planned.get_absolute_url()
    for role in ("agency_head", "iso_coordinator", "staff", "auditor", "supervisor", "admin"):
        login(client, world.users[role])
        listing = client.get(reverse("reviews:review_list") + "?year=2025").content.decode()
        assert planned.title in listing, role
        assert client.get(detail).status_code == 200, role
    for role in ("staff", "auditor", "supervisor"):
        login(client, world.users[role])
        page = client.get(detail).content.decode()
        assert "Assemble the inputs" not in page and "Confirm the effectiveness" not in page, role
        assert client.get(reverse("reviews:review_edit", args=[planned.pk])).status_code == 403, role
        assert client.post(reverse("reviews:review_assemble", args=[planned.pk])).status_code == 403, role
        assert client.get(reverse("reviews:review_add")).status_code == 403, role
    login(client, world.users["agency_head"])
    assert "Marker of the sibling" not in client.get(reverse("reviews:review_list")).content.decode()
    assert "Marker of the sibling" in (login(client, world.users["supervisor"]) and client.get(
        reverse("reviews:review_list")).content.decode())
    login(client, world.users["consultant"])
    assert client.get(detail).status_code == 404
    assert planned.title not in client.get(reverse("reviews:review_list")).content.decode()


def test_the_list_filters_by_year(client, world, planned):
    older = plan(world, year=2024, title="Review of the old year", period_start=dt.date(2024, 1, 1),
                 period_end=dt.date(2024, 12, 31))
    login(client, world.users["auditor"])
    page = client.get(reverse("reviews:review_list") + "?year=2024").content.decode()
    assert older.title in page and planned.title not in page


def test_another_agency_gets_404(client, api_client, world, planned):
    outsider = user_with_role("agency_head", world.sibling)
    login(client, outsider)
    for name in ("review_detail", "review_minutes", "review_edit"):
        assert client.get(reverse(f"reviews:{name}", args=[planned.pk])).status_code == 404, name
    assert client.post(reverse("reviews:review_confirm", args=[planned.pk]), {"statement": "X"}).status_code == 404
    assert client.post(reverse("reviews:review_assemble", args=[planned.pk])).status_code == 404
    assert planned.inputs.count() == 0
    api_client.force_authenticate(outsider)
    assert api_client.get(reverse("managementreview-detail", args=[planned.pk])).status_code == 404
    assert api_client.get(reverse("managementreview-list")).json()["count"] == 0
    assert api_client.post(reverse("managementreview-hold", args=[planned.pk])).status_code == 404


def test_api_happy_path_and_refusals(api_client, world):
    head, coordinator, staff = world.users["agency_head"], world.users["iso_coordinator"], world.users["staff"]
    api_client.force_authenticate(coordinator)
    created = api_client.post(reverse("managementreview-list"), {
        "agency": str(world.own.pk), "title": "Xem xét 2025", "year": 2025, "period_start": "2025-01-01",
        "period_end": "2025-12-31", "meeting_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "chair": head.pk, "secretary": coordinator.pk}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    detail = lambda name: reverse(f"managementreview-{name}", args=[pk])  # noqa: E731
    refused = api_client.post(detail("hold"), format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "cannot_hold"
    patched = api_client.patch(detail("detail"), {"place": "Hội trường"}, format="json")
    assert patched.status_code == 200 and patched.json()["place"] == "Hội trường"
    assert patched.json()["title"] == "Xem xét 2025"
    assembled = api_client.post(detail("assemble"), format="json").json()
    assert assembled["status"] == "inputs_assembled" and len(assembled["inputs"]) >= 10
    assert assembled["inputs"][0]["key"] == "previous_actions" and assembled["inputs"][0]["clause"] == "a"
    unknown = api_client.post(detail("comment"), {"key": "nope", "comment": "x"}, format="json")
    assert unknown.status_code == 400
    commented = api_client.post(detail("comment"), {"key": "resources", "comment": "Đủ"}, format="json")
    assert next(i for i in commented.json()["inputs"] if i["key"] == "resources")["comment"] == "Đủ"
    assert api_client.post(detail("hold"), format="json").json()["status"] == "held"
    bad = api_client.post(reverse("reviewaction-list"), {"review": pk, "kind": "nope", "description": "X",
                                                         "owner": staff.pk, "due_on": "2026-01-01"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    action = api_client.post(reverse("reviewaction-list"), {"review": pk, "kind": "qms_change",
                                                            "description": "Sửa sổ tay", "owner": staff.pk,
                                                            "due_on": "2026-01-01"}, format="json")
    assert action.status_code == 201, action.json()
    refused = api_client.post(detail("confirm"), {"statement": "Có hiệu lực"}, format="json")
    assert refused.status_code == 403
    api_client.force_authenticate(staff)
    done = api_client.post(reverse("reviewaction-done", args=[action.json()["id"]]), {"evidence": "Sổ tay mới"},
                           format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    api_client.force_authenticate(head)
    confirmed = api_client.post(detail("confirm"), {"statement": "Có hiệu lực"}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["effectiveness_confirmed_by"] == head.pk
    closed = api_client.post(detail("close"), {"conclusion": "Phù hợp"}, format="json")
    assert closed.json()["status"] == "closed"
    assert api_client.get(reverse("managementreview-list") + "?year=2025&status=closed").json()["count"] == 1
    assert api_client.get(reverse("reviewaction-list") + "?status=done").json()["count"] == 1


def test_the_edit_page_opens_with_the_review_as_it_is_and_a_new_one_with_the_defaults(client, world, planned):
    # given a planned review (the edit form's initial values come from the form, not the generic view)
    login(client, world.users["iso_coordinator"])
    page = client.get(reverse("reviews:review_edit", args=[planned.pk])).content.decode()
    assert f'value="{planned.title}"' in page
    assert f'value="{planned.period_start:%Y-%m-%d}"' in page or planned.period_start.strftime("%d/%m/%Y") in page
    new = client.get(reverse("reviews:review_add")).content.decode()
    assert f'value="{timezone.localdate().year}"' in new
