"""The nonconformity workflow: numbering, guards (each refusal changes nothing), rights, late dossiers."""

import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.improvement.models import CorrectiveAction, Nonconformity
from eiso.improvement.services import (
    corrective_action_add,
    corrective_action_done,
    nonconformity_from_late_dossier,
    nonconformity_raise,
    nonconformity_transition,
    nonconformity_verify,
)
from tests.improvement.conftest import add_action, analyse


def state(nonconformity):
    """Everything a refused action must leave as it was."""
    fresh = Nonconformity.objects.get(pk=nonconformity.pk)
    return (fresh.status, fresh.analysis, fresh.is_effective, fresh.closed_at,
            list(CorrectiveAction.objects.filter(nonconformity=fresh).values_list("status", flat=True)),
            AuditLogEntry.objects.count())


def refused(call, nonconformity, text):
    before = state(nonconformity)
    with pytest.raises(ApplicationError) as exc:
        call()
    assert text in str(exc.value.message)
    assert state(nonconformity) == before
    return exc.value


@pytest.mark.django_db
def test_numbers_follow_each_other_per_agency_and_year(world):
    # given two nonconformities of own and one of sibling
    first = nonconformity_raise(actor=world.users["auditor"], agency=world.own, description="Một")
    second = nonconformity_raise(actor=world.users["staff"], agency=world.own, description="Hai")
    other = nonconformity_raise(actor=None, agency=world.sibling, description="Ba")
    # then
    year = first.raised_at.year
    assert (first.number, second.number) == (f"NC-{year}-001", f"NC-{year}-002")
    assert other.number == f"NC-{year}-001"
    assert first.status == second.status == "raised"


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one(world):
    from django.utils import timezone

    # given
    nonconformity_raise(actor=None, agency=world.own, description="Năm nay")
    # when
    later = nonconformity_raise(actor=None, agency=world.own, description="Năm sau",
                                raised_at=timezone.now() + dt.timedelta(days=400))
    # then
    assert later.number == f"NC-{later.year}-001"


@pytest.mark.django_db
def test_consultants_and_supervisors_do_not_raise(world):
    for role in ("consultant", "supervisor"):
        with pytest.raises(PermissionDeniedError):
            nonconformity_raise(actor=world.users[role], agency=world.own, description="Không được")
    assert not Nonconformity.objects.exists()


@pytest.mark.django_db
def test_actions_are_refused_before_the_analysis(world, raised):
    # when planning an action or starting the actions without an analysis: refused, nothing changed
    refused(lambda: add_action(world, raised), raised, "root-cause analysis")
    error = refused(lambda: nonconformity_transition(actor=world.users["agency_head"], nonconformity=raised,
                                                     action="start_actions"), raised, "root-cause analysis")
    assert error.code == "guard_analysis_missing"


@pytest.mark.django_db
def test_an_incomplete_analysis_is_refused(world, raised):
    from eiso.improvement.services import nonconformity_analysis_record

    error = refused(lambda: nonconformity_analysis_record(actor=world.users["agency_head"], nonconformity=raised,
                                                          method="five_whys", analysis="Tại sao?", root_cause=" "),
                    raised, "root-cause analysis")
    assert set(error.errors) == {"root_cause"}


@pytest.mark.django_db
def test_starting_the_actions_needs_an_action(world, raised):
    # given an analysed nonconformity without action
    analysed = analyse(world, raised)
    assert analysed.status == "analysed"
    # then
    refused(lambda: nonconformity_transition(actor=world.users["agency_head"], nonconformity=analysed,
                                             action="start_actions"), analysed, "at least one corrective action")


@pytest.mark.django_db
def test_the_whole_cycle_with_a_failed_verification(world, raised):
    head, coordinator, staff = (world.users[r] for r in ("agency_head", "iso_coordinator", "staff"))
    # given an analysed nonconformity with one action owned by staff, under way
    nonconformity = analyse(world, raised)
    action = add_action(world, nonconformity)
    nonconformity = nonconformity_transition(actor=head, nonconformity=nonconformity, action="start_actions")
    assert nonconformity.status == "actions"
    # then it cannot be sent for verification (nor closed) while the action is open
    refused(lambda: nonconformity_transition(actor=head, nonconformity=nonconformity, action="submit_verification"),
            nonconformity, "still open")
    refused(lambda: nonconformity_transition(actor=head, nonconformity=nonconformity, action="close"),
            nonconformity, "not possible")
    # when the owner marks the action done and it goes to verification
    corrective_action_done(actor=staff, action=action, evidence="Mẫu sổ mới ban hành")
    nonconformity = nonconformity_transition(actor=coordinator, nonconformity=nonconformity,
                                             action="submit_verification")
    # then closing without verification is refused
    refused(lambda: nonconformity_transition(actor=head, nonconformity=nonconformity, action="close"),
            nonconformity, "Verify the effectiveness")
    # when the verification finds it not effective: back to actions
    nonconformity = nonconformity_verify(actor=head, nonconformity=nonconformity, is_effective=False,
                                         comment="Vẫn còn sổ cũ")
    assert (nonconformity.status, nonconformity.is_effective) == ("actions", False)
    # and a new action, done, then verified effective: closed
    second = add_action(world, nonconformity, owner=coordinator)
    corrective_action_done(actor=coordinator, action=second, evidence="Thu hồi sổ cũ")
    nonconformity = nonconformity_transition(actor=head, nonconformity=nonconformity, action="submit_verification")
    refused(lambda: nonconformity_transition(actor=head, nonconformity=nonconformity, action="close"),
            nonconformity, "Verify the effectiveness")
    nonconformity = nonconformity_verify(actor=head, nonconformity=nonconformity, is_effective=True)
    nonconformity = nonconformity_transition(actor=head, nonconformity=nonconformity, action="close")
    assert nonconformity.status == "closed"
    assert nonconformity.closed_at is not None
    # then nothing more can be added
    refused(lambda: add_action(world, nonconformity), nonconformity, "cannot be added")


