"""The oversight API: plans with their parts, agency stages with confirm and conversion, the province summary;
tenancy (404 outside, 403 to readers who do not write, 400 for unseen ids in a body) and refusals that change
nothing."""

import datetime as dt

import pytest

from eiso.oversight.models import AgencyStage, RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from eiso.oversight.selectors import province_summary
from eiso.oversight.services import rollout_targets_add, stage_confirm
from tests.oversight.conftest import PLAN, build_documents, consultant_of

pytestmark = pytest.mark.django_db


def body(**changes):
    data = {name: (value.isoformat() if isinstance(value, dt.date) else value) for name, value in PLAN.items()}
    return data | changes


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_create_a_plan_and_add_its_parts(api_client, world):
    client = as_user(api_client, world.users["supervisor"])
    response = client.post("/api/v1/rollout-plans/", body(province=world.province.pk), format="json")
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert (plan["agency"], plan["province"], plan["budget_total"]) == (str(world.dost.pk), world.province.pk, 0)
    consultant = consultant_of(world.dost)
    response = client.post(f"/api/v1/rollout-plans/{plan['id']}/targets/",
                           {"level": "commune", "consultant": str(consultant.pk)}, format="json")
    assert response.status_code == 200
    assert {t["agency"] for t in response.json()["targets"]} == {str(world.own.pk), str(world.sibling.pk)}
    assert {t["level"] for t in response.json()["targets"]} == {"commune"}
    response = client.post("/api/v1/rollout-milestones/", {"plan": plan["id"], "kind": "training",
                                                           "planned_on": "2026-03-05"}, format="json")
    assert response.status_code == 201
    milestone = response.json()["id"]
    response = client.patch(f"/api/v1/rollout-milestones/{milestone}/", {"done_on": "2026-03-06",
                                                                         "done_notes": "215 người"}, format="json")
    assert response.status_code == 200 and response.json()["done_on"] == "2026-03-06"
    response = client.post("/api/v1/rollout-budget-lines/", {"plan": plan["id"], "item": "Tập huấn",
                                                             "amount": "180000000"}, format="json")
    assert response.status_code == 201
    response = client.get(f"/api/v1/rollout-plans/{plan['id']}/")
    assert response.json()["budget_total"] == 180_000_000 and len(response.json()["milestones"]) == 1
    target = response.json()["targets"][0]["id"]
    response = client.patch(f"/api/v1/rollout-targets/{target}/", {"consultant": None, "note": "Tự xây dựng"},
                            format="json")
    assert response.status_code == 200 and response.json()["consultant"] is None
    assert client.delete(f"/api/v1/rollout-targets/{target}/").status_code == 204
    assert RolloutTarget.objects.count() == 1


