"""The risk workflow: guarded transitions, treatment actions, the effectiveness review only when every action is
done, rights, and the contracts read by the management review and the evidence folder."""

import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.risks.models import Risk, RiskAction
from eiso.risks.selectors import evidence_records, review_input
from eiso.risks.services import (
    context_issue_create,
    context_issue_update,
    interested_party_create,
    risk_action_add,
    risk_action_done,
    risk_create,
    risk_review,
    risk_transition,
    risk_update,
)
from tests.factories import user_with_role
from tests.risks.conftest import add_action


def state(risk):
    stored = Risk.objects.get(pk=risk.pk)
    return (stored.status, stored.residual_level, stored.is_effective, stored.reviewed_on,
            list(RiskAction.objects.filter(risk=risk).values_list("status", flat=True)))


def coordinator(world):
    return world.users["iso_coordinator"]


@pytest.mark.django_db
def test_treat_review_and_close(world, risk):
    # given a risk with one action
    action = add_action(world, risk)
    # when the treatment starts, the owner marks the action done, and the coordinator reviews and closes
    risk = risk_transition(actor=coordinator(world), risk=risk, action="start_treatment")
    assert risk.status == "treating"
    risk_action_done(actor=world.users["staff"], action=action, evidence="Lịch trực thay")
    risk = risk_review(actor=coordinator(world), risk=risk, residual_likelihood=2, residual_consequence=2,
                       is_effective=True, comment="Không còn trễ hạn")
    assert (risk.status, risk.residual_level, risk.reviewer) == ("reviewed", "low", coordinator(world))
    risk = risk_transition(actor=world.users["agency_head"], risk=risk, action="close")
    # then
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.status, stored.is_effective, stored.reviewed_on) == ("closed", True, dt.date.today())
    assert stored.closed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("prepare", "transition", "code"), [
    ("no_treatment", "start_treatment", "guard_treatment_missing"),
    ("nothing", "start_treatment", "guard_actions_missing"),
    ("nothing", "close", "invalid_transition"),
    ("treating", "close", "invalid_transition"),
    ("treating", "review", "unknown_action"),  # applied by the review only
    ("nothing", "fly", "unknown_action"),
])
def test_refused_transitions_change_nothing(world, risk, prepare, transition, code):
    # given
    if prepare == "no_treatment":
        Risk.objects.filter(pk=risk.pk).update(treatment="")
    if prepare == "treating":
        add_action(world, risk)
        risk = risk_transition(actor=coordinator(world), risk=risk, action="start_treatment")
    before = state(risk)
    # when
    with pytest.raises(ApplicationError) as refused:
        risk_transition(actor=coordinator(world), risk=Risk.objects.get(pk=risk.pk), action=transition)
    # then
    assert refused.value.code == code
    assert state(risk) == before


@pytest.mark.django_db
def test_an_accepted_risk_needs_no_action(world):
    accepted = risk_create(actor=coordinator(world), agency=world.own, description="Mất điện", likelihood=1,
                           consequence=2, treatment="accept")
    accepted = risk_transition(actor=coordinator(world), risk=accepted, action="start_treatment")
    accepted = risk_review(actor=coordinator(world), risk=accepted, residual_likelihood=1, residual_consequence=2,
                           is_effective=True)
    assert accepted.status == "reviewed"


@pytest.mark.django_db
def test_the_review_waits_for_every_action(world, risk):
    # given a risk under treatment with an open action
    add_action(world, risk)
    risk = risk_transition(actor=coordinator(world), risk=risk, action="start_treatment")
    before = state(risk)
    # when
    with pytest.raises(ApplicationError) as refused:
        risk_review(actor=coordinator(world), risk=risk, residual_likelihood=1, residual_consequence=1,
                    is_effective=True)
    # then
    assert refused.value.code == "guard_actions_open"
    assert "1 treatment actions are still open" in refused.value.message
    assert state(risk) == before


@pytest.mark.django_db
def test_the_review_is_refused_before_the_treatment_and_outside_the_matrix(world, risk):
    before = state(risk)
    with pytest.raises(ApplicationError) as refused:
        risk_review(actor=coordinator(world), risk=risk, residual_likelihood=1, residual_consequence=1,
                    is_effective=True)
    assert refused.value.code == "invalid_status"
    risk = risk_transition(actor=coordinator(world), risk=risk, action="start_treatment") if add_action(
        world, risk) else risk
    RiskAction.objects.filter(risk=risk).update(status="done")
    before = state(risk)
    with pytest.raises(ApplicationError) as refused:
        risk_review(actor=coordinator(world), risk=risk, residual_likelihood=6, residual_consequence=1,
                    is_effective=True)
    assert refused.value.code == "outside_matrix" and "residual_likelihood" in refused.value.errors
    assert state(risk) == before


@pytest.mark.django_db
def test_not_effective_keeps_the_risk_under_treatment(world, risk):
    # given every action done
    action = add_action(world, risk)
    risk = risk_transition(actor=coordinator(world), risk=risk, action="start_treatment")
    risk_action_done(actor=coordinator(world), action=action, evidence="Đã làm")
    # when a review without a comment: refused
    with pytest.raises(ApplicationError) as refused:
        risk_review(actor=coordinator(world), risk=risk, residual_likelihood=4, residual_consequence=4,
                    is_effective=False)
    assert refused.value.code == "comment_required"
    # and with a comment
    risk = risk_review(actor=coordinator(world), risk=risk, residual_likelihood=4, residual_consequence=4,
                       is_effective=False, comment="Vẫn trễ hạn")
    # then it stays under treatment, more actions can be planned, and it cannot be closed
    assert (risk.status, risk.is_effective, risk.residual_level) == ("treating", False, "high")
    add_action(world, risk)
    assert RiskAction.objects.filter(risk=risk).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "auditor", "consultant", "supervisor"])
