"""The pages of rollout plans and of an agency's stage: what the supervisor of the province does there, what a
national supervisor reads, and the 404/403 of everyone else (a refused request changes nothing)."""

import datetime as dt

import pytest

from eiso.oversight.models import AgencyStage, RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from eiso.oversight.services import rollout_targets_add, stage_confirm
from tests.conftest import login
from tests.oversight.conftest import PLAN, build_documents, consultant_of

pytestmark = pytest.mark.django_db


def form(**changes):
    data = {name: (value.isoformat() if isinstance(value, dt.date) else value) for name, value in PLAN.items()}
    return data | changes


def test_the_supervisor_records_a_plan_from_the_page(client, world):
    login(client, world.users["supervisor"])
    assert client.get("/oversight/plans/new/").status_code == 200
    response = client.post("/oversight/plans/new/", form(province=world.province.pk))
    plan = RolloutPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.agency == world.dost


def test_a_bad_plan_form_keeps_what_was_typed_and_says_why(client, world):
    login(client, world.users["supervisor"])
    response = client.post("/oversight/plans/new/", form(province=world.province.pk, period_end="2026-01-01"))
    assert response.status_code == 200 and not RolloutPlan.objects.exists()
    body = response.content.decode()
    assert "The period must end on or after its start." in body and PLAN["title"] in body


def test_the_plan_page_and_its_parts(client, world, plan):
    login(client, world.users["supervisor"])
    url = plan.get_absolute_url()
    consultant = consultant_of(world.dost)
    response = client.post(f"{url}targets/", {"level": "commune", "consultant": consultant.pk})
    assert response.status_code == 302 and RolloutTarget.objects.filter(plan=plan).count() == 2
    client.post(f"{url}milestones/", {"kind": "documents", "planned_on": "2026-03-31", "title": "Ban hành tài liệu"})
    client.post(f"{url}budget/", {"item": "Thuê tư vấn", "amount": "990000000", "source": "Ngân sách tỉnh"})
    build_documents(world.own)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert world.own.name in body and world.sibling.name in body and consultant.name in body
    assert "Ban hành tài liệu" in body and 'data-reached>1/2<' in body
    assert response.context["budget_total"] == 990_000_000
    assert 'id="budget-total"' in body and "Add target agencies" in body


def test_a_refused_part_says_why_and_changes_nothing(client, world, plan):
    login(client, world.users["supervisor"])
    response = client.post(f"{plan.get_absolute_url()}milestones/", {"kind": "survey", "planned_on": "2027-01-01"},
                           follow=True)
    assert "The planned date must be within the plan" in response.content.decode()
    response = client.post(f"{plan.get_absolute_url()}budget/", {"item": "x", "amount": "0"}, follow=True)
    assert not RolloutMilestone.objects.exists() and not RolloutBudgetLine.objects.exists()
    assert "whole number more than 0" in response.content.decode()


