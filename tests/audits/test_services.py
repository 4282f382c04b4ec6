"""Internal audit services: independence refusals (nothing changed), checklist from the library and the processes,
only the team records, finding → nonconformity, programme approval and copy, the cross-app contracts."""

import datetime as dt

import pytest

from eiso.audits import independence, selectors, services
from eiso.audits.clause_library import clause_library
from eiso.audits.models import AuditFinding, AuditProgramme, AuditScheduleItem, ChecklistItem, InternalAudit
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import Role
from eiso.improvement.models import Nonconformity
from tests.audits.conftest import started
from tests.factories import RoleAssignmentFactory, user_with_role


def state(audit):
    fresh = InternalAudit.objects.get(pk=audit.pk)
    return (fresh.status, fresh.lead_auditor_id, sorted(fresh.members.values_list("pk", flat=True)),
            sorted(fresh.processes.values_list("pk", flat=True)), fresh.conclusions,
            AuditScheduleItem.objects.count(), list(ChecklistItem.objects.values_list("result", flat=True)),
            AuditFinding.objects.count(), Nonconformity.objects.count(), AuditLogEntry.objects.count())


def refused(call, audit, *texts, error=ApplicationError):
    before = state(audit)
    with pytest.raises(error) as exc:
        call()
    for text in texts:
        assert text in str(exc.value.message), exc.value.message
    assert state(audit) == before
    return exc.value


# --- Independence ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_team_member_from_the_unit_above_the_process_is_refused(setup):
    coordinator = setup.world.users["iso_coordinator"]
    # when the justice auditor (staff of Tư pháp, above Hộ tịch which runs step 2 of QT-01) joins the team
    error = refused(lambda: services.audit_team_set(actor=coordinator, audit=setup.audit, lead_auditor=setup.auditor,
                                                    members=[setup.justice_auditor]),
                    setup.audit, "Trần Văn Tư Pháp", "QT-01", "Tư pháp", "independence")
    # then the error names the person and the unit, and the field
    assert error.code == "not_independent" and "members" in error.errors


@pytest.mark.django_db
def test_nobody_audits_their_own_unit_directly(setup):
    coordinator = setup.world.users["iso_coordinator"]
    own_unit_audit = services.audit_create(actor=coordinator, programme=setup.programme, title="Đánh giá Tư pháp",
                                           org_units=[setup.civil_status], clauses=["7.5"],
                                           start_on=dt.date(2026, 6, 1), end_on=dt.date(2026, 6, 1))
    refused(lambda: services.audit_team_set(actor=coordinator, audit=own_unit_audit,
                                            lead_auditor=setup.justice_auditor),
            own_unit_audit, "Trần Văn Tư Pháp may not audit Hộ tịch")
    # the independent auditor is accepted
    audit = services.audit_team_set(actor=coordinator, audit=own_unit_audit, lead_auditor=setup.auditor)
    assert audit.lead_auditor == setup.auditor


@pytest.mark.django_db
def test_a_scope_change_that_would_break_independence_is_refused(setup):
    coordinator = setup.world.users["iso_coordinator"]
    audit = services.audit_create(actor=coordinator, programme=setup.programme, title="Một cửa",
                                  processes=[setup.land], clauses=["8.2"],
                                  start_on=dt.date(2026, 7, 1), end_on=dt.date(2026, 7, 2))
    audit = services.audit_team_set(actor=coordinator, audit=audit, lead_auditor=setup.justice_auditor)
    refused(lambda: services.audit_update(actor=coordinator, audit=audit, title="Một cửa và hộ tịch",
                                          processes=[setup.land, setup.birth], clauses=["8.2"],
                                          start_on=audit.start_on, end_on=audit.end_on),
            audit, "QT-01")


@pytest.mark.django_db
def test_a_schedule_auditor_must_be_on_the_team_and_independent(setup):
    coordinator = setup.world.users["iso_coordinator"]
    audit = started(setup)
    on = dt.date(2026, 5, 12)
    refused(lambda: services.schedule_item_add(actor=coordinator, audit=audit, on=on, start_time=dt.time(8),
                                               end_time=dt.time(10), process=setup.birth,
                                               auditors=[setup.justice_auditor]),
            audit, "is not on the audit team")
    refused(lambda: services.schedule_item_add(actor=coordinator, audit=audit, on=dt.date(2026, 5, 20),
                                               start_time=dt.time(8), end_time=dt.time(10), process=setup.birth,
                                               auditors=[setup.auditor]),
            audit, "Choose a date between 12/05/2026 and 13/05/2026")
    item = services.schedule_item_add(actor=coordinator, audit=audit, on=on, start_time=dt.time(8),
                                      end_time=dt.time(10), process=setup.birth, clauses=["8.5.1"],
                                      auditors=[setup.auditor])
    assert list(item.auditors.all()) == [setup.auditor]


