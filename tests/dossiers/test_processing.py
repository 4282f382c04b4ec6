"""Processing: hand-overs classified step by step, the clock stopped by a supplement request, the apology
letter, the result returned, endings and ratings, and the statistics kept in step with all of it."""

import datetime as dt
from decimal import Decimal

import pytest

from eiso.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from eiso.dossiers.choices import DossierStatus, Outcome, PauseKind, Source
from eiso.dossiers.models import Dossier, DossierTally
from eiso.dossiers.services import (
    dossier_apologise,
    dossier_end,
    dossier_notify,
    dossier_pause,
    dossier_rate,
    dossier_resume,
    dossier_return,
    dossier_step_complete,
)
from tests.dossiers.conftest import at, frozen
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def current(dossier):
    return dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)


def hand_over(dossier, actor, assignee=None, when=None):
    with frozen(when):
        return dossier_step_complete(actor=actor, step=current(dossier), assignee=assignee)


@pytest.fixture
def officer(world):
    return user_with_role("staff", world.own)


def test_steps_are_handed_over_and_classified_then_the_result_is_ready(world, receive, officer):
    staff = world.users["staff"]
    dossier = receive("2026-11-25 08:00")  # due Mon 30/11 08:00; B1 4 h, B2 12 h, B3 8 h
    hand_over(dossier, staff, officer, "2026-11-25 10:00")  # B1 due 12:00 → early? same day, before → on time
    step2 = dossier.steps.get(order=2)
    assert step2.assignee == officer and step2.started_at == at("2026-11-25 10:00")
    assert step2.due_at == at("2026-11-26 15:30")  # 12 working hours from Wed 10:00
    hand_over(dossier, officer, staff, "2026-11-27 09:00")  # B2 late (due Thu 15:30)
    dossier = hand_over(dossier, staff, None, "2026-11-27 11:00")  # B3 due Mon 09:00 → early
    results = dict(dossier.steps.values_list("order", "result"))
    assert results == {1: Outcome.ON_TIME, 2: Outcome.LATE, 3: Outcome.EARLY}
    assert dossier.status == DossierStatus.RESULT_READY and dossier.outcome == Outcome.EARLY
    assert dossier.finished_at == at("2026-11-27 11:00")
    tally = DossierTally.objects.get(agency=world.own)
    assert (tally.received, tally.early, tally.on_time, tally.late) == (1, 1, 0, 0)
    assert tally.allowed_hours == Decimal(24) and tally.used_hours == Decimal("19.00")  # Wed 8, Thu 8, Fri 3


def test_only_the_assignee_or_a_manager_hands_a_step_over(world, receive, officer):
    dossier = receive("2026-11-25 08:00")
    hand_over(dossier, world.users["staff"], officer, "2026-11-25 09:00")
    with pytest.raises(PermissionDeniedError):
        hand_over(dossier, world.users["staff"], None, "2026-11-25 10:00")  # B2 is the officer's
    assert current(dossier).order == 2
    hand_over(dossier, world.users["iso_coordinator"], None, "2026-11-25 10:00")  # the coordinator may
    assert current(dossier).order == 3


def test_two_officers_handing_over_the_same_step_one_gets_a_conflict(world, receive, officer):
    dossier = receive("2026-11-25 08:00")
    step = current(dossier)
    stale = Dossier.objects.get(pk=dossier.pk)
    step.dossier = stale
    dossier_step_complete(actor=world.users["staff"], step=step, assignee=officer)
    step.dossier = stale  # the second officer's page still shows B1 as current
    with pytest.raises(ConflictError):
        dossier_step_complete(actor=world.users["iso_coordinator"], step=step, assignee=officer)
    assert dossier.steps.filter(finished_at__isnull=False).count() == 1


def test_a_step_cannot_be_handed_to_someone_outside_the_agency(world, receive):
    dossier = receive("2026-11-25 08:00")
    outsider = user_with_role("staff", world.sibling)
    with pytest.raises(ApplicationError):
        hand_over(dossier, world.users["staff"], outsider, "2026-11-25 09:00")
    assert current(dossier).order == 1


def test_a_supplement_request_stops_the_clock_and_the_count_restarts_from_zero(world, receive):
    dossier = receive("2026-11-25 08:00")
    with frozen("2026-11-26 09:00"):
        dossier = dossier_pause(actor=world.users["staff"], dossier=dossier, kind="supplement",
                                reason="Bổ sung bản sao giấy khai sinh")
    assert dossier.status == DossierStatus.SUSPENDED
    with pytest.raises(ApplicationError):
        hand_over(dossier, world.users["staff"], None, "2026-11-26 10:00")
    with frozen("2026-12-01 10:00"):
        dossier = dossier_resume(actor=world.users["staff"], dossier=dossier)
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert dossier.counted_from == at("2026-12-01 10:00")
    assert dossier.due_at == dossier.appointment_at == at("2026-12-04 10:00")  # 3 working days from zero


def test_the_process_may_resume_the_count_where_it_stopped(world, receive, process):
    process.supplement_restarts_clock = False
    process.save(update_fields=["supplement_restarts_clock"])
    dossier = receive("2026-11-25 08:00")  # due Mon 30/11 08:00
    with frozen("2026-11-26 08:00"):  # 8 h used
        dossier = dossier_pause(actor=world.users["staff"], dossier=dossier, kind="supplement", reason="Bổ sung")
    with frozen("2026-12-01 08:00"):
        dossier = dossier_resume(actor=world.users["staff"], dossier=dossier)
    assert dossier.due_at == at("2026-12-03 08:00")  # 16 h left from Tue 01/12 08:00