def test_edit_remove_and_delete(client, world, plan):
    supervisor = world.users["supervisor"]
    login(client, supervisor)
    target, = rollout_targets_add(actor=supervisor, plan=plan, agencies=[world.own])
    consultant = consultant_of(world.dost)
    assert client.get(f"/oversight/targets/{target.pk}/edit/").status_code == 200
    client.post(f"/oversight/targets/{target.pk}/edit/", {"consultant": consultant.pk, "note": "HĐ 05"})
    assert RolloutTarget.objects.get().consultant == consultant
    client.post(f"/oversight/plans/{plan.pk}/milestones/", {"kind": "survey", "planned_on": "2026-02-10"})
    milestone = RolloutMilestone.objects.get()
    response = client.post(f"/oversight/milestones/{milestone.pk}/edit/", {
        "kind": "survey", "title": "", "planned_on": "2026-02-10", "done_on": "2026-02-12", "done_notes": "Xong"})
    assert response.status_code == 302 and RolloutMilestone.objects.get().done_on == dt.date(2026, 2, 12)
    client.post(f"/oversight/milestones/{milestone.pk}/delete/")
    client.post(f"/oversight/targets/{target.pk}/remove/")
    assert not RolloutMilestone.objects.exists() and not RolloutTarget.objects.exists()
    response = client.post(f"/oversight/plans/{plan.pk}/edit/", form(notes="Sửa đổi"))
    assert response.status_code == 302 and RolloutPlan.objects.get().notes == "Sửa đổi"
    assert client.get(f"/oversight/plans/{plan.pk}/delete/").status_code == 200
    response = client.post(f"/oversight/plans/{plan.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/oversight/plans/"
    assert not RolloutPlan.objects.exists()


def test_the_list_shows_the_plans_of_the_supervised_provinces(client, world, plan, other_supervisor):
    login(client, world.users["supervisor"])
    body = client.get("/oversight/plans/").content.decode()
    assert plan.number in body and plan.get_absolute_url() in body
    login(client, other_supervisor)
    assert plan.number not in client.get("/oversight/plans/").content.decode()
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_a_national_supervisor_reads_plans_without_forms(client, world, plan, national):
    login(client, national)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200 and not response.context["can_change"]
    assert "Add target agencies" not in response.content.decode()
    assert client.get("/oversight/plans/new/").status_code == 403
    assert client.post(f"{plan.get_absolute_url()}targets/", {"level": "commune"}).status_code == 403
    assert client.post(f"/oversight/plans/{plan.pk}/delete/").status_code == 403
    assert RolloutPlan.objects.exists() and not RolloutTarget.objects.exists()


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff", "auditor", "consultant"])
def test_agency_people_never_see_a_plan(client, world, plan, role):
    supervisor = world.users["supervisor"]
    target, = rollout_targets_add(actor=supervisor, plan=plan, agencies=[world.own])
    login(client, world.users[role])
    for url in (plan.get_absolute_url(), f"/oversight/plans/{plan.pk}/edit/", "/oversight/plans/new/",
                f"/oversight/targets/{target.pk}/edit/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/oversight/plans/{plan.pk}/targets/", f"/oversight/plans/{plan.pk}/delete/",
                f"/oversight/targets/{target.pk}/remove/"):
        assert client.post(url, {"level": "department"}).status_code == 404, url
    assert RolloutTarget.objects.count() == 1 and RolloutPlan.objects.exists()


# --- The stage page -------------------------------------------------------------------------------------------


def test_the_supervisor_confirms_and_records_a_conversion_on_the_stage_page(client, world, announcements):
    login(client, world.users["supervisor"])
    url = f"/oversight/agencies/{world.own.pk}/stage/"
    response = client.get(url)
    assert response.status_code == 200 and response.context["can_confirm"]
    response = client.post(f"{url}confirm/", {"stage": "announced", "note": "Quyết định 15/QĐ-UBND năm 2019"},
                           follow=True)
    body = response.content.decode()
    assert "is confirmed" in body and 'id="stage-confirmed" data-stage="announced"' in body
    assert "while the records say" in body  # confirmed announced, records: not started
    client.post(f"{url}conversion/", {"had_2008_system": "on", "converted_on": "2018-09-14"})
    assert AgencyStage.objects.get(agency=world.own).converted_on == dt.date(2018, 9, 14)
    response = client.post(f"{url}conversion/", {"converted_on": "2018-09-14"}, follow=True)
    assert "TCVN ISO 9001:2008" in response.content.decode()  # refused: it had no 2008 system
    assert AgencyStage.objects.get(agency=world.own).had_2008_system


def test_agency_people_read_their_stage_but_do_not_confirm_it(client, world):
    stage_confirm(actor=world.users["supervisor"], agency=world.own, stage="applying", note="Báo cáo")
    login(client, world.users["agency_head"])
    url = f"/oversight/agencies/{world.own.pk}/stage/"
    response = client.get(url)
    assert response.status_code == 200 and not response.context["can_confirm"]
    assert 'action="/oversight/agencies' not in response.content.decode()
    assert client.post(f"{url}confirm/", {"stage": "maintaining", "note": "Tự xác nhận"}).status_code == 403
    assert client.post(f"{url}conversion/", {"had_2008_system": "on"}).status_code == 403
    record = AgencyStage.objects.get(agency=world.own)
    assert (record.confirmed_stage, record.had_2008_system) == ("applying", False)
    assert client.get(f"/oversight/agencies/{world.sibling.pk}/stage/").status_code == 404


def test_consultants_and_other_provinces_get_404_on_the_stage_page(client, world, other_supervisor):
    login(client, world.users["consultant"])
    assert client.get(f"/oversight/agencies/{world.own.pk}/stage/").status_code == 404
    login(client, other_supervisor)
    url = f"/oversight/agencies/{world.own.pk}/stage/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}confirm/", {"stage": "announced", "note": "x"}).status_code == 404
    assert not AgencyStage.objects.exists()


def test_the_stage_page_lists_the_plans_targeting_the_agency_to_supervisors_only(client, world, plan):
    rollout_targets_add(actor=world.users["supervisor"], plan=plan, agencies=[world.own])
    login(client, world.users["supervisor"])
    assert plan.title in client.get(f"/oversight/agencies/{world.own.pk}/stage/").content.decode()
    login(client, world.users["agency_head"])
    assert plan.title not in client.get(f"/oversight/agencies/{world.own.pk}/stage/").content.decode()
