"""Pages and API of inspections: the supervisor runs a plan and an inspection through the pages, the agency sees
its inspection and submits its corrective-action report through the pages, refusals are shown and change nothing,
tenancy (another province's supervisor, another agency: 404), the API with its actions."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from eiso.inspections.models import Inspection, InspectionFinding, InspectionPlan
from tests.conftest import login
from tests.inspections.conftest import (
    TEAM,
    TODAY,
    approved_plan_with,
    decide,
    other_province_supervisor,
    signed_with_finding,
)

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_supervisor_runs_a_plan_and_an_inspection_through_the_pages(client, world):
    supervisor = world.users["supervisor"]
    login(client, supervisor)
    # a plan
    response = client.post(reverse("inspections:plan_add"), {
        "province": world.province.pk, "year": 2026, "title": "Kế hoạch kiểm tra năm 2026",
        "min_on_site_share": "1/3", "notes": ""})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    client.post(reverse("inspections:line_add", args=[plan.pk]), {"agency": world.own.pk, "method": "by_documents",
                                                                    "planned_month": "6"})
    detail = page(client, plan.get_absolute_url())
    assert world.sibling.name in detail.split('id="not-in-plan"')[1]
    client.post(reverse("inspections:plan_add_all", args=[plan.pk]), {"method": "by_documents", "planned_month": "9"})
    assert set(plan.inspections.values_list("agency", flat=True)) == {world.own.pk, world.sibling.pk}
    # approving with nothing on site: refused, shown, nothing changed
    shown = client.post(reverse("inspections:plan_approve", args=[plan.pk]), follow=True).content.decode()
    assert "0 of 2 are. Change 1 more inspections to on site" in shown
    assert InspectionPlan.objects.get().status == "draft"
    own = plan.inspections.get(agency=world.own)
    client.post(reverse("inspections:inspection_planning", args=[own.pk]), {"method": "on_site",
                                                                           "planned_month": "6"})
    client.post(reverse("inspections:plan_approve", args=[plan.pk]))
    assert InspectionPlan.objects.get().status == "approved"
    # the decision page: a refusal keeps what was typed
    decide_url = reverse("inspections:inspection_decide", args=[own.pk])
    form = {"decision_on": (TODAY - dt.timedelta(days=5)).isoformat(), "team": TEAM,
            "decision_signer": "Hoàng Văn Giám Đốc", "decision_signer_position": "Giám đốc", "on_site_on": ""}
    refused = client.post(decide_url, form)
    assert refused.status_code == 200 and "Give the date of the visit" in refused.content.decode()
    assert "Hoàng Văn Giám Đốc" in refused.content.decode()
    response = client.post(decide_url, form | {"on_site_on": (TODAY - dt.timedelta(days=2)).isoformat()})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.decision_number) == ("decided", 1)
    # the checklist in one form, a finding, the minutes
    data = {f"result_{item.key}": "conform" for item in own.checklist.all()}
    data["result_complaints_handled"] = "not_conform"
    data["evidence_complaints_handled"] = "Sổ theo dõi phản ánh"
    client.post(reverse("inspections:checklist_save", args=[own.pk]), data)
    assert own.checklist.get(key="complaints_handled").evidence == "Sổ theo dõi phản ánh"
    client.post(reverse("inspections:finding_add", args=[own.pk]), {
        "point_key": "complaints_handled", "description": "Phản ánh trả lời quá hạn",
        "required_action": "Trả lời đúng hạn"})
    minutes_url = reverse("inspections:minutes_sign", args=[own.pk])
    form_page = page(client, minutes_url)
    assert world.users["agency_head"].full_name in form_page  # the agency head is proposed as signer
    client.post(minutes_url, {"signed_on": (TODAY - dt.timedelta(days=2)).isoformat(), "place": "Trụ sở",
                              "participants": "Ông A – Chủ tịch", "conclusion": "Phù hợp",
                              "agency_representative": "Ông A", "agency_representative_position": "Chủ tịch"})
    own.refresh_from_db()
    assert own.status == "minutes_signed" and own.report_due_on is not None
    shown = client.post(reverse("inspections:inspection_close", args=[own.pk]), follow=True).content.decode()
    assert "corrective-action report: findings not closed: 1" in shown
    assert Inspection.objects.get(pk=own.pk).status == "minutes_signed"
    # the download of the decision and the minutes
    assert client.get(reverse("inspections:decision_docx", args=[own.pk])).status_code == 200
    assert client.get(reverse("inspections:minutes_docx", args=[own.pk])).status_code == 200


def test_the_agency_sees_its_inspection_and_submits_its_report_through_the_pages(client, world):
    coordinator, staff = world.users["iso_coordinator"], world.users["staff"]
    _plan, (own, sibling) = approved_plan_with(world)
    own = signed_with_finding(world, own)
    finding = own.findings.get()
    # staff read it but do not act
    login(client, staff)
    listing = page(client, reverse("inspections:inspection_list"))
    assert own.get_absolute_url() in listing and sibling.get_absolute_url() not in listing
    shown = page(client, own.get_absolute_url())
    assert "Tài liệu chưa phổ biến đến công chức mới" in shown and own.report_due_on.strftime("%d/%m/%Y") in shown
    assert "Submit the corrective-action report" not in shown
    assert client.post(reverse("inspections:finding_action", args=[finding.pk]),
                       {"action_taken": "X"}).status_code == 403
    # the coordinator records the action and submits
    login(client, coordinator)
    shown = page(client, own.get_absolute_url())
    assert "Submit the corrective-action report" in shown and "Record the decision" not in shown
    refused = client.post(reverse("inspections:report_submit", args=[own.pk]), follow=True).content.decode()
    assert "Findings without the action taken: 1" in refused
    client.post(reverse("inspections:finding_action", args=[finding.pk]), {
        "action_taken": "Đã phổ biến cho 12 công chức", "evidence": "Danh sách ký nhận"})
    client.post(reverse("inspections:report_submit", args=[own.pk]), {"summary": "Đã khắc phục xong"})
    own.refresh_from_db()
    assert (own.status, own.report_submitted_by, own.report_summary) == (
        "report_submitted", coordinator, "Đã khắc phục xong")
    assert InspectionFinding.objects.get().action_evidence == "Danh sách ký nhận"
    # the coordinator cannot write the checklist or close (403), and does not see the sibling's inspection (404)
    assert client.post(reverse("inspections:inspection_close", args=[own.pk])).status_code == 403
    assert client.post(reverse("inspections:checklist_save", args=[own.pk]), {}).status_code == 403
    assert client.get(sibling.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:plan_detail", args=[own.plan_id])).status_code == 404
    # the supervisor reviews and closes
    login(client, world.users["supervisor"])
    client.post(reverse("inspections:finding_review", args=[finding.pk]), {"closed": "1", "comment": "Đạt"})
    client.post(reverse("inspections:inspection_close", args=[own.pk]))
    assert Inspection.objects.get(pk=own.pk).status == "closed"


def test_another_provinces_supervisor_gets_404(client, world):
    plan, (own,) = approved_plan_with(world, world.own)
    own = decide(world, own)
    login(client, other_province_supervisor(world))
    for url in (plan.get_absolute_url(), own.get_absolute_url(), reverse("inspections:decision_docx", args=[own.pk]),
                reverse("inspections:minutes_docx", args=[own.pk]),
                reverse("inspections:summary") + f"?province={world.province.pk}"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("inspections:checklist_prepare", args=[own.pk])).status_code == 404
    assert own.get_absolute_url() not in page(client, reverse("inspections:inspection_list"))


def test_the_api_runs_an_inspection(world):
    api = APIClient()
    api.force_login(world.users["supervisor"])
    created = api.post("/api/v1/inspection-plans/", {"province": world.province.pk, "year": 2026,
                                                     "title": "Kế hoạch 2026"}, format="json")
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert created.json()["label"] == "01/KH-2026" and created.json()["min_on_site_share"] == "1/3"
    line = api.post("/api/v1/inspections/", {"plan": plan_id, "agency": str(world.own.pk)}, format="json")
    assert line.status_code == 201 and line.json()["method"] == "by_documents"
    refused = api.post(f"/api/v1/inspection-plans/{plan_id}/approve/")
    assert refused.status_code == 400 and refused.json()["code"] == "on_site_share"
    inspection_id = line.json()["id"]
    assert api.patch(f"/api/v1/inspections/{inspection_id}/", {"method": "on_site"}, format="json").status_code == 200
    approved = api.post(f"/api/v1/inspection-plans/{plan_id}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    decided = api.post(f"/api/v1/inspections/{inspection_id}/decide/", {
        "decision_on": (TODAY - dt.timedelta(days=5)).isoformat(), "team": TEAM, "decision_signer": "Giám Đốc",
        "on_site_on": (TODAY - dt.timedelta(days=1)).isoformat()}, format="json")
    assert decided.status_code == 200 and decided.json()["decision_label"] == "01/QĐ-SKHCN"
    assert len(decided.json()["checklist"]) == 13
    items = [{"key": item["key"], "result": "conform"} for item in decided.json()["checklist"]]
    items[0]["result"] = "not_conform"
    items[0]["evidence"] = "Thiếu 2 thủ tục"
    answered = api.post(f"/api/v1/inspections/{inspection_id}/checklist/", {"items": items}, format="json")
    assert answered.json()["checklist"][0]["evidence"] == "Thiếu 2 thủ tục"
    finding = api.post(f"/api/v1/inspections/{inspection_id}/findings/", {
        "point_key": items[0]["key"], "description": "Thiếu 2 thủ tục", "required_action": "Bổ sung"}, format="json")
    assert finding.status_code == 201
    signed = api.post(f"/api/v1/inspections/{inspection_id}/sign/", {
        "signed_on": (TODAY - dt.timedelta(days=1)).isoformat(), "place": "Trụ sở", "participants": "Ông A",
        "conclusion": "Phù hợp", "agency_representative": "Ông A"}, format="json")
    assert signed.status_code == 200 and signed.json()["report_state"] == "open"
    # the agency's side
    agency = APIClient()
    agency.force_login(world.users["agency_head"])
    assert agency.post(f"/api/v1/inspections/{inspection_id}/close/").status_code == 403
    corrective = agency.post(f"/api/v1/inspection-findings/{finding.json()['id']}/corrective/",
                             {"action_taken": "Đã bổ sung"}, format="json")
    assert corrective.status_code == 200 and corrective.json()["action_taken"] == "Đã bổ sung"
    submitted = agency.post(f"/api/v1/inspections/{inspection_id}/submit-report/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["report_state"] == "on_time"
    reviewed = api.post(f"/api/v1/inspection-findings/{finding.json()['id']}/review/", {"closed": True},
                        format="json")
    assert reviewed.json()["status"] == "closed"
    closed = api.post(f"/api/v1/inspections/{inspection_id}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # another province's supervisor: 404 on the inspection, nothing listed
    other = APIClient()
    other.force_login(other_province_supervisor(world))
    assert other.get(f"/api/v1/inspections/{inspection_id}/").status_code == 404
    assert other.get("/api/v1/inspection-plans/").json()["results"] == []
    assert other.post("/api/v1/inspections/", {"plan": plan_id, "agency": str(world.sibling.pk)},
                      format="json").status_code == 400


def test_the_lists_show_plans_to_supervisors_and_inspections_to_their_agency(client, world):
    plan, (own, sibling) = approved_plan_with(world)
    login(client, world.users["supervisor"])
    plans = page(client, reverse("inspections:plan_list"))
    assert plan.get_absolute_url() in plans and "01/KH-2026" in plans
    detail = page(client, plan.get_absolute_url())
    assert 'data-on-site="2"' in detail and 'data-total="2"' in detail and "Approve the plan" not in detail
    listing = page(client, reverse("inspections:inspection_list") + "?method=on_site")
    assert own.get_absolute_url() in listing and sibling.get_absolute_url() in listing
    login(client, world.users["agency_head"])
    assert plan.get_absolute_url() not in page(client, reverse("inspections:plan_list"))


def test_a_national_supervisor_reads_every_province_and_writes_nothing(client, world):
    from eiso.core.errors import PermissionDeniedError
    from eiso.core.permissions import Role
    from eiso.inspections import services
    from tests.factories import AgencyFactory, user_with_role

    plan, (own,) = approved_plan_with(world, world.own)
    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind="ministry", admin_unit=world.other_province)
    national = user_with_role(Role.NATIONAL_SUPERVISOR, ministry)
    login(client, national)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(reverse("inspections:summary") + f"?province={world.province.pk}").status_code == 200
    assert client.post(reverse("inspections:plan_add_all", args=[plan.pk])).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.inspection_decide(actor=national, inspection=own, decision_on=TODAY, team=TEAM,
                                   decision_signer="X", on_site_on=TODAY)