def test_refusals_in_the_api_have_the_error_format_and_change_nothing(api_client, world, plan):
    client = as_user(api_client, world.users["supervisor"])
    response = client.post("/api/v1/rollout-milestones/", {"plan": str(plan.pk), "kind": "survey",
                                                           "planned_on": "2027-01-01"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "outside_period"
    assert "planned_on" in response.json()["errors"]
    response = client.post(f"/api/v1/rollout-plans/{plan.pk}/targets/", {"agencies": [str(world.foreign.pk)]},
                           format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_agencies"  # not visible: unknown
    response = client.post("/api/v1/rollout-budget-lines/", {"plan": str(plan.pk), "item": "x", "amount": "-1"},
                           format="json")
    assert response.status_code == 400
    response = client.post("/api/v1/rollout-plans/", body(province=world.province.pk, period_end="2026-01-01"),
                           format="json")
    assert response.status_code == 400 and response.json()["code"] == "period_reversed"
    assert not RolloutMilestone.objects.exists() and not RolloutTarget.objects.exists()
    assert not RolloutBudgetLine.objects.exists() and RolloutPlan.objects.count() == 1


def test_plans_are_invisible_to_agency_people_and_read_only_for_a_national_supervisor(api_client, world, plan,
                                                                                     national):
    client = as_user(api_client, world.users["agency_head"])
    assert client.get("/api/v1/rollout-plans/").json()["results"] == []
    assert client.get(f"/api/v1/rollout-plans/{plan.pk}/").status_code == 404
    response = client.post("/api/v1/rollout-plans/", body(province=world.province.pk), format="json")
    assert response.status_code == 403
    client = as_user(api_client, national)
    assert ids(client.get("/api/v1/rollout-plans/")) == {str(plan.pk)}
    assert client.patch(f"/api/v1/rollout-plans/{plan.pk}/", {"notes": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/rollout-plans/{plan.pk}/").status_code == 403
    assert RolloutPlan.objects.get().notes == ""


def test_agency_stages_list_detail_confirm_conversion(api_client, world, announcements):
    build_documents(world.own)
    client = as_user(api_client, world.users["supervisor"])
    response = client.get("/api/v1/agency-stages/")
    rows = {row["agency"]: row for row in response.json()["results"]}
    assert set(rows) == {str(world.own.pk), str(world.sibling.pk), str(world.dost.pk)}
    assert (rows[str(world.own.pk)]["stage"], rows[str(world.own.pk)]["level"]) == ("building", "commune")
    response = client.post(f"/api/v1/agency-stages/{world.sibling.pk}/confirm/",
                           {"stage": "announced", "note": "Công bố năm 2019"}, format="json")
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["derived_stage"], response.json()["confirmed_stage"]) == (
        "announced", "not_started", "announced")
    response = client.post(f"/api/v1/agency-stages/{world.sibling.pk}/conversion/",
                           {"had_2008_system": True, "converted_on": "2018-06-01"}, format="json")
    assert response.status_code == 200 and response.json()["converted"] is True
    assert ids_of(client.get("/api/v1/agency-stages/?stage=announced")) == {str(world.sibling.pk)}
    assert ids_of(client.get("/api/v1/agency-stages/?level=department")) == {str(world.dost.pk)}
    response = client.get("/api/v1/agency-stages/?stage=certified")
    assert response.status_code == 400 and response.json()["code"] == "invalid_stage"
    response = client.post(f"/api/v1/agency-stages/{world.sibling.pk}/confirm/", {"stage": None}, format="json")
    assert response.status_code == 200 and response.json()["confirmed_stage"] is None


def ids_of(response):
    return {row["agency"] for row in response.json()["results"]}


def test_agency_stages_tenancy(api_client, world, other_supervisor, national):
    stage_confirm(actor=world.users["supervisor"], agency=world.own, stage="applying", note="Báo cáo")
    client = as_user(api_client, world.users["agency_head"])
    assert ids_of(client.get("/api/v1/agency-stages/")) == {str(world.own.pk)}
    assert client.get(f"/api/v1/agency-stages/{world.sibling.pk}/").status_code == 404
    response = client.post(f"/api/v1/agency-stages/{world.own.pk}/confirm/", {"stage": "maintaining", "note": "x"},
                           format="json")
    assert response.status_code == 403 and set(response.json()) == {"message", "code", "errors"}
    client = as_user(api_client, world.users["consultant"])
    assert client.get(f"/api/v1/agency-stages/{world.own.pk}/").status_code == 404
    client = as_user(api_client, other_supervisor)
    assert client.post(f"/api/v1/agency-stages/{world.own.pk}/confirm/", {"stage": "announced", "note": "x"},
                       format="json").status_code == 404
    client = as_user(api_client, national)
    assert client.get(f"/api/v1/agency-stages/{world.own.pk}/").json()["stage"] == "applying"
    assert client.post(f"/api/v1/agency-stages/{world.own.pk}/conversion/", {"had_2008_system": True},
                       format="json").status_code == 403
    assert AgencyStage.objects.get().confirmed_stage == "applying"


def test_the_province_summary_endpoint(api_client, world, announcements):
    build_documents(world.own)
    announcements.announce(world.sibling, dt.date(2025, 1, 1))
    client = as_user(api_client, world.users["supervisor"])
    response = client.get("/api/v1/province-summary/")
    assert response.status_code == 200
    data = response.json()
    expected = province_summary(province=world.province)
    assert data["province"] == world.province.pk
    assert [(r["level"], r["total"], r["by_stage"], r["announced"]) for r in data["levels"]] == [
        (r.level, r.total, r.by_stage, r.announced) for r in expected]
    commune = next(r for r in data["levels"] if r["level"] == "commune")
    assert commune["by_stage"] == {"not_started": 0, "building": 1, "applying": 0, "announced": 1, "maintaining": 0}
    assert client.get(f"/api/v1/province-summary/?province={world.other_province.pk}").status_code == 404
    assert client.get("/api/v1/province-summary/?province=x").status_code == 400


def test_the_province_summary_for_others(api_client, world, national):
    client = as_user(api_client, world.users["agency_head"])
    assert client.get(f"/api/v1/province-summary/?province={world.province.pk}").status_code == 404
    client = as_user(api_client, national)
    response = client.get("/api/v1/province-summary/")
    assert response.status_code == 400 and response.json()["code"] == "invalid_province"  # which one?
    assert client.get(f"/api/v1/province-summary/?province={world.other_province.pk}").status_code == 200


def test_targets_added_through_the_api_stay_invisible_to_the_agency(api_client, world, plan):
    rollout_targets_add(actor=world.users["supervisor"], plan=plan, agencies=[world.own])
    client = as_user(api_client, world.users["agency_head"])
    assert client.get("/api/v1/rollout-targets/").json()["results"] == []
    assert client.get("/api/v1/rollout-milestones/").json()["results"] == []