def test_the_apology_moves_the_appointment_once_and_the_dossier_still_counts_late(world, receive):
    dossier = receive("2026-11-25 08:00")  # due Mon 30/11 08:00
    new_date = at("2026-12-02 16:00")
    with frozen("2026-11-27 08:30"):  # less than one working day before: too late
        with pytest.raises(ApplicationError) as error:
            dossier_apologise(actor=world.users["staff"], dossier=dossier, reason="Chờ xác minh",
                              new_appointment=new_date)
    assert error.value.code == "apology_too_late"
    with frozen("2026-11-26 16:00"):
        dossier = dossier_apologise(actor=world.users["staff"], dossier=dossier, reason="Chờ xác minh",
                                    new_appointment=new_date)
        with pytest.raises(ApplicationError) as again:
            dossier_apologise(actor=world.users["staff"], dossier=dossier, reason="Lần nữa",
                              new_appointment=at("2026-12-03 16:00"))
    assert again.value.code == "apology_issued"
    assert dossier.appointment_at == new_date and dossier.due_at == at("2026-11-30 08:00")
    for when in ("2026-11-27 08:00", "2026-11-27 09:00", "2026-11-27 10:00"):
        dossier = hand_over(dossier, world.users["iso_coordinator"], None, when)
    assert dossier.status == DossierStatus.RESULT_READY and dossier.outcome == Outcome.LATE  # early, but apologised


def test_an_early_result_is_returned_only_after_the_applicant_was_told(world, receive):
    dossier = receive("2026-11-25 08:00")
    for when in ("2026-11-25 09:00", "2026-11-25 10:00", "2026-11-25 11:00"):
        dossier = hand_over(dossier, world.users["iso_coordinator"], None, when)
    assert dossier.outcome == Outcome.EARLY
    with pytest.raises(ApplicationError) as error:
        dossier_return(actor=world.users["staff"], dossier=dossier, method="desk")
    assert error.value.code == "notify_first"
    dossier = dossier_notify(actor=world.users["staff"], dossier=dossier, comment="Gọi điện 0912345678")
    dossier = dossier_return(actor=world.users["staff"], dossier=dossier, method="desk")
    assert dossier.status == DossierStatus.RETURNED and dossier.returned_at is not None


def test_the_applicant_rates_once_after_the_return(world, receive):
    dossier = receive("2026-11-25 08:00")
    with pytest.raises(ApplicationError):
        dossier_rate(dossier=dossier, rating=3)
    for when in ("2026-11-25 09:00", "2026-11-25 10:00", "2026-11-25 11:00"):
        dossier = hand_over(dossier, world.users["iso_coordinator"], None, when)
    dossier_notify(actor=world.users["staff"], dossier=dossier)
    dossier = dossier_return(actor=world.users["staff"], dossier=dossier, method="desk")
    dossier = dossier_rate(dossier=dossier, rating=3, comment="Nhanh gọn")
    with pytest.raises(ApplicationError) as error:
        dossier_rate(dossier=dossier, rating=1)
    assert error.value.code == "already_rated"
    tally = DossierTally.objects.get(agency=world.own)
    assert (tally.ratings, tally.satisfied) == (1, 1)


@pytest.mark.parametrize(("status", "counter"), [
    (DossierStatus.REFUSED, "late"), (DossierStatus.WITHDRAWN, "cancelled"), (DossierStatus.STOPPED, "cancelled")])
def test_endings_need_a_reason_and_are_counted(world, receive, status, counter):
    dossier = receive("2026-11-25 08:00")
    with pytest.raises(ApplicationError):
        dossier_end(actor=world.users["staff"], dossier=dossier, status=status, reason="")
    with frozen("2026-12-01 09:00"):  # after the due moment
        dossier = dossier_end(actor=world.users["staff"], dossier=dossier, status=status, reason="Theo đề nghị")
    assert dossier.status == status
    tally = DossierTally.objects.get(agency=world.own, month=dt.date(2026, 12, 1))
    assert getattr(tally, counter) == 1
    with pytest.raises(ApplicationError):  # ended: nothing more
        dossier_pause(actor=world.users["staff"], dossier=dossier, kind="fee", reason="Phí")


def test_a_refused_action_changes_nothing(world, receive):
    dossier = receive("2026-11-25 08:00")
    before = Dossier.objects.filter(pk=dossier.pk).values().get()
    with pytest.raises(ApplicationError):
        dossier_pause(actor=world.users["staff"], dossier=dossier, kind="supplement", reason=" ")
    with pytest.raises(PermissionDeniedError):
        dossier_pause(actor=world.users["auditor"], dossier=dossier, kind="supplement", reason="Bổ sung")
    assert Dossier.objects.filter(pk=dossier.pk).values().get() == before
    assert not dossier.pauses.exists()


def test_an_imported_dossier_is_handled_in_the_one_stop_system_not_here(world, receive):
    with frozen("2026-11-25 09:00"):
        dossier = receive("2026-11-25 09:00")
    Dossier.objects.filter(pk=dossier.pk).update(source=Source.IMPORTED)
    dossier.refresh_from_db()
    with frozen("2026-11-25 10:00"), pytest.raises(ApplicationError) as refused:
        dossier_pause(actor=world.users["staff"], dossier=dossier, kind=PauseKind.SUPPLEMENT, reason="Thiếu giấy tờ")
    assert refused.value.code == "imported"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS and not dossier.pauses.exists()
