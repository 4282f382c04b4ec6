"""Citizens' feedback on the agency's side: due date in working days, the workflow and its refusals, the
nonconformity link, tenancy, pages per role, personal data, the API, the review input and evidence."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.calendars.services import holidays_seed_year
from eiso.catalog.models import Procedure
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.improvement import feedback_services as services
from eiso.improvement.models import Feedback, Nonconformity
from eiso.improvement.selectors import evidence_records, feedback_review_input, overdue_feedback
from tests.conftest import login
from tests.factories import user_with_role


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def calendar(db):
    holidays_seed_year(year=2026)


def receive(world, **kwargs):
    data = {"actor": None, "agency": world.own, "content": "Cán bộ một cửa hẹn trả kết quả sai ngày",
            "submitter_name": "Nguyễn Văn An", "phone": "0912 345 678", **kwargs}
    return services.feedback_receive(**data)


# --- Receiving and the due date ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_date_counts_working_days_across_holidays_and_the_weekend(world, calendar, settings):
    # given 3 working days to answer, a feedback received on Wednesday 29/04/2026 at 09:00
    settings.EISO_FEEDBACK_RESPONSE_WORKING_DAYS = 3
    # when
    feedback = receive(world, received_at=at("2026-04-29 09:00"))
    # then 30/04 and 01/05 (holidays) and the weekend do not count: Wed (rest of the day), Mon 4, Tue 5, Wed 6
    assert feedback.due_on == dt.date(2026, 5, 6)


@pytest.mark.django_db
def test_default_is_ten_working_days(world, calendar):
    feedback = receive(world, received_at=at("2026-04-29 09:00"))
    # Mon 04/05 … Fri 08/05 and Mon 11/05 … Fri 15/05: the tenth working day after the receipt
    assert feedback.due_on == dt.date(2026, 5, 15)
    assert feedback.number == f"{world.own.code}-PA-2026-0001"
    assert receive(world, received_at=at("2026-04-29 10:00")).number.endswith("-PA-2026-0002")


@pytest.mark.django_db
def test_tracking_codes_are_per_agency_and_year(world, calendar):
    assert receive(world, received_at=at("2026-12-31 09:00")).number.endswith("-PA-2026-0001")
    holidays_seed_year(year=2027)
    assert receive(world, received_at=at("2027-01-04 09:00")).number.endswith("-PA-2027-0001")
    assert receive(world, agency=world.sibling, received_at=at("2026-12-30 09:00")).number == \
        f"{world.sibling.code}-PA-2026-0001"


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field"), [
    ({"content": "  "}, "content"),
    ({"submitter_name": ""}, "submitter_name"),
    ({"phone": ""}, "phone"),  # the public form needs the phone (second factor of the status page)
    ({"phone": "12-34"}, "phone"),
    ({"kind": "complaint"}, "kind"),
])
def test_invalid_feedback_is_refused_and_nothing_stored(world, changes, field):
    with pytest.raises(ApplicationError) as error:
        receive(world, **changes)
    assert field in error.value.errors
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_procedure_must_be_one_of_the_agency(world):
    other = Procedure.objects.create(code="2.000001", name="Thủ tục không thuộc cơ quan")
    with pytest.raises(ApplicationError) as error:
        receive(world, procedure=other)
    assert "procedure" in error.value.errors
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_staff_record_desk_feedback_with_an_email_only(world):
    feedback = services.feedback_receive(actor=world.users["staff"], agency=world.own, channel="phone",
                                         content="Gọi điện phản ánh", submitter_name="Lê Thị Hoa", phone="",
                                         email="hoa@example.vn")
    assert (feedback.channel, feedback.recorded_by, feedback.status) == ("phone", world.users["staff"], "received")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "consultant", "supervisor"])
def test_only_head_coordinator_and_staff_record_feedback(world, role):
    with pytest.raises(PermissionDeniedError):
        services.feedback_receive(actor=world.users[role], agency=world.own, channel="desk", content="x",
                                  submitter_name="y", phone="0912345678")
    assert not Feedback.objects.exists()


# --- Workflow ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_assign_respond_close(world):
    head, staff = world.users["agency_head"], world.users["staff"]
    feedback = receive(world)
    # when the head assigns it to staff, who answers, and the head closes it
    feedback = services.feedback_assign(actor=head, feedback=feedback, handler=staff)
    assert (feedback.status, feedback.handler) == ("assigned", staff)
    feedback = services.feedback_respond(actor=staff, feedback=feedback, response="Đã chấn chỉnh cán bộ")
    assert (feedback.status, feedback.answered_by) == ("answered", staff)
    assert feedback.is_answered_on_time is True
    feedback = services.feedback_close(actor=head, feedback=feedback)
    # then
    feedback.refresh_from_db()
    assert feedback.status == "closed" and feedback.closed_at is not None


@pytest.mark.django_db
def test_refusals_change_nothing(world):
    head, staff, auditor = world.users["agency_head"], world.users["staff"], world.users["auditor"]
    feedback = receive(world)
    # staff who is not the handler cannot answer, nor assign
    with pytest.raises(PermissionDeniedError):
        services.feedback_respond(actor=staff, feedback=feedback, response="Trả lời")
    with pytest.raises(PermissionDeniedError):
        services.feedback_assign(actor=staff, feedback=feedback, handler=staff)
    # the auditor is no handler
    with pytest.raises(ApplicationError) as error:
        services.feedback_assign(actor=head, feedback=feedback, handler=auditor)
    assert "handler" in error.value.errors
    # closing before the answer, rejecting without a reason, an empty answer
    with pytest.raises(ApplicationError, match="Record the response before closing"):
        services.feedback_close(actor=head, feedback=feedback)
    with pytest.raises(ApplicationError, match="Say why"):
        services.feedback_reject(actor=head, feedback=feedback, reason=" ")
    with pytest.raises(ApplicationError):
        services.feedback_respond(actor=head, feedback=feedback, response="")
    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.status, stored.handler, stored.response, stored.rejection_reason) == ("received", None, "", "")


@pytest.mark.django_db
def test_reject_with_reason_then_nothing_more(world):
    head = world.users["iso_coordinator"]
    feedback = services.feedback_reject(actor=head, feedback=receive(world), reason="Thuộc thẩm quyền của tỉnh")
    assert feedback.status == "rejected"
    with pytest.raises(ApplicationError):
        services.feedback_respond(actor=head, feedback=feedback, response="x")
    with pytest.raises(ApplicationError):
        services.feedback_raise_nonconformity(actor=head, feedback=feedback)


@pytest.mark.django_db
def test_raise_a_nonconformity_links_it_once(world):
    head = world.users["agency_head"]
    feedback = receive(world)
    nonconformity = services.feedback_raise_nonconformity(actor=head, feedback=feedback, grade="minor")
    feedback.refresh_from_db()
    assert feedback.nonconformity == nonconformity
    assert (nonconformity.source, nonconformity.agency, nonconformity.grade) == ("feedback", world.own, "minor")
    assert feedback.number in nonconformity.description
    with pytest.raises(ApplicationError, match="already linked"):
        services.feedback_raise_nonconformity(actor=head, feedback=feedback)
    assert Nonconformity.objects.count() == 1


@pytest.mark.django_db
def test_overdue(world):
    feedback = receive(world)
    Feedback.objects.filter(pk=feedback.pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    assert list(overdue_feedback(agency=world.own)) == [feedback]
    services.feedback_respond(actor=None, feedback=feedback, response="Muộn")
    assert not overdue_feedback(agency=world.own).exists()


# --- Pages ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_workflow_and_contact_shown_only_to_handlers(client, world):
    head, staff, auditor = world.users["agency_head"], world.users["staff"], world.users["auditor"]
    feedback = receive(world)
    # the auditor reads it without the contact
    login(client, auditor)
    page = client.get(feedback.get_absolute_url()).content.decode()
    assert feedback.content in page and "0912 345 678" not in page
    # the head assigns it to staff
    login(client, head)
    assert "0912 345 678" in client.get(feedback.get_absolute_url()).content.decode()
    client.post(reverse("improvement:feedback_assign", args=[feedback.pk]), {"handler": staff.pk})
    # staff (the handler) sees the contact and answers
    login(client, staff)
    assert "0912 345 678" in client.get(feedback.get_absolute_url()).content.decode()
    client.post(reverse("improvement:feedback_respond", args=[feedback.pk]), {"response": "Đã xử lý"})
    # the head closes and raises a nonconformity
    login(client, head)
    client.post(reverse("improvement:feedback_close", args=[feedback.pk]))
    client.post(reverse("improvement:feedback_nonconformity", args=[feedback.pk]), {"grade": ""})
    feedback.refresh_from_db()
    assert feedback.status == "closed" and feedback.nonconformity is not None
    page = client.get(feedback.nonconformity.get_absolute_url()).content.decode()
    assert feedback.number in page


@pytest.mark.django_db
def test_list_overdue_filter(client, world):
    late, fresh = receive(world, content="Phản ánh quá hạn"), receive(world, content="Phản ánh còn hạn")
    Feedback.objects.filter(pk=late.pk).update(due_on=dt.date.today() - dt.timedelta(days=2))
    login(client, world.users["staff"])
    page = client.get(reverse("improvement:feedback_list") + "?overdue=true").content.decode()
    assert late.number in page and fresh.number not in page


@pytest.mark.django_db
def test_desk_form_records_and_refusal_keeps_the_form(client, world):
    login(client, world.users["staff"])
    url = reverse("improvement:feedback_add")
    refused = client.post(url, {"channel": "desk", "kind": "feedback", "content": "Nội dung",
                                "submitter_name": "Ông Ba", "phone": "", "email": ""})
    assert refused.status_code == 200 and "Give a phone number or an e-mail address" in refused.content.decode()
    assert not Feedback.objects.exists()
    done = client.post(url, {"channel": "desk", "kind": "petition", "content": "Kiến nghị", "submitter_name": "Ông Ba",
                             "phone": "0912000111", "email": ""})
    feedback = Feedback.objects.get()
    assert done["Location"] == feedback.get_absolute_url() and feedback.kind == "petition"


@pytest.mark.django_db
def test_another_agency_gets_404(client, api_client, world):
    feedback = receive(world)
    outsider = user_with_role("agency_head", world.sibling)
    login(client, outsider)
    assert client.get(feedback.get_absolute_url()).status_code == 404
    assert client.post(reverse("improvement:feedback_close", args=[feedback.pk])).status_code == 404
    api_client.force_authenticate(outsider)
    assert api_client.get(reverse("feedback-detail", args=[feedback.pk])).status_code == 404
    assert api_client.get(reverse("feedback-list")).json()["count"] == 0


# --- API -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_workflow_and_contact(api_client, world):
    head, staff = world.users["agency_head"], world.users["staff"]
    api_client.force_authenticate(staff)
    created = api_client.post(reverse("feedback-list"), {
        "agency": str(world.own.pk), "channel": "desk", "content": "Phản ánh tại quầy", "submitter_name": "Bà Tư",
        "phone": "0977000222"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api_client.post(reverse("feedback-list"), {
        "agency": str(world.own.pk), "channel": "public_form", "content": "x", "submitter_name": "y",
        "phone": "0977000222"}, format="json")
    assert refused.status_code == 400 and Feedback.objects.count() == 1
    # the auditor reads it without the contact
    api_client.force_authenticate(world.users["auditor"])
    body = api_client.get(reverse("feedback-detail", args=[pk])).json()
    assert body["phone"] is None and body["content"] == "Phản ánh tại quầy"
    api_client.force_authenticate(head)
    assert api_client.get(reverse("feedback-detail", args=[pk])).json()["phone"] == "0977000222"
    api_client.post(reverse("feedback-assign", args=[pk]), {"handler": staff.pk}, format="json")
    api_client.force_authenticate(staff)
    answered = api_client.post(reverse("feedback-respond", args=[pk]), {"response": "Đã giải thích"}, format="json")
    assert answered.json()["status"] == "answered"
    api_client.force_authenticate(head)
    linked = api_client.post(reverse("feedback-nonconformity", args=[pk]), {}, format="json")
    assert linked.status_code == 201 and linked.json()["nonconformity_number"].startswith("NC-")
    closed = api_client.post(reverse("feedback-close", args=[pk]), format="json")
    assert closed.json()["status"] == "closed"
    assert api_client.get(reverse("feedback-list") + "?overdue=true").json()["count"] == 0


# --- Contracts -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_input_and_evidence(world):
    today = timezone.localdate()
    assert feedback_review_input(agency=world.own, start=today, end=today) == []
    on_time = receive(world)
    services.feedback_respond(actor=None, feedback=on_time, response="Đúng hạn")
    late = receive(world, kind="petition")
    Feedback.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=1))
    lines = dict(feedback_review_input(agency=world.own, start=today - dt.timedelta(days=1), end=today + dt.timedelta(
        days=1)))
    assert lines["Feedback and petitions received"] == "2 (feedback: 1, petitions: 1)"
    assert lines["Feedback answered on time"].startswith("1 of 1 answered (100")
    assert lines["Feedback overdue without an answer"].startswith("1 on ")
    records = evidence_records(agency=world.own, year=today.year)
    assert [r["url"] for r in records] == [on_time.get_absolute_url(), late.get_absolute_url()]
    assert all("0912" not in r["title"] for r in records)
    assert evidence_records(agency=world.sibling, year=today.year) == []
