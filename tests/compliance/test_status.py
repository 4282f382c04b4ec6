"""The status of each obligation: derived from the records, from the legal update tasks, or marked by hand."""

import datetime as dt

import pytest
from django.utils import timezone

from eiso.compliance import contracts as paths
from eiso.compliance import selectors, services
from eiso.compliance.models import ComplianceItem
from eiso.compliance.obligations import (
    EFFECTIVENESS_CONFIRMED,
    INTERNAL_AUDIT,
    LEGAL_UPDATES,
    MANAGEMENT_REVIEW,
    OBJECTIVES_SET,
    REPORT_SUBMITTED_ON,
    SUPERVISOR_REPORT,
)
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from tests.compliance.conftest import update_task

YEAR = 2026


@pytest.fixture
def opened(world, contracts):
    services.compliance_year_start(actor=world.users["iso_coordinator"], agency=world.own, year=YEAR,
                                   today=dt.date(YEAR, 1, 5))
    return {i.obligation: i for i in ComplianceItem.objects.filter(agency=world.own, year=YEAR)}


def state(item, on):
    return selectors.item_state(ComplianceItem.objects.get(pk=item.pk), today=on)


def test_default_due_dates_follow_the_yearly_rhythm(opened):
    # then the items open at the documented default dates, in the statutory order
    assert {k: i.due_on for k, i in opened.items()} == {
        OBJECTIVES_SET: dt.date(YEAR, 1, 31), INTERNAL_AUDIT: dt.date(YEAR, 9, 30),
        MANAGEMENT_REVIEW: dt.date(YEAR, 10, 31), EFFECTIVENESS_CONFIRMED: dt.date(YEAR, 11, 15),
        LEGAL_UPDATES: dt.date(YEAR, 12, 31), SUPERVISOR_REPORT: dt.date(YEAR, 11, 30)}


@pytest.mark.parametrize(("on", "expected"), [
    (dt.date(YEAR, 7, 1), "pending"),  # 91 days before 30/09
    (dt.date(YEAR, 8, 31), "due_soon"),  # 30 days before: the edge of "due soon"
    (dt.date(YEAR, 9, 30), "due_soon"),  # the due day itself
    (dt.date(YEAR, 10, 1), "overdue"),
])
def test_derived_status_moves_with_the_day(opened, contracts, on, expected):
    # given no audit completed in the records
    contracts.answer(paths.AUDIT_COMPLETED_ON, None)
    # then
    result = state(opened[INTERNAL_AUDIT], on)
    assert result.status == expected
    assert result.done_on is None and result.available
    assert contracts.calls[-1] == (paths.AUDIT_COMPLETED_ON, {"agency": opened[INTERNAL_AUDIT].agency,
                                                              "year": YEAR})


def test_derived_done_from_the_records_even_after_the_due_date(opened, contracts):
    # given the records say the review was held on 20/11, after its due date
    contracts.answer(paths.REVIEW_HELD_ON, dt.date(YEAR, 11, 20))
    # then it is done, on that date, and shown as late
    result = state(opened[MANAGEMENT_REVIEW], dt.date(YEAR, 12, 1))
    assert (result.status, result.done_on, result.is_late) == ("done", dt.date(YEAR, 11, 20), True)


def test_due_soon_window_is_a_setting(opened, contracts, settings):
    contracts.answer(paths.OBJECTIVES_SET_ON, None)
    settings.EISO = {**settings.EISO, "COMPLIANCE_DUE_SOON_DAYS": 5}
    assert state(opened[OBJECTIVES_SET], dt.date(YEAR, 1, 20)).status == "pending"
    assert state(opened[OBJECTIVES_SET], dt.date(YEAR, 1, 26)).status == "due_soon"


def test_records_not_available_yet_are_said_so(opened):
    # given the contracts fixture provides no function: the app that keeps the records is not there
    result = state(opened[EFFECTIVENESS_CONFIRMED], dt.date(YEAR, 12, 1))
    assert result.status == "overdue"
    assert not result.available and "not available" in result.note


def test_today_defaults_to_the_local_day(opened, contracts, monkeypatch):
    contracts.answer(paths.OBJECTIVES_SET_ON, None)
    monkeypatch.setattr(selectors, "local_today", lambda: dt.date(YEAR, 2, 1))
    assert selectors.item_state(opened[OBJECTIVES_SET]).status == "overdue"


# --- Legal updates (3-month rule) -------------------------------------------------------------------------------