@pytest.mark.django_db
def test_a_schedule_auditor_of_the_unit_audited_is_refused(setup, world):
    coordinator = world.users["iso_coordinator"]
    audit = services.audit_create(actor=coordinator, programme=setup.programme, title="Một cửa",
                                  processes=[setup.land], clauses=["8.2"],
                                  start_on=dt.date(2026, 7, 1), end_on=dt.date(2026, 7, 2))
    services.audit_team_set(actor=coordinator, audit=audit, lead_auditor=setup.justice_auditor,
                            members=[setup.auditor])
    refused(lambda: services.schedule_item_add(actor=coordinator, audit=audit, on=dt.date(2026, 7, 1),
                                               start_time=dt.time(8), end_time=dt.time(9), org_unit=setup.justice,
                                               auditors=[setup.justice_auditor]),
            audit, "Trần Văn Tư Pháp may not audit Tư pháp")


@pytest.mark.django_db
def test_the_team_is_chosen_among_auditors_and_the_coordinator(setup, world):
    refused(lambda: services.audit_team_set(actor=world.users["iso_coordinator"], audit=setup.audit,
                                            lead_auditor=world.users["staff"]),
            setup.audit, "is neither an internal auditor nor the ISO coordinator")
    audit = services.audit_team_set(actor=world.users["iso_coordinator"], audit=setup.audit,
                                    lead_auditor=world.users["iso_coordinator"], members=[setup.auditor])
    assert audit.team() == [world.users["iso_coordinator"], setup.auditor]


@pytest.mark.django_db
def test_a_programme_entry_auditor_must_be_independent(world, setup):
    head = world.users["agency_head"]
    programme = services.programme_create(actor=head, agency=world.own, year=2027)
    with pytest.raises(ApplicationError, match="Trần Văn Tư Pháp"):
        services.programme_entry_add(actor=head, programme=programme, planned_month=3, process=setup.birth,
                                     auditor=setup.justice_auditor)
    assert not programme.entries.exists()


# --- Checklist ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_checklist_comes_from_the_library_and_the_processes(setup, world):
    # when
    count = services.checklist_build(actor=world.users["iso_coordinator"], audit=setup.audit)
    # then the library's questions of 8.5.1, 9.2.1 and 9.2.2 come first, in library order
    items = list(setup.audit.checklist.order_by("order"))
    library = clause_library()
    expected = library.checklist(["9.2", "8.5.1"])
    assert count == len(items)
    assert [(i.clause, i.question) for i in items[:len(expected)]] == [(c.number, q.text) for c, q in expected]
    assert all(i.source == "library" and i.process is None for i in items[:len(expected)])
    # and then the processes' steps (8.5.1), forms and records (7.5.3)
    from_processes = items[len(expected):]
    assert [(i.process.code, i.clause) for i in from_processes] == [
        ("QT-01", "8.5.1"), ("QT-01", "8.5.1"), ("QT-01", "7.5.3"), ("QT-01", "7.5.3"),
        ("QT-02", "8.5.1"), ("QT-02", "8.5.1")]
    assert "step B2 “Thẩm định hồ sơ”: is it done by Hộ tịch" in from_processes[1].question
    assert "form BM.01 “Tờ khai đăng ký khai sinh”" in from_processes[2].question
    assert "“Sổ đăng ký khai sinh” kept at Tư pháp for vĩnh viễn" in from_processes[3].question


@pytest.mark.django_db
def test_the_checklist_is_not_rebuilt_once_started(setup, world):
    audit = started(setup)
    refused(lambda: services.checklist_build(actor=world.users["iso_coordinator"], audit=audit), audit,
            "can no longer be rebuilt")


@pytest.mark.django_db
def test_only_team_members_record_results(setup, world):
    audit = started(setup, members=[world.users["iso_coordinator"]])
    item = audit.checklist.first()
    for outsider in (world.users["agency_head"], world.users["staff"], setup.justice_auditor):
        refused(lambda u=outsider: services.checklist_item_record(actor=u, item=item, result="conforming"),
                audit, "Only the members of the audit team", error=PermissionDeniedError)
    refused(lambda: services.checklist_item_record(actor=setup.auditor, item=item, result="nonconformity"),
            audit, "Write the evidence")
    recorded = services.checklist_item_record(actor=world.users["iso_coordinator"], item=item, result="conforming",
                                              evidence="Sổ theo dõi hồ sơ")
    assert (recorded.result, recorded.recorded_by) == ("conforming", world.users["iso_coordinator"])


