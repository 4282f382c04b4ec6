"""Pages for each role (the list, the policy, an objective with its chart), the forms with their errors, and the
API (create, the formula refusal, record a measurement, copy a year, tenancy)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from eiso.objectives import services
from eiso.objectives.models import Indicator, Measurement, QualityObjective, QualityPolicy
from tests.objectives.conftest import entered_indicator

pytestmark = pytest.mark.django_db


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff", "auditor"])
def test_the_year_page_shows_the_policy_and_the_objectives_to_every_reader(client, world, approved, role):
    policy = services.policy_draft_save(actor=None, agency=world.own, text="Tận tâm, chính xác, đúng hẹn")
    services.policy_approve(actor=None, policy=policy)
    page = signed_in(client, world, role).get(reverse("objectives:objective_list"),
                                              {"year": approved.year}).content.decode()
    assert "Tận tâm, chính xác, đúng hẹn" in page
    assert approved.title in page and "Tỷ lệ hồ sơ đúng hạn" in page and "not measured" in page
    assert ("Add an objective" in page) == (role in ("agency_head", "iso_coordinator"))
    detail = client.get(approved.get_absolute_url())
    assert detail.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in detail.content.decode()


def test_consultants_and_other_agencies_see_nothing(client, world, approved):
    page = signed_in(client, world, "consultant").get(reverse("objectives:objective_list")).content.decode()
    assert approved.title not in page
    assert client.get(approved.get_absolute_url()).status_code == 404
    from tests.factories import user_with_role

    client.force_login(user_with_role("agency_head", world.sibling))
    assert client.get(approved.get_absolute_url()).status_code == 404
    assert client.post(reverse("objectives:objective_close", args=[approved.pk])).status_code == 404


def test_the_indicator_form_refuses_a_formula_that_references_nothing(client, world, objective):
    url = reverse("objectives:indicator_add", args=[objective.pk])
    response = signed_in(client, world, "iso_coordinator").post(url, {
        "name": "Không có gì", "value_source": "computed", "metric": "", "comparison": "gte", "target": "90",
        "frequency": "monthly"})
    assert response.status_code == 200
    assert "The formula references nothing" in response.content.decode()
    assert objective.indicators.count() == 1


def test_the_head_approves_on_the_page_and_the_coordinator_cannot(client, world, objective):
    url = reverse("objectives:objective_approve", args=[objective.pk])
    assert signed_in(client, world, "iso_coordinator").post(url).status_code == 403
    assert QualityObjective.objects.get(pk=objective.pk).status == "draft"
    assert signed_in(client, world, "agency_head").post(url).status_code == 302
    assert QualityObjective.objects.get(pk=objective.pk).status == "approved"


def test_a_measurement_is_entered_with_a_file_and_the_file_is_served_to_readers(client, world, objective, settings,
                                                                                 tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    indicator = entered_indicator(world, objective)
    services.objective_approve(actor=world.users["agency_head"], objective=objective)
    url = reverse("objectives:measurement_add", args=[indicator.pk])
    coordinator = signed_in(client, world, "iso_coordinator")
    # without evidence: the form says so and nothing is stored
    response = coordinator.post(url, {"period_start": dt.date(objective.year, 3, 1), "value": "12"})
    assert "Give the evidence" in response.content.decode() and not Measurement.objects.exists()
    response = coordinator.post(url, {"period_start": dt.date(objective.year, 3, 1), "value": "12", "evidence": "",
                                      "file": SimpleUploadedFile("ds.pdf", b"%PDF-1.4\n%%EOF\n")})
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.result) == (Decimal(12), "above")
    served = signed_in(client, world, "auditor").get(reverse("objectives:measurement_evidence",
                                                             args=[measurement.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")


def test_copy_the_previous_year_from_the_page(client, world, approved):
    to_year = approved.year + 1
    response = signed_in(client, world, "iso_coordinator").post(
        reverse("objectives:objective_copy_year"), {"from_year": approved.year, "to_year": to_year})
    assert response.status_code == 302
    assert QualityObjective.objects.filter(agency=world.own, year=to_year, status="draft").count() == 1
    assert signed_in(client, world, "staff").post(reverse("objectives:objective_copy_year"), {
        "from_year": approved.year, "to_year": to_year + 1}).status_code == 403


def test_the_policy_page_writes_a_draft_the_head_approves(client, world):
    coordinator = signed_in(client, world, "iso_coordinator")
    assert coordinator.post(reverse("objectives:policy_edit"), {"text": "Phục vụ tận tâm"}).status_code == 302
    page = coordinator.get(reverse("objectives:policy_detail")).content.decode()
    assert "Draft of version 1" in page and "Approve: it comes into force" not in page
    head = signed_in(client, world, "agency_head")
    draft = QualityPolicy.objects.get(agency=world.own)
    assert head.post(reverse("objectives:policy_approve", args=[draft.pk])).status_code == 302
    page = head.get(reverse("objectives:policy_detail")).content.decode()
    assert "Phục vụ tận tâm" in page and "In force" in page


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_creates_an_objective_with_indicators_and_refuses_an_empty_formula(api_client, world):
    api_client.force_authenticate(world.users["iso_coordinator"])
    created = api_client.post(reverse("qualityobjective-list"), {"agency": str(world.own.pk), "year": 2026,
                                                                 "title": "Hài lòng"}, format="json")
    assert created.status_code == 201, created.content
    objective_id = created.json()["id"]
    refused = api_client.post(reverse("objectiveindicator-list"), {
        "objective": objective_id, "name": "Rỗng", "value_source": "computed", "metric": "", "target": "90"},
        format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "formula_references_nothing"
    assert not Indicator.objects.exists()
    ok = api_client.post(reverse("objectiveindicator-list"), {
        "objective": objective_id, "name": "Tỷ lệ hài lòng", "value_source": "computed",
        "metric": "satisfaction_rate", "target": "90"}, format="json")
    assert ok.status_code == 201 and ok.json()["unit"] == "%"
    detail = api_client.get(reverse("qualityobjective-detail", args=[objective_id])).json()
    assert [i["name"] for i in detail["indicators"]] == ["Tỷ lệ hài lòng"]


def test_the_api_records_and_lists_measurements(api_client, world, objective):
    indicator = entered_indicator(world, objective)
    services.objective_approve(actor=world.users["agency_head"], objective=objective)
    api_client.force_authenticate(world.users["iso_coordinator"])
    url = reverse("objectiveindicator-record", args=[indicator.pk])
    missing = api_client.post(url, {"period_start": f"{objective.year}-07-01", "value": "9"}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "evidence_required"
    recorded = api_client.post(url, {"period_start": f"{objective.year}-07-01", "value": "9",
                                     "evidence": "Báo cáo quý III"}, format="json")
    assert recorded.status_code == 200 and recorded.json()["result"] == "below"
    listed = api_client.get(reverse("objectiveindicator-measurements", args=[indicator.pk])).json()
    assert [(m["period_start"], m["value"]) for m in listed] == [(f"{objective.year}-07-01", "9.00")]


def test_the_api_hides_other_agencies(api_client, world, objective):
    from tests.factories import user_with_role

    api_client.force_authenticate(user_with_role("agency_head", world.foreign))
    assert api_client.get(reverse("qualityobjective-detail", args=[objective.pk])).status_code == 404
    assert objective.title not in api_client.get(reverse("qualityobjective-list")).content.decode()
    response = api_client.post(reverse("qualityobjective-copy-year"), {
        "agency": str(world.own.pk), "from_year": objective.year, "to_year": objective.year + 1}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_agency"


def test_patch_changes_only_the_fields_sent_and_put_replaces_them(api_client, world, objective):
    api_client.force_authenticate(world.users["iso_coordinator"])
    url = reverse("qualityobjective-detail", args=[objective.pk])
    patched = api_client.patch(url, {"description": "Theo Quyết định 19"}, format="json")
    assert patched.status_code == 200, patched.json()
    objective.refresh_from_db()
    assert (objective.title, objective.description, objective.owner) == (
        "Giải quyết hồ sơ đúng hạn", "Theo Quyết định 19", world.users["staff"])
    put = api_client.put(url, {"title": "Hồ sơ đúng hạn"}, format="json")
    assert put.status_code == 200
    objective.refresh_from_db()
    assert (objective.title, objective.description, objective.owner) == ("Hồ sơ đúng hạn", "", None)
    assert api_client.put(url, {"description": "x"}, format="json").status_code == 400  # PUT needs the title