def test_legal_updates_overdue_when_a_task_is_past_its_deadline(world, opened):
    # given an update task due 15/05, still open, and another due later
    update_task(world.own, dt.date(YEAR, 5, 15), code="QT-01")
    update_task(world.own, dt.date(YEAR, 8, 1), code="QT-02")
    # then on 16/05 the item is overdue from the first deadline
    result = state(opened[LEGAL_UPDATES], dt.date(YEAR, 5, 16))
    assert (result.status, result.due_on) == ("overdue", dt.date(YEAR, 5, 15))
    assert "1 update tasks past" in result.note
    # and before the first deadline it is due soon, at that deadline
    result = state(opened[LEGAL_UPDATES], dt.date(YEAR, 5, 1))
    assert (result.status, result.due_on) == ("due_soon", dt.date(YEAR, 5, 15))


def test_legal_updates_of_another_agency_do_not_count(world, opened):
    update_task(world.sibling, dt.date(YEAR, 5, 15))
    assert state(opened[LEGAL_UPDATES], dt.date(YEAR, 6, 1)).status == "done"


def test_legal_updates_done_when_every_task_is_closed(world, opened):
    closed_at = timezone.make_aware(dt.datetime(YEAR, 6, 10, 9, 0))
    update_task(world.own, dt.date(YEAR, 5, 15), status="done", closed_at=closed_at)
    update_task(world.own, dt.date(YEAR, 7, 15), status="dismissed", code="QT-02",
                closed_at=closed_at - dt.timedelta(days=30))
    result = state(opened[LEGAL_UPDATES], dt.date(YEAR, 8, 1))
    assert (result.status, result.done_on) == ("done", dt.date(YEAR, 6, 10))


def test_legal_task_carried_over_from_last_year_is_overdue(world, opened):
    update_task(world.own, dt.date(YEAR - 1, 12, 1))
    assert state(opened[LEGAL_UPDATES], dt.date(YEAR, 2, 1)).status == "overdue"


# --- Manual: the report to the supervising authority ------------------------------------------------------------


def test_manual_item_marked_done_with_evidence(world, opened):
    item = opened[SUPERVISOR_REPORT]
    # when
    services.compliance_item_done(actor=world.users["iso_coordinator"], item=item,
                                  evidence="Báo cáo số 12/BC-UBND ngày 20/11", done_on=dt.date(YEAR, 11, 20),
                                  today=dt.date(YEAR, 11, 25))
    # then
    result = state(item, dt.date(YEAR, 12, 5))
    assert (result.status, result.done_on, result.is_late) == ("done", dt.date(YEAR, 11, 20), False)
    stored = ComplianceItem.objects.get(pk=item.pk)
    assert stored.evidence == "Báo cáo số 12/BC-UBND ngày 20/11" and stored.done_by == world.users["iso_coordinator"]
    assert AuditLogEntry.objects.filter(object_id=str(item.pk), action="update").count() == 1


def test_manual_item_not_done_is_overdue_after_its_date(opened):
    assert state(opened[SUPERVISOR_REPORT], dt.date(YEAR, 12, 1)).status == "overdue"


def test_report_to_the_supervisor_done_when_submitted_in_eiso(opened, contracts):
    # given the reporting app says the yearly report was submitted in eISO on 20/11
    contracts.answer(REPORT_SUBMITTED_ON, dt.date(YEAR, 11, 20))
    # then the item is done on that day, without being marked by hand
    result = state(opened[SUPERVISOR_REPORT], dt.date(YEAR, 12, 5))
    assert (result.status, result.done_on, result.is_late, result.note) == (
        "done", dt.date(YEAR, 11, 20), False, "Submitted in eISO.")
    assert contracts.calls[-1] == (REPORT_SUBMITTED_ON, {"agency": opened[SUPERVISOR_REPORT].agency, "year": YEAR})
    assert ComplianceItem.objects.get(pk=opened[SUPERVISOR_REPORT].pk).done_on is None


def test_report_not_submitted_in_eiso_can_still_be_marked_by_hand(world, opened, contracts):
    # given no report submitted in eISO (a paper report was sent)
    contracts.answer(REPORT_SUBMITTED_ON, None)
    assert state(opened[SUPERVISOR_REPORT], dt.date(YEAR, 12, 1)).status == "overdue"
    services.compliance_item_done(actor=world.users["iso_coordinator"], item=opened[SUPERVISOR_REPORT],
                                  evidence="Báo cáo số 12/BC-UBND", done_on=dt.date(YEAR, 11, 28),
                                  today=dt.date(YEAR, 12, 1))
    result = state(opened[SUPERVISOR_REPORT], dt.date(YEAR, 12, 5))
    assert (result.status, result.done_on, result.note) == ("done", dt.date(YEAR, 11, 28), "Báo cáo số 12/BC-UBND")