@pytest.mark.django_db
def test_start_and_complete_guards(setup, world):
    coordinator = world.users["iso_coordinator"]
    refused(lambda: services.audit_transition(actor=coordinator, audit=setup.audit, action="start"), setup.audit,
            "Choose the audit team")
    audit = started(setup)
    refused(lambda: services.audit_transition(actor=coordinator, audit=audit, action="complete",
                                              conclusions="Hệ thống phù hợp"), audit, "have no result yet")
    for item in audit.checklist.all():
        services.checklist_item_record(actor=setup.auditor, item=item, result="conforming")
    refused(lambda: services.audit_transition(actor=coordinator, audit=audit, action="complete"), audit,
            "Write the conclusions")
    done = services.audit_transition(actor=setup.auditor, audit=audit, action="complete",
                                     conclusions="Hệ thống được duy trì có hiệu lực")
    assert done.status == "completed" and done.completed_on is not None


# --- Findings -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_minor_nonconformity_becomes_a_linked_nonconformity(setup):
    audit = started(setup)
    finding = services.finding_record(actor=setup.auditor, audit=audit, grade="minor", clause="8.5.1",
                                      process=setup.birth, description="Bước B2 quá thời hạn",
                                      evidence="Hồ sơ số 000.00.12.H01-260512-0001 trễ 1 ngày")
    nonconformity = Nonconformity.objects.get()
    assert finding.nonconformity == nonconformity
    assert (nonconformity.source, nonconformity.grade, nonconformity.process, nonconformity.raised_by) == (
        "audit_finding", "minor", setup.birth, setup.auditor)
    assert audit.number in nonconformity.description and "Bước B2 quá thời hạn" in nonconformity.description


@pytest.mark.django_db
def test_an_observation_is_raised_on_request_only(setup, world):
    audit = started(setup)
    observation = services.finding_record(actor=setup.auditor, audit=audit, grade="observation", clause="9.2",
                                          description="Chưa lưu biên bản họp mở đầu", evidence="Không có biên bản")
    improvement = services.finding_record(actor=setup.auditor, audit=audit, grade="improvement", clause="7.1.3",
                                          description="Nên số hóa sổ", evidence="Sổ giấy")
    assert Nonconformity.objects.count() == 0
    refused(lambda: services.finding_raise_nonconformity(actor=world.users["staff"], finding=observation), audit,
            error=PermissionDeniedError)
    refused(lambda: services.finding_raise_nonconformity(actor=setup.auditor, finding=improvement), audit,
            "not a nonconformity")
    nonconformity = services.finding_raise_nonconformity(actor=world.users["agency_head"], finding=observation)
    assert AuditFinding.objects.get(pk=observation.pk).nonconformity == nonconformity
    assert nonconformity.grade == "observation"
    refused(lambda: services.finding_raise_nonconformity(actor=setup.auditor, finding=observation), audit,
            "already raised")


@pytest.mark.django_db
def test_bad_findings_are_refused(setup, world):
    audit = started(setup)
    refused(lambda: services.finding_record(actor=setup.auditor, audit=audit, grade="major", clause="11.1",
                                            description="X", evidence="Y"), audit, "11.1")
    refused(lambda: services.finding_record(actor=setup.auditor, audit=audit, grade="major", clause="8.5.1",
                                            description=" ", evidence=""), audit, "Describe the finding")
    refused(lambda: services.finding_record(actor=world.users["agency_head"], audit=audit, grade="major",
                                            clause="8.5.1", description="X", evidence="Y"), audit,
            error=PermissionDeniedError)


# --- Programmes -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_head_approves_and_an_approved_programme_is_frozen(world, setup):
    draft = services.programme_create(actor=world.users["iso_coordinator"], agency=world.own, year=2027)
    with pytest.raises(ApplicationError, match="at least one line"):
        services.programme_approve(actor=world.users["agency_head"], programme=draft)
    services.programme_entry_add(actor=world.users["iso_coordinator"], programme=draft, planned_month=4,
                                 org_unit=setup.one_stop, clauses=["8.2", "9.1.2"])
    with pytest.raises(PermissionDeniedError):
        services.programme_approve(actor=world.users["iso_coordinator"], programme=draft)
    approved = services.programme_approve(actor=world.users["agency_head"], programme=draft)
    assert approved.status == "approved" and approved.approved_by == world.users["agency_head"]
    with pytest.raises(ApplicationError, match="approved"):
        services.programme_entry_add(actor=world.users["agency_head"], programme=approved, planned_month=5,
                                     org_unit=setup.one_stop)
    assert approved.entries.count() == 1


