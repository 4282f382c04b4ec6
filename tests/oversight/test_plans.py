"""Rollout plans: recorded, changed and deleted by the supervisors of the province; milestones, budget lines and
target agencies with their consultants; the progress of each target from its records; refusals change nothing and
the targeted agencies' people never see a plan."""

import datetime as dt
from decimal import Decimal

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.oversight import services
from eiso.oversight.models import RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from eiso.oversight.selectors import plan_budget_total, plan_candidates, plan_progress
from tests.factories import AgencyFactory
from tests.oversight.conftest import (
    PLAN,
    build_documents,
    complete_audit,
    consultant_of,
    hold_review,
    publish_process,
)

pytestmark = pytest.mark.django_db


def test_the_supervisor_records_a_plan_kept_by_the_province_authority(world, plan):
    assert (plan.agency, plan.number, plan.issuer) == (world.dost, "125/KH-UBND", "UBND tỉnh Lào Cai")
    entry = AuditLogEntry.objects.get(object_id=str(plan.pk))
    assert (entry.action, entry.actor, entry.agency_id) == ("create", world.users["supervisor"], world.dost.pk)


@pytest.mark.parametrize("who", ["agency_head", "iso_coordinator", "other_supervisor", "national"])
def test_only_the_province_supervisors_record_its_plans(world, who, request):
    actor = world.users.get(who) or request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        services.rollout_plan_create(actor=actor, province=world.province, data=dict(PLAN))
    assert not RolloutPlan.objects.exists()


def test_a_province_without_supervising_authority_has_no_plan(world):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_plan_create(actor=world.users["admin"], province=world.other_province, data=dict(PLAN))
    assert refused.value.code == "no_authority" and not RolloutPlan.objects.exists()


@pytest.mark.parametrize(("changes", "code"), [
    ({"period_end": dt.date(2026, 1, 31)}, "period_reversed"),
    ({"title": "  "}, "title_required"),
    ({"issued_on": None}, "issued_on_required"),
])
def test_a_bad_plan_is_refused(world, changes, code):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_plan_create(actor=world.users["supervisor"], province=world.province,
                                     data=dict(PLAN) | changes)
    assert refused.value.code == code and not RolloutPlan.objects.exists()


def test_the_same_number_twice_in_a_year_is_refused(world, plan):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_plan_create(actor=world.users["supervisor"], province=world.province,
                                     data=dict(PLAN) | {"number": "125/kh-ubnd", "issued_on": dt.date(2026, 9, 1)})
    assert refused.value.code == "duplicate_number"
    next_year = services.rollout_plan_create(actor=world.users["supervisor"], province=world.province,
                                             data=dict(PLAN) | {"issued_on": dt.date(2027, 1, 10),
                                                                "period_start": dt.date(2027, 2, 1),
                                                                "period_end": dt.date(2027, 6, 30)})
    assert next_year.number == plan.number


def test_update_keeps_milestones_within_the_period(world, plan):
    supervisor = world.users["supervisor"]
    services.rollout_milestone_add(actor=supervisor, plan=plan, kind="training", planned_on=dt.date(2026, 3, 5))
    with pytest.raises(ApplicationError) as refused:
        services.rollout_plan_update(actor=supervisor, plan=plan, data={"period_start": dt.date(2026, 4, 1)})
    assert refused.value.code == "milestones_outside"
    assert RolloutPlan.objects.get(pk=plan.pk).period_start == dt.date(2026, 2, 1)
    updated = services.rollout_plan_update(actor=supervisor, plan=plan, data={"notes": "Điều chỉnh kinh phí"})
    assert updated.notes == "Điều chỉnh kinh phí"


# --- Milestones and budget ------------------------------------------------------------------------------------


def test_milestones_within_the_period_and_done_not_in_the_future(world, plan):
    supervisor = world.users["supervisor"]
    with pytest.raises(ApplicationError) as refused:
        services.rollout_milestone_add(actor=supervisor, plan=plan, kind="survey", planned_on=dt.date(2026, 7, 1))
    assert refused.value.code == "outside_period"
    with pytest.raises(ApplicationError):
        services.rollout_milestone_add(actor=supervisor, plan=plan, kind="certification",
                                       planned_on=dt.date(2026, 3, 1))
    assert not RolloutMilestone.objects.exists()
    milestone = services.rollout_milestone_add(actor=supervisor, plan=plan, kind="survey",
                                               planned_on=dt.date(2026, 2, 10), title="Khảo sát thực trạng")
    assert milestone.agency == world.dost
    with pytest.raises(ApplicationError) as refused:
        services.rollout_milestone_update(actor=supervisor, milestone=milestone,
                                          data={"done_on": dt.date(2026, 3, 2)}, today=dt.date(2026, 3, 1))
    assert refused.value.code == "future_date"
    done = services.rollout_milestone_update(actor=supervisor, milestone=milestone,
                                             data={"done_on": dt.date(2026, 2, 12), "done_notes": "102/102 xã"},
                                             today=dt.date(2026, 3, 1))
    assert (done.done_on, done.done_notes) == (dt.date(2026, 2, 12), "102/102 xã")