@pytest.mark.parametrize(("key", "evidence", "done_on", "code"), [
    (SUPERVISOR_REPORT, "   ", None, "evidence_required"),
    (SUPERVISOR_REPORT, "Báo cáo", dt.date(YEAR, 12, 31), "future_date"),
    (MANAGEMENT_REVIEW, "Biên bản họp", None, "not_manual"),
])
def test_marking_done_refused_changes_nothing(world, opened, key, evidence, done_on, code):
    item = opened[key]
    before = AuditLogEntry.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.compliance_item_done(actor=world.users["iso_coordinator"], item=item, evidence=evidence,
                                      done_on=done_on, today=dt.date(YEAR, 11, 25))
    assert refused.value.code == code
    stored = ComplianceItem.objects.get(pk=item.pk)
    assert (stored.done_on, stored.evidence) == (None, "")
    assert AuditLogEntry.objects.count() == before


def test_marking_done_twice_refused(world, opened):
    item = opened[SUPERVISOR_REPORT]
    services.compliance_item_done(actor=world.users["agency_head"], item=item, evidence="Báo cáo 1",
                                  today=dt.date(YEAR, 11, 25))
    with pytest.raises(ApplicationError) as refused:
        services.compliance_item_done(actor=world.users["agency_head"], item=item, evidence="Báo cáo 2",
                                      today=dt.date(YEAR, 11, 26))
    assert refused.value.code == "already_done"
    assert ComplianceItem.objects.get(pk=item.pk).evidence == "Báo cáo 1"


@pytest.mark.parametrize("role", ["staff", "auditor", "supervisor", "consultant"])
def test_only_managers_mark_done(world, opened, role):
    item = opened[SUPERVISOR_REPORT]
    with pytest.raises(PermissionDeniedError):
        services.compliance_item_done(actor=world.users[role], item=item, evidence="Báo cáo",
                                      today=dt.date(YEAR, 11, 25))
    assert ComplianceItem.objects.get(pk=item.pk).done_on is None


# --- Moving a due date ------------------------------------------------------------------------------------------


def test_move_due_date_with_a_reason(world, opened, contracts):
    contracts.answer(paths.AUDIT_COMPLETED_ON, None)
    item = opened[INTERNAL_AUDIT]
    services.compliance_item_move(actor=world.users["agency_head"], item=item, due_on=dt.date(YEAR, 6, 30),
                                  reason="Kế hoạch đánh giá nội bộ số 5/KH-UBND")
    assert ComplianceItem.objects.get(pk=item.pk).due_on == dt.date(YEAR, 6, 30)
    assert state(item, dt.date(YEAR, 7, 1)).status == "overdue"
    entry = AuditLogEntry.objects.filter(object_id=str(item.pk), action="update").get()
    assert entry.note == "Kế hoạch đánh giá nội bộ số 5/KH-UBND"
    assert entry.changes["due_on"] == [f"{YEAR}-09-30", f"{YEAR}-06-30"]


@pytest.mark.parametrize(("key", "due_on", "reason", "code"), [
    (INTERNAL_AUDIT, dt.date(YEAR, 6, 30), " ", "reason_required"),
    (INTERNAL_AUDIT, None, "Kế hoạch", "due_on_required"),
    (INTERNAL_AUDIT, dt.date(YEAR + 1, 1, 15), "Kế hoạch", "other_year"),
    (INTERNAL_AUDIT, dt.date(YEAR, 9, 30), "Kế hoạch", "unchanged"),
    (LEGAL_UPDATES, dt.date(YEAR, 6, 30), "Kế hoạch", "not_movable"),
])
def test_move_refused_changes_nothing(world, opened, key, due_on, reason, code):
    item = opened[key]
    with pytest.raises(ApplicationError) as refused:
        services.compliance_item_move(actor=world.users["iso_coordinator"], item=item, due_on=due_on, reason=reason)
    assert refused.value.code == code
    assert ComplianceItem.objects.get(pk=item.pk).due_on == item.due_on


def test_calendar_months_place_items_by_date(world, opened, contracts):
    states = selectors.year_states(agency=world.own, year=YEAR, today=dt.date(YEAR, 3, 1))
    months = selectors.calendar_months(states, YEAR)
    assert [len(m[1]) for m in months] == [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 1]
    assert [s.item.obligation for s in months[10][1]] == [EFFECTIVENESS_CONFIRMED, SUPERVISOR_REPORT]