@pytest.mark.django_db
def test_programme_copy_year(world, setup):
    head = world.users["agency_head"]
    copy = services.programme_copy_year(actor=head, agency=world.own, from_year=2026, to_year=2027)
    assert (copy.year, copy.status, copy.agency) == (2027, "draft", world.own)
    assert list(copy.entries.values_list("process", "planned_month", "clauses", "auditor")) == [
        (setup.birth.pk, 5, ["8.5.1"], setup.auditor.pk)]
    assert "2027" in copy.title
    with pytest.raises(ApplicationError, match="already has"):
        services.programme_copy_year(actor=head, agency=world.own, from_year=2026, to_year=2027)
    with pytest.raises(ApplicationError, match="no internal audit programme for 2020"):
        services.programme_copy_year(actor=head, agency=world.own, from_year=2020, to_year=2021)
    assert AuditProgramme.objects.filter(agency=world.own).count() == 2


@pytest.mark.django_db
def test_other_agencies_objects_are_refused(world, setup):
    from tests.audits.conftest import make_process

    foreign_process = make_process(world.sibling, "QT-99", world.sibling_unit)
    with pytest.raises(ApplicationError, match="belongs to another agency"):
        services.audit_create(actor=world.users["iso_coordinator"], programme=setup.programme, title="X",
                              processes=[foreign_process], clauses=["8.5"], start_on=dt.date(2026, 8, 1),
                              end_on=dt.date(2026, 8, 1))
    outsider = user_with_role(Role.AGENCY_HEAD, world.sibling)
    with pytest.raises(PermissionDeniedError):
        services.audit_create(actor=outsider, programme=setup.programme, title="X", processes=[setup.birth],
                              clauses=["8.5"], start_on=dt.date(2026, 8, 1), end_on=dt.date(2026, 8, 1))
    assert InternalAudit.objects.count() == 1


# --- Contracts ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_contracts_review_input_evidence_and_completion(world, setup):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert selectors.review_input(agency=world.own, start=start, end=end) == []  # planned only: not held
    assert selectors.audit_completed_on(agency=world.own, year=2026) is None
    assert selectors.audit_completed_on(agency=world.own, year=2025) is None
    audit = started(setup)
    for item in audit.checklist.all():
        services.checklist_item_record(actor=setup.auditor, item=item, result="conforming")
    services.finding_record(actor=setup.auditor, audit=audit, grade="major", clause="8.5.1",
                            description="Không có phiếu kiểm soát", evidence="3/5 hồ sơ")
    services.finding_record(actor=setup.auditor, audit=audit, grade="observation", clause="9.2",
                            description="Lưu ý", evidence="Biên bản")
    # the audit is dated May 2026 in the plan; it was held (started) now
    InternalAudit.objects.filter(pk=audit.pk).update(start_on=dt.date(2026, 5, 12))
    lines = dict(selectors.review_input(agency=world.own, start=start, end=end))
    assert lines["Internal audits held"] == f"1 (0 completed): {audit.number}"
    assert lines["Audit findings"] == ("major nonconformity: 1; minor nonconformity: 0; observation: 1; "
                                       "opportunity for improvement: 0")
    assert lines["Nonconformities raised from the audits"] == "1 raised, 0 closed, 1 still open"
    services.audit_transition(actor=setup.auditor, audit=audit, action="complete", conclusions="Đạt")
    completed = InternalAudit.objects.get(pk=audit.pk).completed_on
    assert selectors.audit_completed_on(agency=world.own, year=2026) == completed
    records = selectors.evidence_records(agency=world.own, year=2026)
    assert [r["title"] for r in records] == [setup.programme.title, f"Internal audit plan {audit.number}",
                                             f"Internal audit report {audit.number}"]
    assert all(r["url"].startswith("/audits/") and isinstance(r["on"], dt.date) for r in records)
    assert selectors.evidence_records(agency=world.sibling, year=2026) == []
    assert selectors.review_input(agency=world.sibling, start=start, end=end) == []


@pytest.mark.django_db
def test_a_non_recursive_assignment_still_covers_units_below(world, setup):
    """Independence does not depend on is_recursive: the work of a unit below yours is your unit's work."""
    person = user_with_role(Role.AUDITOR, world.own)
    RoleAssignmentFactory(user=person, agency=world.own, role=Role.STAFF, org_unit=setup.justice, is_recursive=False)
    problems = independence.independence_conflicts(agency=world.own, person=person,
                                                   processes=[setup.birth, setup.land],
                                                   org_units=[setup.civil_status, setup.one_stop])
    assert len(problems) == 2 and "QT-01" in problems[0] and "Hộ tịch" in problems[1]
