"""Receipt at the one-stop desk: code, due moment with the 15:00 cut-off and holidays, the control slip's
rows, the incomplete and refused cases, and what is refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from eiso.catalog.models import Procedure, ProcedureCase
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.dossiers.choices import DossierStatus
from eiso.dossiers.models import Dossier, DossierSettings, DossierTally
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def test_a_valid_dossier_gets_a_code_a_due_moment_and_its_steps(world, receive):
    dossier = receive("2026-11-25 09:00")
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert dossier.code == f"{world.own.code}-261125-0001"
    assert dossier.counted_from == at("2026-11-25 09:00")
    assert dossier.due_at == dossier.appointment_at == at("2026-11-30 09:00")  # 3 working days: Wed → Mon
    steps = list(dossier.steps.order_by("order"))
    assert [s.order for s in steps] == [1, 2, 3] and [s.hours for s in steps] == [4, 12, 8]
    assert steps[0].assignee == world.users["staff"] and steps[0].due_at == at("2026-11-25 14:30")  # lunch break
    assert all(s.started_at is None for s in steps[1:])
    assert AuditLogEntry.objects.filter(object_id=str(dossier.pk)).exists()
    assert dossier.events.get().action == "receive"


def test_the_cultural_day_is_a_holiday(receive):
    """24/11 is a public holiday from 2026 (Vietnam Cultural Day): an online dossier that day counts from
    the next morning."""
    assert receive("2026-11-24 09:00", channel="online").counted_from == at("2026-11-25 07:30")


def test_after_the_cut_off_the_count_starts_on_the_next_working_day_after_tet(receive):
    """Friday 13/02/2026 at 15:30, before Lunar New Year (16–20/02): counted from Monday 23/02 at opening."""
    dossier = receive("2026-02-13 15:30")
    assert dossier.received_at == at("2026-02-13 15:30")
    assert dossier.counted_from == at("2026-02-23 07:30")
    assert dossier.due_at == at("2026-02-25 17:00")  # 24 working hours: Mon, Tue, Wed
    before = receive("2026-02-13 14:59")
    assert before.counted_from == at("2026-02-13 14:59")
    assert before.due_at == at("2026-02-25 14:59")  # 24 h: Fri 2 h 01, Mon 8 h, Tue 8 h, Wed 5 h 59
    assert before.code.endswith("-260213-0002")


def test_codes_follow_the_agency_s_pattern_and_restart_every_day(world, receive):
    DossierSettings.objects.create(agency=world.own, unit_code="H12.22", code_pattern="{unit}.{date:%Y%m%d}.{seq:03d}")
    assert receive("2026-11-25 08:00").code == "H12.22.20261125.001"
    assert receive("2026-11-25 08:10").code == "H12.22.20261125.002"
    assert receive("2026-11-26 08:00").code == "H12.22.20261126.001"


@override_settings(EISO={**__import__("django.conf").conf.settings.EISO, "DOSSIER_RECEIPT_CUTOFF": "16:30"})
def test_the_cut_off_is_a_setting(receive):
    assert receive("2026-11-25 16:00").counted_from == at("2026-11-25 16:00")


@pytest.mark.parametrize(("decision", "status"), [("supplement", DossierStatus.INCOMPLETE),
                                                  ("reject", DossierStatus.REJECTED)])
def test_incomplete_or_refused_at_receipt_gets_no_code_and_is_not_counted(receive, decision, status):
    dossier = receive("2026-11-25 09:00", decision=decision, reason="Thiếu giấy xác nhận tình trạng hôn nhân")
    assert dossier.status == status and dossier.code == "" and dossier.due_at is None
    assert not dossier.steps.exists()
    assert not DossierTally.objects.exists()
    with pytest.raises(ApplicationError) as error:
        receive("2026-11-25 09:00", decision=decision, reason=" ")
    assert error.value.code == "reason_required"


def test_an_unknown_duration_is_refused_with_what_to_configure(world, receive):
    procedure = Procedure.objects.create(code="1.000002", name="Thủ tục không rõ thời hạn")
    ProcedureCase.objects.create(procedure=procedure, code="1.000002.01", name="Trường hợp 1",
                                 duration_unit="unknown")
    count = Dossier.objects.count()
    with pytest.raises(ApplicationError) as error:
        receive("2026-11-25 09:00", procedure=procedure)
    assert error.value.code == "duration_unknown" and "1.000002.01" in error.value.message
    assert Dossier.objects.count() == count


def test_without_a_process_the_dossier_has_one_step(world, receive):
    procedure = Procedure.objects.create(code="1.000003", name="Thủ tục chưa có quy trình")
    ProcedureCase.objects.create(procedure=procedure, code="1.000003.01", name="Trường hợp 1",
                                 duration=Decimal(2), duration_unit="working_day")
    dossier = receive("2026-11-25 09:00", procedure=procedure)
    assert dossier.process is None and dossier.steps.count() == 1


@pytest.mark.parametrize("role", ["auditor", "consultant", "supervisor"])
def test_only_desk_roles_receive(world, receive, role):
    with pytest.raises(PermissionDeniedError):
        receive("2026-11-25 09:00", actor=world.users[role])
    assert not Dossier.objects.exists()


def test_nobody_receives_for_another_agency(world, receive):
    with pytest.raises(PermissionDeniedError):
        receive("2026-11-25 09:00", agency=world.sibling)


def test_the_applicant_s_name_is_required(receive):
    with pytest.raises(ApplicationError) as error:
        receive("2026-11-25 09:00", applicant={"name": " "})
    assert "applicant_name" in error.value.errors


def test_receipt_counts_in_the_month_s_statistics(world, receive):
    receive("2026-11-25 09:00")
    receive("2026-11-30 16:00")
    tally = DossierTally.objects.get(agency=world.own)
    assert tally.month == dt.date(2026, 11, 1) and tally.received == 2 and tally.province_id == world.province.pk