@pytest.mark.django_db
def test_a_not_effective_verification_needs_a_comment(world, raised):
    nonconformity = analyse(world, raised)
    action = add_action(world, nonconformity)
    nonconformity_transition(actor=None, nonconformity=nonconformity, action="start_actions")
    corrective_action_done(actor=None, action=action, evidence="Xong")
    nonconformity = nonconformity_transition(actor=None, nonconformity=nonconformity, action="submit_verification")
    refused(lambda: nonconformity_verify(actor=None, nonconformity=nonconformity, is_effective=False),
            nonconformity, "not effective")


@pytest.mark.django_db
def test_who_updates_an_action(world, raised):
    nonconformity = analyse(world, raised)
    action = add_action(world, nonconformity, owner=world.users["iso_coordinator"])
    # staff (not the owner) and auditors cannot mark it done; nor can they manage the nonconformity
    for role in ("staff", "auditor"):
        with pytest.raises(PermissionDeniedError):
            corrective_action_done(actor=world.users[role], action=action, evidence="Xong")
        with pytest.raises(PermissionDeniedError):
            corrective_action_add(actor=world.users[role], nonconformity=nonconformity, description="x",
                                  owner=world.users[role], due_on=dt.date.today())
    assert CorrectiveAction.objects.get(pk=action.pk).status == "open"


@pytest.mark.django_db
def test_an_action_owner_must_belong_to_the_agency(world, raised):
    from tests.factories import UserFactory

    nonconformity = analyse(world, raised)
    refused(lambda: add_action(world, nonconformity, owner=UserFactory()), nonconformity, "holds no role")


@pytest.mark.django_db
def test_another_agency_does_not_see_it(world, raised):
    from tests.factories import user_with_role

    outsider = user_with_role("agency_head", world.sibling)
    assert not Nonconformity.objects.restrict(outsider).exists()
    assert Nonconformity.objects.restrict(world.users["supervisor"]).get() == raised
    assert not Nonconformity.objects.restrict(world.users["consultant"]).exists()
    with pytest.raises(PermissionDeniedError):
        nonconformity_transition(actor=outsider, nonconformity=raised, action="analyse")


# --- Late dossiers ------------------------------------------------------------------------------------------


@pytest.fixture
def dossier(world):
    from decimal import Decimal

    from eiso.calendars.services import holidays_seed_year
    from eiso.catalog.models import Procedure, ProcedureCase
    from eiso.dossiers.services import dossier_receive

    holidays_seed_year(year=dt.date.today().year)
    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký kết hôn")
    case = ProcedureCase.objects.create(procedure=procedure, code="1.000894.01", name="Đăng ký kết hôn",
                                        duration=Decimal(3), duration_unit="working_day")
    return dossier_receive(actor=None, agency=world.own, procedure=procedure, case=case,
                           applicant={"name": "Nguyễn Văn An"})


@pytest.mark.django_db
def test_a_dossier_on_time_is_refused(world, dossier):
    with pytest.raises(ApplicationError) as exc:
        nonconformity_from_late_dossier(actor=world.users["iso_coordinator"], dossier=dossier)
    assert exc.value.code == "dossier_not_late"
    assert not Nonconformity.objects.exists()


@pytest.mark.django_db
def test_a_late_dossier_raises_one_nonconformity(world, dossier):
    from django.utils import timezone

    # given a dossier past its due moment
    dossier.due_at = timezone.now() - dt.timedelta(hours=1)
    dossier.save(update_fields=["due_at"])
    # when
    nonconformity = nonconformity_from_late_dossier(actor=world.users["staff"], dossier=dossier)
    # then
    assert (nonconformity.source, nonconformity.dossier, nonconformity.agency) == ("late_dossier", dossier, world.own)
    assert dossier.code in nonconformity.description
    # and a second one is refused while the first is open
    with pytest.raises(ApplicationError) as exc:
        nonconformity_from_late_dossier(actor=world.users["staff"], dossier=dossier)
    assert exc.value.code == "already_raised"
    assert Nonconformity.objects.count() == 1