@pytest.mark.parametrize("amount", [0, -5, "1,5", "abc", Decimal("1000.5"), None])
def test_a_bad_amount_is_refused(world, plan, amount):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_budget_line_add(actor=world.users["supervisor"], plan=plan, item="Tập huấn", amount=amount)
    assert refused.value.code == "invalid_amount" and not RolloutBudgetLine.objects.exists()


def test_budget_lines_add_up(world, plan):
    supervisor = world.users["supervisor"]
    services.rollout_budget_line_add(actor=supervisor, plan=plan, item="Khảo sát", amount=45_000_000,
                                     source="Ngân sách tỉnh")
    line = services.rollout_budget_line_add(actor=supervisor, plan=plan, item="Tập huấn", amount="180.000.000")
    assert line.amount == Decimal(180_000_000)
    assert plan_budget_total(plan) == 225_000_000
    services.rollout_budget_line_delete(actor=supervisor, line=line)
    assert plan_budget_total(plan) == 45_000_000


def test_a_national_supervisor_reads_but_does_not_change_a_plan(world, plan, national):
    assert list(RolloutPlan.objects.restrict(national)) == [plan]
    with pytest.raises(PermissionDeniedError):
        services.rollout_milestone_add(actor=national, plan=plan, kind="survey", planned_on=dt.date(2026, 2, 10))
    with pytest.raises(PermissionDeniedError):
        services.rollout_plan_delete(actor=national, plan=plan)
    assert RolloutPlan.objects.filter(pk=plan.pk).exists() and not RolloutMilestone.objects.exists()


# --- Targets --------------------------------------------------------------------------------------------------


def test_every_commune_committee_of_the_province_at_once(world, plan):
    consultant = consultant_of(world.dost)
    added = services.rollout_targets_add(actor=world.users["supervisor"], plan=plan, level="commune",
                                         consultant=consultant)
    assert {t.agency for t in added} == {world.own, world.sibling}  # not the foreign commune, not the department
    assert all(t.consultant == consultant for t in added)
    entry = AuditLogEntry.objects.filter(object_id=str(plan.pk), action="update").get()
    assert "Target agencies added (2)" in entry.note and entry.agency_id == world.dost.pk
    assert list(plan_candidates(plan)) == [world.dost]
    # again: nothing new to add
    with pytest.raises(ApplicationError) as refused:
        services.rollout_targets_add(actor=world.users["supervisor"], plan=plan, level="commune")
    assert refused.value.code == "already_targeted"


def test_agencies_of_another_province_are_refused(world, plan):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_targets_add(actor=world.users["supervisor"], plan=plan, agencies=[world.own, world.foreign])
    assert refused.value.code == "outside_province" and world.foreign.name in refused.value.message
    assert not RolloutTarget.objects.exists()


def test_a_consultant_of_another_authority_is_refused(world, plan, other_dost):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_targets_add(actor=world.users["supervisor"], plan=plan, agencies=[world.own],
                                     consultant=consultant_of(other_dost))
    assert refused.value.code == "foreign_consultant" and not RolloutTarget.objects.exists()


def test_nothing_chosen_is_refused(world, plan):
    with pytest.raises(ApplicationError) as refused:
        services.rollout_targets_add(actor=world.users["supervisor"], plan=plan)
    assert refused.value.code == "nothing_chosen"


def test_assign_a_consultant_and_remove_a_target(world, plan):
    supervisor = world.users["supervisor"]
    target, = services.rollout_targets_add(actor=supervisor, plan=plan, agencies=[world.own])
    consultant = consultant_of(world.dost)
    updated = services.rollout_target_update(actor=supervisor, target=target, consultant=consultant,
                                             note="Hợp đồng 05/2026")
    assert (updated.consultant, updated.note) == (consultant, "Hợp đồng 05/2026")
    services.rollout_target_remove(actor=supervisor, target=target)
    assert not RolloutTarget.objects.exists()
    notes = list(AuditLogEntry.objects.filter(object_id=str(plan.pk), action="update").values_list("note", flat=True))
    assert any("removed" in note for note in notes) and any("Công ty TNHH" in note for note in notes)


def test_the_targeted_agencys_people_do_not_see_the_plan(world, plan):
    services.rollout_targets_add(actor=world.users["supervisor"], plan=plan, agencies=[world.own])
    for role in ("agency_head", "iso_coordinator", "staff", "auditor", "consultant"):
        user = world.users[role]
        assert not RolloutPlan.objects.restrict(user).exists(), role
        assert not RolloutTarget.objects.restrict(user).exists(), role
        assert not AuditLogEntry.objects.restrict(user).filter(object_id=str(plan.pk)).exists(), role
    assert RolloutTarget.objects.restrict(world.users["supervisor"]).count() == 1