def test_only_the_managers_write(world, risk, role):
    user = world.users[role]
    before = state(risk), Risk.objects.count()
    for call in (
        lambda: risk_create(actor=user, agency=world.own, description="X", likelihood=1, consequence=1),
        lambda: risk_update(actor=user, risk=risk, kind="risk", description="Y", likelihood=1, consequence=1),
        lambda: risk_transition(actor=user, risk=risk, action="start_treatment"),
        lambda: risk_action_add(actor=user, risk=risk, description="Z", owner=user, due_on=dt.date.today()),
        lambda: context_issue_create(actor=user, agency=world.own, kind="internal", description="X"),
        lambda: interested_party_create(actor=user, agency=world.own, name="Dân", requirements="Đúng hạn"),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    assert (state(risk), Risk.objects.count()) == before


@pytest.mark.django_db
def test_the_owner_marks_the_action_done_but_another_staff_cannot(world, risk):
    action = add_action(world, risk)
    other = user_with_role("staff", world.own)
    with pytest.raises(PermissionDeniedError):
        risk_action_done(actor=other, action=action, evidence="X")
    assert RiskAction.objects.get(pk=action.pk).status == "open"
    with pytest.raises(ApplicationError) as refused:
        risk_action_done(actor=world.users["staff"], action=action, evidence="  ")
    assert refused.value.code == "evidence_required"
    done = risk_action_done(actor=world.users["staff"], action=action, evidence="Lịch trực")
    assert (done.status, done.evidence) == ("done", "Lịch trực")


@pytest.mark.django_db
def test_an_action_owner_must_belong_to_the_agency(world, risk):
    outsider = user_with_role("staff", world.sibling)
    with pytest.raises(ApplicationError) as refused:
        risk_action_add(actor=coordinator(world), risk=risk, description="X", owner=outsider,
                        due_on=dt.date.today())
    assert refused.value.code == "not_a_member"
    assert not RiskAction.objects.exists()


@pytest.mark.django_db
def test_a_process_of_another_agency_is_refused(world):
    from eiso.organizations.models import QMS
    from eiso.processes.services import process_create

    foreign = process_create(actor=None, qms=QMS.objects.get(agency=world.sibling), kind="procedure", code="QT-X",
                             title="Khác")
    with pytest.raises(ApplicationError) as refused:
        risk_create(actor=coordinator(world), agency=world.own, description="X", likelihood=1, consequence=1,
                    process=foreign)
    assert refused.value.code == "other_agency" and not Risk.objects.exists()


@pytest.mark.django_db
def test_review_input_and_evidence_records(world, risk):
    today = dt.date.today()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    # given an empty period: no line
    assert review_input(agency=world.own, start=dt.date(2000, 1, 1), end=dt.date(2000, 12, 31)) == []
    # and a year with two issues (one reviewed as no longer relevant), one opportunity, a reviewed risk and an
    # overdue action on another risk
    issue = context_issue_create(actor=coordinator(world), agency=world.own, kind="external",
                                 description="Sáp nhập đơn vị hành chính", identified_on=today)
    context_issue_create(actor=coordinator(world), agency=world.own, kind="internal", description="Thiếu máy tính",
                         identified_on=today)
    context_issue_update(actor=coordinator(world), issue=issue, kind="external", description=issue.description,
                         effect="", status="no_longer_relevant", identified_on=today, reviewed_on=today)
    risk_create(actor=coordinator(world), agency=world.own, kind="opportunity", description="Dịch vụ công trực tuyến",
                likelihood=1, consequence=2)
    action = add_action(world, risk)
    risk = risk_transition(actor=coordinator(world), risk=risk, action="start_treatment")
    risk_action_done(actor=coordinator(world), action=action, evidence="Đã làm")
    risk_review(actor=coordinator(world), risk=risk, residual_likelihood=2, residual_consequence=2, is_effective=True)
    late = risk_create(actor=coordinator(world), agency=world.own, description="Hỏng máy chủ", likelihood=3,
                       consequence=3)
    RiskAction.objects.filter(pk=add_action(world, late).pk).update(due_on=today - dt.timedelta(days=3))
    # when
    lines = dict(review_input(agency=world.own, start=start, end=end))
    # then
    assert lines["New context issues"].startswith("2 (internal 1, external 1): ")
    assert lines["Context issues reviewed"] == "1, of which 1 no longer relevant"
    assert lines["Risks by level"] == "2: high 1, medium 1, low 0"
    assert lines["Opportunities by level"] == "1: high 0, medium 0, low 1"
    assert lines["Effectiveness of the actions on risks and opportunities"] == "1 reviewed: 1 effective, 0 not " \
                                                                               "effective"
    assert lines["Treatment actions on risks"].startswith("1 done in the period; 1 open and overdue on ")
    # and the evidence folder lists the year's records with their pages
    records = evidence_records(agency=world.own, year=today.year)
    titles = [r["title"] for r in records]
    assert sum(t.startswith("Context issue: ") for t in titles) == 2
    assert sum(t.startswith("Risk assessment: ") for t in titles) == 3
    assert [r["url"] for r in records if r["title"].startswith("Effectiveness review: ")] == [risk.get_absolute_url()]
    assert all(isinstance(r["on"], dt.date) for r in records)
    assert evidence_records(agency=world.sibling, year=today.year) == []
