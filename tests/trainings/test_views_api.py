"""Pages and API: a supervisor's course from creation to certificates through the pages; tenancy (another province's
supervisor: 404; an agency's head and coordinator see only their own people and their consultants; national
supervisors read and write nothing); the API's writes and refusals."""

import datetime as dt

import pytest
from django.urls import reverse

from eiso.core.permissions import Role
from eiso.trainings.consultant_services import engagement_add, issue_report
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue, Participant, Training
from eiso.trainings.services import certificates_issue, participant_add
from tests.conftest import login
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, user_with_role
from tests.trainings.conftest import consultant, course, docx_text

pytestmark = pytest.mark.django_db


def test_a_course_from_creation_to_certificates_through_the_pages(client, world):
    login(client, world.users["supervisor"])
    firm = consultant(world)
    # when the supervisor records the course
    response = client.post(reverse("trainings:training_add"), {
        "topic": "Đánh giá viên nội bộ", "kind": "internal_auditor", "start_on": "2025-08-12",
        "end_on": "14/08/2025", "location": "Hội trường", "trainer": "ThS. Trần Thị Hằng", "consultant": firm.pk})
    training = Training.objects.get()
    assert response.status_code == 302 and response["Location"] == training.get_absolute_url()
    assert (training.agency, training.reference, training.consultant) == (world.dost, "01/2025", firm)
    # adds a participant of another province: refused, shown
    page = client.post(reverse("trainings:participant_add", args=[training.pk]),
                       {"agency": world.foreign.pk, "full_name": "Hà Văn Cường"}, follow=True).content.decode()
    assert "Choose the agency" in page and not Participant.objects.exists()
    client.post(reverse("trainings:participant_add", args=[training.pk]),
                {"agency": world.own.pk, "full_name": "Nguyễn Văn An", "position": "Thư ký ISO"})
    person = Participant.objects.get()
    # records the result with the person's account
    response = client.post(reverse("trainings:participant_edit", args=[person.pk]), {
        "agency": world.own.pk, "full_name": "Nguyễn Văn An", "position": "Thư ký ISO",
        "user": world.users["iso_coordinator"].pk, "attended": "on", "passed": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.passed, person.user) == (True, world.users["iso_coordinator"])
    # issues the certificates and downloads them
    page = client.post(reverse("trainings:certificates_issue", args=[training.pk]), follow=True).content.decode()
    assert "01.001/2025/GCN" in page
    response = client.get(reverse("trainings:training_certificates", args=[training.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Nguyễn Văn An" in docx_text(response.content)
    # the certified participant cannot be removed: refused, shown, kept
    page = client.post(reverse("trainings:participant_delete", args=[person.pk]), follow=True).content.decode()
    assert "cannot be removed" in page and Participant.objects.filter(pk=person.pk).exists()


def test_another_provinces_supervisor_gets_404_and_the_agency_people_see_no_course_page(client, world,
                                                                                       foreign_dost):
    training = course(world)
    firm = consultant(world)
    participant_add(actor=None, training=training, agency=world.own, full_name="Nguyễn Văn An")
    login(client, foreign_dost.supervisor)
    for url in (training.get_absolute_url(), firm.get_absolute_url(),
                reverse("trainings:training_edit", args=[training.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("trainings:participant_add", args=[training.pk]),
                       {"agency": world.own.pk, "full_name": "X"}).status_code == 404
    assert "Nhận thức chung" not in client.get(reverse("trainings:training_list")).content.decode()
    login(client, world.users["agency_head"])
    assert client.get(training.get_absolute_url()).status_code == 404
    assert client.get(firm.get_absolute_url()).status_code == 404
    assert Participant.objects.count() == 1


def test_agency_people_see_only_their_own_people_and_certificates(client, world):
    # given a course with people of the own and the sibling agency, all certified
    training = course(world)
    mine = participant_add(actor=None, training=training, agency=world.own, full_name="Người Của Mình",
                           passed=True)
    theirs = participant_add(actor=None, training=training, agency=world.sibling, full_name="Người Xã Khác",
                             passed=True)
    certificates_issue(actor=None, training=training, on=dt.date(2025, 3, 20))
    for role in ("agency_head", "iso_coordinator"):
        login(client, world.users[role])
        page = client.get(reverse("trainings:agency_trainings")).content.decode()
        assert "Người Của Mình" in page and "Người Xã Khác" not in page, role
        assert client.get(reverse("trainings:participant_certificate", args=[mine.pk])).status_code == 200
        assert client.get(reverse("trainings:participant_certificate", args=[theirs.pk])).status_code == 404
        # another agency of the province through ?agency=: 404
        assert client.get(reverse("trainings:agency_trainings") + f"?agency={world.sibling.pk}").status_code == 404
    for role in ("staff", "auditor", "consultant"):
        login(client, world.users[role])
        assert client.get(reverse("trainings:agency_trainings")).status_code == 403, role
        assert client.get(reverse("trainings:participant_certificate", args=[mine.pk])).status_code == 404, role
    # the supervisor drills down into each agency
    login(client, world.users["supervisor"])
    page = client.get(reverse("trainings:agency_trainings") + f"?agency={world.sibling.pk}").content.decode()
    assert "Người Xã Khác" in page and "Người Của Mình" not in page


def test_agency_people_see_the_consultants_engaged_with_them_and_report_an_issue(client, world):
    firm = consultant(world)
    other = consultant(world, name="Tư vấn Hết Hạn", licence_valid_until=dt.date(2024, 12, 31),
                       licence_issued_on=dt.date(2020, 1, 1))
    mine = engagement_add(actor=None, consultant=firm, agency=world.own, started_on=dt.date(2025, 1, 1))
    theirs = engagement_add(actor=None, consultant=other, agency=world.sibling, started_on=dt.date(2025, 1, 1))
    issue_report(actor=None, engagement=theirs, description="Vấn đề của xã khác")
    login(client, world.users["iso_coordinator"])
    page = client.get(reverse("trainings:agency_consultants")).content.decode()
    assert firm.name in page and other.name not in page and "Vấn đề của xã khác" not in page
    assert 'data-licensed="yes"' in page
    # report an issue on the own engagement
    response = client.post(reverse("trainings:issue_report", args=[mine.pk]),
                           {"description": "Chuyên gia đến muộn", "reported_on": ""})
    assert response.status_code == 302 and response["Location"].startswith(reverse("trainings:agency_consultants"))
    issue = ConsultantIssue.objects.get(agency=world.own)
    assert (issue.reported_by, issue.consultant) == (world.users["iso_coordinator"], firm)
    # not on the sibling's: 404, nothing recorded
    assert client.post(reverse("trainings:issue_report", args=[theirs.pk]),
                       {"description": "Không phải của mình"}).status_code == 404
    assert ConsultantIssue.objects.filter(agency=world.sibling).count() == 1
    # staff do not see the page's engagements nor report
    login(client, world.users["staff"])
    assert client.post(reverse("trainings:issue_report", args=[mine.pk]),
                       {"description": "Nhân viên"}).status_code == 404
    # the sibling's page flags the expired licence for its supervisor
    login(client, world.users["supervisor"])
    page = client.get(reverse("trainings:agency_consultants") + f"?agency={world.sibling.pk}").content.decode()
    assert 'data-licensed="no"' in page and 'data-licence="expired"' in page
    page = client.get(other.get_absolute_url()).content.decode()
    assert 'id="licence-warning"' in page
    listing = client.get(reverse("trainings:consultant_list")).content.decode()
    assert 'data-licence="expired"' in listing and 'data-licence="valid"' in listing


def test_a_national_supervisor_reads_every_province_and_writes_nothing(client, api_client, world):
    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind="ministry",
                             admin_unit=CommuneFactory(parent=ProvinceFactory(name="Trung ương")))
    national = user_with_role(Role.NATIONAL_SUPERVISOR, ministry)
    training = course(world)
    person = participant_add(actor=None, training=training, agency=world.own, full_name="Nguyễn Văn An")
    login(client, national)
    assert client.get(training.get_absolute_url()).status_code == 200
    assert client.get(reverse("trainings:agency_trainings") + f"?agency={world.own.pk}").status_code == 200
    assert client.get(reverse("trainings:totals") + f"?province={world.province.pk}").status_code == 200
    assert client.get(reverse("trainings:training_add")).status_code == 403
    assert client.get(reverse("trainings:training_edit", args=[training.pk])).status_code == 403
    assert client.post(reverse("trainings:participant_delete", args=[person.pk])).status_code == 403
    api_client.force_login(national)
    response = api_client.post(reverse("training-list"), {"topic": "X", "kind": "other", "start_on": "2025-01-01",
                                                          "end_on": "2025-01-02"}, format="json")
    assert response.status_code == 403
    assert Training.objects.count() == 1 and Participant.objects.count() == 1


def test_the_api_writes_through_the_services(api_client, world, foreign_dost):
    supervisor = world.users["supervisor"]
    api_client.force_login(supervisor)
    # a consultant, a course, a participant, an engagement, an issue
    firm = api_client.post(reverse("consultant-list"), {
        "name": "Tư vấn API", "licence_number": "01/2024", "licence_valid_until": "2024-12-31"}, format="json")
    assert firm.status_code == 201 and firm.json()["licence_state"] == "expired"
    training = api_client.post(reverse("training-list"), {
        "topic": "Nhận thức chung", "kind": "awareness", "start_on": "2025-03-18", "end_on": "2025-03-20",
        "consultant": firm.json()["id"]}, format="json")
    assert training.status_code == 201 and training.json()["reference"] == "01/2025"
    training_id = training.json()["id"]
    # a participant of another province: 400 with the field's error, nothing added
    refused = api_client.post(reverse("trainingparticipant-list"), {
        "training": training_id, "agency": str(world.foreign.pk), "full_name": "Hà Văn Cường"}, format="json")
    assert refused.status_code == 400 and "agency" in refused.json()["errors"]
    added = api_client.post(reverse("trainingparticipant-list"), {
        "training": training_id, "agency": str(world.own.pk), "full_name": "Nguyễn Văn An", "passed": True},
        format="json")
    assert added.status_code == 201
    issued = api_client.post(reverse("training-certificates", args=[training_id]))
    assert issued.status_code == 200 and [p["certificate_number"] for p in issued.json()] == ["01.001/2025/GCN"]
    engagement = api_client.post(reverse("consultantengagement-list"), {
        "consultant": firm.json()["id"], "agency": str(world.own.pk), "started_on": "2024-06-01"}, format="json")
    assert engagement.status_code == 201
    issue = api_client.post(reverse("consultantissue-list"), {
        "engagement": engagement.json()["id"], "description": "Giấy phép hết hạn"}, format="json")
    assert issue.status_code == 201 and issue.json()["status"] == "open"
    resolved = api_client.post(reverse("consultantissue-resolve", args=[issue.json()["id"]]),
                               {"resolution": "Đã gia hạn"}, format="json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    # the participant with a certificate cannot be deleted
    response = api_client.delete(reverse("trainingparticipant-detail", args=[added.json()["id"]]))
    assert response.status_code == 400 and response.json()["code"] == "certificate_issued"
    # the own agency's head reads its participant and engagement, not the course or the consultant
    api_client.force_login(world.users["agency_head"])
    assert [p["full_name"] for p in api_client.get(reverse("trainingparticipant-list")).json()["results"]] == [
        "Nguyễn Văn An"]
    assert api_client.get(reverse("training-detail", args=[training_id])).status_code == 404
    assert api_client.get(reverse("consultant-detail", args=[firm.json()["id"]])).status_code == 404
    assert len(api_client.get(reverse("consultantengagement-list")).json()["results"]) == 1
    assert api_client.patch(reverse("consultantengagement-detail", args=[engagement.json()["id"]]),
                            {"scope_note": "X"}, format="json").status_code == 403
    # another province's supervisor: the course is unknown (404), naming it in a body is 400
    api_client.force_login(foreign_dost.supervisor)
    assert api_client.get(reverse("training-detail", args=[training_id])).status_code == 404
    response = api_client.post(reverse("trainingparticipant-list"), {
        "training": training_id, "agency": str(world.own.pk), "full_name": "X"}, format="json")
    assert response.status_code == 400 and "training" in response.json()["errors"]
    assert Participant.objects.count() == 1
    assert Consultant.objects.count() == 1 and ConsultantEngagement.objects.count() == 1


def test_the_consultant_page_shows_the_agencies_a_rollout_plan_assigned_to_it(client, world):
    services = pytest.importorskip("eiso.oversight.services")
    if not hasattr(services, "rollout_targets_add"):
        pytest.skip("the oversight app has no rollout targets yet")
    firm = consultant(world)
    plan = services.rollout_plan_create(actor=None, province=world.province, data={
        "number": "125/KH-UBND", "issued_on": dt.date(2026, 1, 5), "issuer": "UBND tỉnh", "title": "Kế hoạch ISO",
        "period_start": dt.date(2026, 1, 10), "period_end": dt.date(2026, 6, 30), "notes": ""})
    services.rollout_targets_add(actor=None, plan=plan, agencies=[world.sibling], consultant=firm,
                                 today=dt.date(2026, 1, 10))
    login(client, world.users["supervisor"])
    page = client.get(firm.get_absolute_url()).content.decode()
    section = page.split('id="assignments"')[1].split("</section>")[0]
    assert "125/KH-UBND" in section and world.sibling.name in section


def test_the_api_deletes_a_course_without_certificates_and_refuses_one_with(api_client, world):
    api_client.force_login(world.users["supervisor"])
    plain = course(world)
    certified = course(world, topic="Có giấy chứng nhận")
    participant_add(actor=None, training=certified, agency=world.own, full_name="Nguyễn Văn An", passed=True)
    certificates_issue(actor=None, training=certified, on=dt.date(2025, 3, 20))
    assert api_client.delete(reverse("training-detail", args=[plain.pk])).status_code == 204
    response = api_client.delete(reverse("training-detail", args=[certified.pk]))
    assert response.status_code == 400 and response.json()["code"] == "certificates_issued"
    assert list(Training.objects.values_list("pk", flat=True)) == [certified.pk]