def test_deleting_a_plan_deletes_its_parts(world, plan):
    supervisor = world.users["supervisor"]
    services.rollout_targets_add(actor=supervisor, plan=plan, agencies=[world.own])
    services.rollout_milestone_add(actor=supervisor, plan=plan, kind="survey", planned_on=dt.date(2026, 2, 10))
    services.rollout_budget_line_add(actor=supervisor, plan=plan, item="Khảo sát", amount=1000)
    services.rollout_plan_delete(actor=supervisor, plan=plan)
    assert not any(model.objects.exists() for model in (RolloutPlan, RolloutTarget, RolloutMilestone,
                                                        RolloutBudgetLine))
    assert AuditLogEntry.objects.filter(object_id=str(plan.pk), action="delete").exists()


# --- Progress -------------------------------------------------------------------------------------------------


def test_progress_of_each_target_from_its_records(world, plan, announcements):
    supervisor = world.users["supervisor"]
    kinds = [("survey", dt.date(2026, 2, 10)), ("documents", dt.date(2026, 3, 31)),
             ("application", dt.date(2026, 4, 15)), ("internal_audit", dt.date(2026, 5, 20)),
             ("management_review", dt.date(2026, 6, 10)), ("announcement", dt.date(2026, 6, 30))]
    for kind, on in kinds:
        services.rollout_milestone_add(actor=supervisor, plan=plan, kind=kind, planned_on=on)
    services.rollout_targets_add(actor=supervisor, plan=plan, level="commune")
    # own: documents, a published process, the 2026 audit, the 2026 review, announced; sibling: documents only
    publish_process(world.own)
    complete_audit(world.own, 2026)
    hold_review(world.own, 2026)
    announcements.announce(world.own, dt.date(2026, 7, 10))
    build_documents(world.sibling)
    progress = plan_progress(plan, today=dt.date(2026, 8, 1))
    rows = {row.target.agency: row for row in progress.targets}
    assert rows[world.own].reached == [None, True, True, True, True, True]
    assert rows[world.sibling].reached == [None, True, False, False, False, False]
    assert (rows[world.own].stage.stage, rows[world.sibling].stage.stage) == ("announced", "building")
    assert [(m.milestone.kind, m.reached, m.total) for m in progress.milestones] == [
        ("survey", None, 2), ("documents", 2, 2), ("application", 1, 2), ("internal_audit", 1, 2),
        ("management_review", 1, 2), ("announcement", 1, 2)]
    assert progress.by_stage["announced"] == 1 and progress.by_stage["building"] == 1


def test_an_audit_of_another_year_does_not_reach_the_milestone(world, plan):
    supervisor = world.users["supervisor"]
    services.rollout_milestone_add(actor=supervisor, plan=plan, kind="internal_audit", planned_on=dt.date(2026, 5, 20))
    services.rollout_targets_add(actor=supervisor, plan=plan, agencies=[world.own])
    complete_audit(world.own, 2025)
    assert plan_progress(plan).targets[0].reached == [False]


def test_training_reached_from_the_trainings_contract(world, plan, monkeypatch):
    from eiso.oversight import selectors

    supervisor = world.users["supervisor"]
    services.rollout_milestone_add(actor=supervisor, plan=plan, kind="training", planned_on=dt.date(2026, 3, 5))
    services.rollout_targets_add(actor=supervisor, plan=plan, level="commune")
    calls = []

    def trained(agency_ids, *, year=None):
        calls.append(year)
        return {world.own.pk: 12}

    real = selectors.resolve
    monkeypatch.setattr(selectors, "resolve", lambda path: trained if path == selectors.TRAINED_PEOPLE_BY_AGENCY
                        else real(path))
    progress = plan_progress(plan)
    assert {row.target.agency: row.reached for row in progress.targets} == {world.own: [True],
                                                                           world.sibling: [False]}
    assert calls == [2026] and progress.milestones[0].reached == 1
    monkeypatch.setattr(selectors, "resolve", lambda path: None if path == selectors.TRAINED_PEOPLE_BY_AGENCY
                        else real(path))
    progress = plan_progress(plan)
    assert progress.milestones[0].reached is None and progress.targets[0].reached == [None]


def test_an_agency_merged_away_is_not_a_candidate(world, plan):
    from eiso.organizations.services import agency_record_merger

    merged = AgencyFactory(admin_unit=world.own.admin_unit)
    agency_record_merger(actor=None, predecessors=[merged], successor=world.own, on=dt.date(2025, 7, 1))
    assert merged not in set(plan_candidates(plan))
