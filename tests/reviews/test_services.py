"""The review's rules: no holding without inputs, the head alone confirms effectiveness and only once on a held
review, decisions only after the meeting; every refusal changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.reviews import selectors, services
from eiso.reviews.models import ManagementReview, ReviewAction
from tests.factories import user_with_role
from tests.reviews.conftest import plan

pytestmark = pytest.mark.django_db


def state(review):
    stored = ManagementReview.objects.get(pk=review.pk)
    return (stored.status, stored.held_at, stored.effectiveness_confirmed_at, stored.effectiveness_statement,
            stored.conclusion, AuditLogEntry.objects.count())


def held(world, review):
    coordinator = world.users["iso_coordinator"]
    services.review_inputs_assemble(actor=coordinator, review=review)
    services.review_input_comment(actor=coordinator, review_input=review.inputs.get(key="resources"),
                                  comment="Đủ nhân lực")
    return services.review_hold(actor=coordinator, review=review)


def test_numbers_follow_per_agency_and_year(world, planned):
    second = plan(world)
    other_year = plan(world, year=2026)
    sibling = plan(world, agency=world.sibling)
    assert (planned.number, second.number, other_year.number, sibling.number) == (1, 2, 1, 1)
    assert str(planned) == "01/2025 – Xem xét của lãnh đạo năm 2025"


def test_bad_details_are_refused(world):
    coordinator = world.users["iso_coordinator"]
    with pytest.raises(ApplicationError) as refused:
        plan(world, chair=coordinator)
    assert "chaired by the agency head" in str(refused.value.errors["chair"])
    with pytest.raises(ApplicationError) as refused:
        plan(world, period_start=dt.date(2025, 12, 31), period_end=dt.date(2025, 1, 1))
    assert "period_end" in refused.value.errors
    with pytest.raises(ApplicationError):
        plan(world, secretary=user_with_role("staff", world.sibling))
    with pytest.raises(PermissionDeniedError):
        services.review_create(actor=world.users["staff"], agency=world.own, title="X", year=2025,
                               period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
    assert ManagementReview.objects.count() == 0


def test_a_review_cannot_be_held_without_inputs(world, planned):
    coordinator = world.users["iso_coordinator"]
    before = state(planned)
    with pytest.raises(ApplicationError, match="Assemble the inputs first"):
        services.review_hold(actor=coordinator, review=planned)
    assert state(planned) == before
    # inputs assembled from an empty period, and no comment: still nothing to review
    services.review_inputs_assemble(actor=coordinator, review=planned)
    before = state(planned)
    with pytest.raises(ApplicationError, match="Every input is empty"):
        services.review_hold(actor=coordinator, review=planned)
    assert state(planned) == before


def test_a_meeting_in_the_future_cannot_be_held_yet(world):
    review = plan(world, meeting_at=timezone.now() + dt.timedelta(days=2))
    services.review_inputs_assemble(actor=world.users["agency_head"], review=review)
    services.review_input_comment(actor=world.users["agency_head"], review_input=review.inputs.first(),
                                  comment="Có nội dung")
    with pytest.raises(ApplicationError, match="once it has taken place"):
        services.review_hold(actor=world.users["agency_head"], review=review)
    assert ManagementReview.objects.get(pk=review.pk).status == "inputs_assembled"


def test_staff_cannot_manage_a_review(world, planned):
    before = state(planned)
    for call in (lambda: services.review_inputs_assemble(actor=world.users["staff"], review=planned),
                 lambda: services.review_hold(actor=world.users["auditor"], review=planned),
                 lambda: services.review_update(actor=world.users["staff"], review=planned, title="X")):
        with pytest.raises(PermissionDeniedError):
            call()
    assert state(planned) == before and planned.inputs.count() == 0


def test_held_review_freezes_inputs_and_takes_decisions(world, planned):
    coordinator = world.users["iso_coordinator"]
    with pytest.raises(ApplicationError, match="Hold the review first"):
        services.review_action_add(actor=coordinator, review=planned, kind="improvement", description="X",
                                   owner=world.users["staff"], due_on=dt.date(2026, 1, 1))
    review = held(world, planned)
    assert review.status == "held" and review.held_at is not None
    with pytest.raises(ApplicationError, match="kept as they were"):
        services.review_inputs_assemble(actor=coordinator, review=review)
    with pytest.raises(ApplicationError, match="kept as they were"):
        services.review_input_comment(actor=coordinator, review_input=review.inputs.first(), comment="Sửa")
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        services.review_update(actor=coordinator, review=review, title="Khác")
    with pytest.raises(ApplicationError) as refused:
        services.review_action_add(actor=coordinator, review=review, kind="bogus", description="",
                                   owner=user_with_role("staff", world.sibling), due_on=None)
    assert set(refused.value.errors) == {"kind", "description", "owner", "due_on"}
    assert ReviewAction.objects.count() == 0
    action = services.review_action_add(actor=coordinator, review=review, kind="improvement",
                                        description="Số hóa hồ sơ lưu trữ", owner=world.users["staff"],
                                        due_on=dt.date(2026, 6, 30))
    assert action.agency == world.own and action.status == "open"
    # the owner marks it done; another staff member may not
    with pytest.raises(PermissionDeniedError):
        services.review_action_done(actor=user_with_role("staff", world.own), action=action, evidence="X")
    done = services.review_action_done(actor=world.users["staff"], action=action, evidence="Kho số hóa")
    assert done.status == "done" and done.done_at is not None
    # closing needs a conclusion
    before = state(review)
    with pytest.raises(ApplicationError, match="conclusion"):
        services.review_close(actor=coordinator, review=review, conclusion=" ")
    assert state(review) == before
    closed = services.review_close(actor=coordinator, review=review, conclusion="HTQLCL phù hợp và hiệu lực.")
    assert closed.status == "closed" and closed.closed_at is not None
    with pytest.raises(ApplicationError, match="minutes are issued"):
        services.review_action_add(actor=coordinator, review=closed, kind="improvement", description="Y",
                                   owner=world.users["staff"], due_on=dt.date(2026, 1, 1))


def test_only_the_head_confirms_effectiveness_once_on_a_held_review(world, planned):
    head, coordinator = world.users["agency_head"], world.users["iso_coordinator"]
    statement = "Hệ thống quản lý chất lượng được duy trì có hiệu lực."
    # before the review is held
    before = state(planned)
    with pytest.raises(ApplicationError, match="Hold the management review first"):
        services.review_effectiveness_confirm(actor=head, review=planned, statement=statement)
    assert state(planned) == before
    review = held(world, planned)
    # by someone other than the head: the coordinator, the administrator, the head of another agency
    before = state(review)
    for actor in (coordinator, world.users["admin"], user_with_role("agency_head", world.sibling), None):
        with pytest.raises(PermissionDeniedError):
            services.review_effectiveness_confirm(actor=actor, review=review, statement=statement)
    with pytest.raises(ApplicationError, match="statement"):
        services.review_effectiveness_confirm(actor=head, review=review, statement="")
    assert state(review) == before
    assert selectors.effectiveness_confirmed_on(agency=world.own, year=2025) is None
    # by the head
    confirmed = services.review_effectiveness_confirm(actor=head, review=review, statement=statement)
    assert (confirmed.effectiveness_confirmed_by, confirmed.effectiveness_statement) == (head, statement)
    assert selectors.effectiveness_confirmed_on(agency=world.own, year=2025) == timezone.localdate()
    # immutable
    before = state(review)
    with pytest.raises(ApplicationError, match="already confirmed"):
        services.review_effectiveness_confirm(actor=head, review=review, statement="Khác")
    assert state(review) == before


def test_selectors_for_the_calendar_and_the_evidence_folder(world, planned):
    assert selectors.review_held_on(agency=world.own, year=2025) is None
    assert selectors.evidence_records(agency=world.own, year=2025) == []
    review = held(world, planned)
    services.review_effectiveness_confirm(actor=world.users["agency_head"], review=review, statement="Hiệu lực")
    meeting_day = timezone.localtime(review.meeting_at).date()
    assert selectors.review_held_on(agency=world.own, year=2025) == meeting_day
    assert selectors.review_held_on(agency=world.own, year=2024) is None
    assert selectors.review_held_on(agency=world.sibling, year=2025) is None
    records = selectors.evidence_records(agency=world.own, year=2025)
    assert len(records) == 2
    assert {record["url"] for record in records} == {f"/reviews/{review.pk}/minutes.docx", f"/reviews/{review.pk}/"}
    assert all(set(record) == {"title", "url", "on"} for record in records)
    assert selectors.evidence_records(agency=world.sibling, year=2025) == []
