"""The stage of an agency's QMS derived from its real records, the supervisor's confirmation over it, the
conversion from a 2008 system, and who may confirm (refusals change nothing)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.oversight.models import AgencyStage
from eiso.oversight.services import stage_confirm, stage_conversion_record
from eiso.oversight.stages import derive_stage, stage_of, stages_by_agency
from tests.factories import AgencyFactory, QMSFactory
from tests.oversight.conftest import build_documents, complete_audit, hold_review, publish_process

pytestmark = pytest.mark.django_db


def derived(agency):
    return stage_of(agency).derived


def test_an_agency_without_records_has_not_started(world, announcements):
    info = stage_of(world.own)
    assert (info.stage, info.derived, info.confirmed, info.converted) == ("not_started", "not_started", None, False)


def test_documents_make_it_building(world, announcements):
    build_documents(world.own)
    assert derived(world.own) == "building"
    assert derived(world.sibling) == "not_started"  # another agency's documents do not count


def test_a_published_process_alone_is_still_building(world, announcements):
    publish_process(world.own)
    info = stage_of(world.own)
    assert (info.derived, info.has_published_process) == ("building", True)


def test_a_completed_audit_with_a_published_process_makes_it_applying(world, announcements):
    audit = complete_audit(world.own, 2025)
    info = stage_of(world.own)
    assert info.derived == "applying"
    assert info.audit_years == {2025: audit.completed_on}


def test_a_held_review_with_a_published_process_makes_it_applying(world, announcements):
    publish_process(world.own)
    review = hold_review(world.own, 2025)
    info = stage_of(world.own)
    assert (info.derived, info.review_years) == ("applying", {2025: review.held_on})


def test_a_review_without_a_published_process_is_not_applying(world, announcements):
    build_documents(world.own)
    hold_review(world.own, 2025)
    assert derived(world.own) == "building"


def test_an_audit_not_completed_does_not_count(world, announcements):
    from eiso.audits import services

    audit = complete_audit(world.own, 2025)
    # a second audit of the same programme still planned: the year's audit is not completed
    services.audit_create(actor=None, programme=audit.programme, title="Đợt 2", processes=list(audit.processes.all()),
                          clauses=["9.2"], start_on=dt.date(2025, 10, 1), end_on=dt.date(2025, 10, 2))
    info = stage_of(world.own)
    assert (info.derived, info.audit_years) == ("building", {})


def test_a_signed_announcement_makes_it_announced(world, announcements):
    build_documents(world.own)
    announcements.announce(world.own, dt.date(2025, 6, 1))
    info = stage_of(world.own)
    assert (info.derived, info.announced_on, info.is_announced) == ("announced", dt.date(2025, 6, 1), True)


def test_an_announcement_dated_after_the_day_asked_does_not_count(world, announcements):
    announcements.announce(world.own, dt.date(2025, 6, 1))
    assert stages_by_agency([world.own], today=dt.date(2025, 5, 31))[world.own.pk].derived == "not_started"


def test_audit_and_review_in_a_year_after_the_announcement_make_it_maintaining(world, announcements):
    complete_audit(world.own, 2025)
    hold_review(world.own, 2025)
    announcements.announce(world.own, dt.date(2025, 3, 1))
    assert derived(world.own) == "announced"  # the same year as the announcement: not yet the yearly cycle
    announcements.announce(world.own, dt.date(2024, 11, 20))
    assert derived(world.own) == "maintaining"


def test_the_rule_needs_audit_and_review_in_the_same_later_year():
    facts = {"has_documents": True, "has_published_process": True, "announced_on": dt.date(2024, 5, 1)}
    assert derive_stage(audit_years={2025: 1}, review_years={2026: 1}, **facts) == "announced"
    assert derive_stage(audit_years={2025: 1, 2026: 1}, review_years={2026: 1}, **facts) == "maintaining"
    assert derive_stage(audit_years={2024: 1}, review_years={2024: 1}, **facts) == "announced"


def test_the_office_sharing_the_committees_qms_has_its_records(world, announcements):
    # given the provincial People's Committee hosting a QMS shared with its Office
    committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Lào Cai", admin_unit=world.province)
    office = AgencyFactory(name="Văn phòng UBND tỉnh", kind="other", admin_unit=world.province, parent=committee)
    qms = QMSFactory(agency=committee)
    qms.agencies.add(committee, office)
    build_documents(committee)
    # then the Office is building too, from the committee's records
    info = stage_of(office)
    assert (info.derived, info.records_of) == ("building", committee.pk)
    assert stage_of(committee).records_of is None


def test_stages_in_bulk_take_the_same_number_of_queries_for_3_or_30_agencies(world, announcements):
    def count(n):
        agencies = [AgencyFactory(admin_unit=world.own.admin_unit.parent.children.first() or world.own.admin_unit)
                    for _ in range(n)]
        for agency in agencies[:2]:
            build_documents(agency)
        with CaptureQueriesContext(connection) as queries:
            result = stages_by_agency(agencies)
        assert len(result) == n
        return len(queries)

    assert count(3) == count(30)


# --- Confirmation and conversion ------------------------------------------------------------------------------


def test_the_supervisor_confirms_a_stage_that_overrides_the_records(world, announcements):
    supervisor = world.users["supervisor"]
    build_documents(world.own)
    record = stage_confirm(actor=supervisor, agency=world.own, stage="announced",
                           note="Kiểm tra thực tế ngày 12/3/2025: đã công bố năm 2019")
    info = stage_of(world.own)
    assert (info.stage, info.derived, info.confirmed, info.differs) == ("announced", "building", "announced", True)
    assert (record.confirmed_by, info.confirmed_by) == (supervisor, supervisor.pk)
    entry = AuditLogEntry.objects.get(object_id=str(record.pk))
    assert (entry.action, entry.actor, entry.agency_id) == ("create", supervisor, world.own.pk)


def test_clearing_the_confirmation_lets_the_records_speak(world, announcements):
    supervisor = world.users["supervisor"]
    stage_confirm(actor=supervisor, agency=world.own, stage="applying", note="Báo cáo năm 2025")
    stage_confirm(actor=supervisor, agency=world.own, stage="", note="")
    info = stage_of(world.own)
    assert (info.stage, info.confirmed, info.differs) == ("not_started", None, False)
    record = AgencyStage.objects.get(agency=world.own)
    assert (record.confirmed_by, record.confirmed_at) == (None, None)
    assert AuditLogEntry.objects.filter(object_id=str(record.pk)).count() == 2


@pytest.mark.parametrize(("stage", "note", "code"), [
    ("certified", "x", "invalid_stage"),
    ("applying", "  ", "note_required"),
    ("", "", "unchanged"),  # nothing to clear
])
def test_a_bad_confirmation_is_refused_and_changes_nothing(world, stage, note, code):
    with pytest.raises(ApplicationError) as refused:
        stage_confirm(actor=world.users["supervisor"], agency=world.own, stage=stage, note=note)
    assert refused.value.code == code
    assert not AgencyStage.objects.exists() and not AuditLogEntry.objects.filter(
        content_type__model="agencystage").exists()


def test_confirming_the_same_stage_twice_is_refused(world):
    supervisor = world.users["supervisor"]
    stage_confirm(actor=supervisor, agency=world.own, stage="applying", note="Báo cáo")
    with pytest.raises(ApplicationError) as refused:
        stage_confirm(actor=supervisor, agency=world.own, stage="applying", note="Báo cáo")
    assert refused.value.code == "unchanged"


@pytest.mark.parametrize("who", ["agency_head", "iso_coordinator", "other_supervisor", "national"])
def test_only_the_supervisor_of_the_province_confirms(world, who, request):
    actor = world.users.get(who) or request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        stage_confirm(actor=actor, agency=world.own, stage="announced", note="Tự công bố")
    with pytest.raises(PermissionDeniedError):
        stage_conversion_record(actor=actor, agency=world.own, had_2008_system=True, converted_on=dt.date(2018, 5, 2))
    assert not AgencyStage.objects.exists()


def test_a_supervisor_of_another_province_does_not_confirm_there_but_at_home(world, other_supervisor):
    with pytest.raises(PermissionDeniedError):
        stage_confirm(actor=other_supervisor, agency=world.own, stage="announced", note="x")
    record = stage_confirm(actor=other_supervisor, agency=world.foreign, stage="announced", note="Kiểm tra 2025")
    assert record.confirmed_stage == "announced"


def test_the_administrator_confirms_anywhere(world):
    record = stage_confirm(actor=world.users["admin"], agency=world.foreign, stage="building", note="Đã xây dựng")
    assert record.confirmed_stage == "building"


def test_conversion_from_2008_is_recorded(world):
    supervisor = world.users["supervisor"]
    stage_conversion_record(actor=supervisor, agency=world.own, had_2008_system=True, converted_on=None,
                            today=dt.date(2026, 3, 1))
    info = stage_of(world.own)
    assert (info.had_2008_system, info.converted) == (True, False)
    stage_conversion_record(actor=supervisor, agency=world.own, had_2008_system=True,
                            converted_on=dt.date(2018, 9, 14), today=dt.date(2026, 3, 1))
    info = stage_of(world.own)
    assert (info.converted, info.converted_on) == (True, dt.date(2018, 9, 14))


@pytest.mark.parametrize(("had", "on", "code"), [
    (False, dt.date(2018, 9, 14), "not_2008"),
    (True, dt.date(2026, 3, 2), "future_date"),
    (True, dt.date(2014, 1, 1), "too_early"),
    (False, None, "unchanged"),
])
def test_a_bad_conversion_is_refused_and_changes_nothing(world, had, on, code):
    with pytest.raises(ApplicationError) as refused:
        stage_conversion_record(actor=world.users["supervisor"], agency=world.own, had_2008_system=had,
                                converted_on=on, today=dt.date(2026, 3, 1))
    assert refused.value.code == code
    assert not AgencyStage.objects.exists()


def test_the_real_announcements_contract_answers_for_an_agency_that_did_not_announce(world):
    """Without the fake: the contract of eiso.announcements (when installed) is called and finds nothing."""
    from eiso.oversight.stages import ANNOUNCED_ON_BY_AGENCY, resolve

    function = resolve(ANNOUNCED_ON_BY_AGENCY)
    if function is not None:
        assert function([world.own.pk]) == {}
    assert stage_of(world.own).derived == "not_started"
