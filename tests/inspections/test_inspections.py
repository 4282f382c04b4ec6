"""One inspection from its decision to its closing: the decision numbered in the authority's year, the checklist of
the Art. 36 points (pre-filled with what eISO's records show), findings, minutes, the agency's corrective-action report
within 2 months (and late), the supervisor's review of each finding, and the closing; refusals change nothing."""

import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.inspections import plans, selectors, services
from eiso.inspections import points as art36
from eiso.inspections.models import Inspection, InspectionChecklistItem, InspectionFinding
from tests.inspections.conftest import (
    TEAM,
    TODAY,
    answer_checklist,
    approved_plan_with,
    decide,
    other_province_supervisor,
    sign,
    signed_with_finding,
)

pytestmark = pytest.mark.django_db


def snapshot(inspection):
    inspection = Inspection.objects.get(pk=inspection.pk)
    return (inspection.status, inspection.decision_number, inspection.minutes_signed_on, inspection.report_due_on,
            inspection.report_submitted_on, inspection.closed_at,
            list(InspectionFinding.objects.filter(inspection=inspection).values_list("status", "action_taken")),
            list(InspectionChecklistItem.objects.filter(inspection=inspection).values_list("result", "evidence")))


def test_the_full_path_from_plan_to_closed(world):
    supervisor, coordinator = world.users["supervisor"], world.users["iso_coordinator"]
    plan, (own, sibling) = approved_plan_with(world)
    # the decision: numbered in the authority's year; the checklist is the 13 Art. 36 points with the records' view
    own = decide(world, own)
    sibling = decide(world, sibling)
    assert (own.status, own.decision_number, sibling.decision_number) == ("decided", 1, 2)
    assert own.decision_label == "01/QĐ-SKHCN" and own.team_leader == "Nguyễn Văn Trưởng"
    assert "Quyết định số 19/2014/QĐ-TTg" in own.decision_grounds and "01/KH-2026" in own.decision_grounds
    keys = list(own.checklist.order_by("order").values_list("key", flat=True))
    assert keys == list(art36.KEYS)
    assert all(item.records_at is not None and item.records_detail for item in own.checklist.all())
    # the checklist and a finding
    answer_checklist(world, own, not_conform=("legal_changes_within_3_months",))
    finding = services.finding_add(actor=supervisor, inspection=own, point_key="legal_changes_within_3_months",
                                   description="Quy trình chưa cập nhật", required_action="Cập nhật quy trình")
    # the minutes: the report is due 2 calendar months after the signing day
    signed_on = TODAY - dt.timedelta(days=3)
    own = sign(world, own, signed_on=signed_on)
    assert own.status == "minutes_signed"
    assert own.report_due_on > TODAY and 59 <= (own.report_due_on - signed_on).days <= 62
    assert selectors.report_state(own) == "open"
    # the agency records its action and submits within the 2 months
    services.finding_action_record(actor=coordinator, finding=finding, action_taken="Đã cập nhật 02 quy trình",
                                   evidence="Quyết định ban hành lại số 12/QĐ-UBND")
    own = services.report_submit(actor=coordinator, inspection=own, summary="Đã khắc phục")
    assert (own.status, own.report_submitted_on, own.report_submitted_by) == ("report_submitted", TODAY, coordinator)
    assert own.report_on_time is True and selectors.report_state(own) == "on_time"
    # the supervisor closes the finding, then the inspection
    services.finding_review(actor=supervisor, finding=finding, closed=True, comment="Đạt")
    own = services.inspection_close(actor=supervisor, inspection=own)
    assert (own.status, own.closed_by) == ("closed", supervisor)
    assert selectors.inspected_on_by_agency([world.own.pk, world.sibling.pk, world.foreign.pk], year=2026) == {
        world.own.pk: signed_on}


@pytest.mark.parametrize(("signed_on", "due_on"), [
    (dt.date(2025, 12, 31), dt.date(2026, 2, 28)), (dt.date(2025, 8, 31), dt.date(2025, 10, 31)),
    (dt.date(2025, 11, 5), dt.date(2026, 1, 5))])
def test_the_report_due_date_is_two_calendar_months_after_the_signing_day(world, signed_on, due_on):
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = signed_with_finding(world, inspection, signed_on=signed_on)
    assert inspection.report_due_on == due_on


def test_the_report_period_is_a_setting(world, settings):
    settings.EISO = {**settings.EISO, "INSPECTION_REPORT_MONTHS": 3}
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = signed_with_finding(world, inspection, signed_on=dt.date(2025, 8, 31))
    assert inspection.report_due_on == dt.date(2025, 11, 30)


def test_a_late_report_is_accepted_and_counted_late_and_an_unsent_one_overdue(world):
    coordinator = world.users["iso_coordinator"]
    _plan, (own, sibling) = approved_plan_with(world)
    long_ago = TODAY - dt.timedelta(days=100)
    own = signed_with_finding(world, own, signed_on=long_ago)
    sibling = signed_with_finding(world, sibling, signed_on=long_ago)
    assert own.report_due_on < TODAY
    assert selectors.report_state(own) == "overdue" and own.report_overdue_on(TODAY)
    finding = own.findings.get()
    services.finding_action_record(actor=coordinator, finding=finding, action_taken="Đã phổ biến tài liệu")
    own = services.report_submit(actor=coordinator, inspection=own)
    assert own.status == "report_submitted" and own.report_on_time is False
    assert selectors.report_state(own) == "late"
    assert selectors.report_state(sibling) == "overdue"


def test_closing_with_an_open_finding_is_refused_and_the_report_returned(world):
    supervisor, coordinator = world.users["supervisor"], world.users["iso_coordinator"]
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = signed_with_finding(world, inspection)
    finding = inspection.findings.get()
    before = snapshot(inspection)
    with pytest.raises(ApplicationError, match="Wait for the agency's corrective-action report"):
        services.inspection_close(actor=supervisor, inspection=inspection)
    assert snapshot(inspection) == before
    services.finding_action_record(actor=coordinator, finding=finding, action_taken="Đã phổ biến một phần")
    inspection = services.report_submit(actor=coordinator, inspection=inspection)
    # not yet closed: the comment is required, then closing is refused and the report is returned
    with pytest.raises(ApplicationError, match="Say why the finding is not closed"):
        services.finding_review(actor=supervisor, finding=finding, closed=False)
    services.finding_review(actor=supervisor, finding=finding, closed=False, comment="Còn 3 công chức chưa đọc")
    before = snapshot(inspection)
    with pytest.raises(ApplicationError, match="Findings not closed yet: 1"):
        services.inspection_close(actor=supervisor, inspection=inspection)
    assert snapshot(inspection) == before
    with pytest.raises(ApplicationError, match="Say what the agency must still do"):
        services.report_return(actor=supervisor, inspection=inspection, comment=" ")
    inspection = services.report_return(actor=supervisor, inspection=inspection, comment="Hoàn thiện xác nhận đọc")
    assert inspection.status == "minutes_signed" and inspection.return_comment == "Hoàn thiện xác nhận đọc"
    # the agency completes and submits again; its first submission date is kept
    services.finding_action_record(actor=coordinator, finding=finding, action_taken="Đã phổ biến toàn bộ")
    inspection = services.report_submit(actor=coordinator, inspection=inspection)
    services.finding_review(actor=supervisor, finding=finding, closed=True)
    with pytest.raises(ApplicationError, match="close the inspection instead"):
        services.report_return(actor=supervisor, inspection=inspection, comment="Lại")
    assert services.inspection_close(actor=supervisor, inspection=inspection).status == "closed"
    assert inspection.report_first_submitted_on == TODAY


def test_an_inspection_without_findings_closes_after_the_minutes_and_needs_no_report(world):
    coordinator, supervisor = world.users["iso_coordinator"], world.users["supervisor"]
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection)
    answer_checklist(world, inspection)
    inspection = sign(world, inspection)
    assert inspection.report_due_on is None and selectors.report_state(inspection) == "not_due"
    with pytest.raises(ApplicationError, match="no corrective-action report is due"):
        services.report_submit(actor=coordinator, inspection=inspection)
    assert services.inspection_close(actor=supervisor, inspection=inspection).status == "closed"


def test_signing_is_refused_until_the_checklist_findings_and_minutes_are_complete(world):
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection)
    before = snapshot(inspection)
    with pytest.raises(ApplicationError, match="Inspection points without a result: 13"):
        sign(world, inspection)
    answer_checklist(world, inspection, not_conform=("complaints_handled",))
    before = snapshot(inspection)
    with pytest.raises(ApplicationError, match="for each point that does not conform"):
        sign(world, inspection)
    services.finding_add(actor=world.users["supervisor"], inspection=inspection, point_key="complaints_handled",
                         description="02 phản ánh trả lời quá hạn", required_action="Trả lời đúng hạn")
    before = snapshot(inspection)
    with pytest.raises(ApplicationError, match="once they are signed"):
        sign(world, inspection, signed_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ApplicationError, match="before the decision"):
        sign(world, inspection, signed_on=inspection.decision_on - dt.timedelta(days=1))
    with pytest.raises(ApplicationError, match="conclusion"):
        sign(world, inspection, conclusion=" ")
    assert snapshot(inspection) == before
    assert sign(world, inspection).status == "minutes_signed"
    # once signed: no more checklist, findings or decision changes
    with pytest.raises(ApplicationError):
        answer_checklist(world, inspection)
    with pytest.raises(ApplicationError):
        services.finding_add(actor=world.users["supervisor"], inspection=inspection, point_key="",
                             description="X", required_action="Y")
    with pytest.raises(ApplicationError, match="can no longer change"):
        decide(world, inspection)


def test_the_decision_is_refused_before_the_plan_is_approved_or_without_its_details(world):
    from eiso.inspections.models import InspectionPlan
    from tests.inspections.conftest import new_plan

    supervisor = world.users["supervisor"]
    draft = new_plan(world)
    line = plans.plan_line_add(actor=supervisor, plan=draft, agency=world.own, method="on_site")
    with pytest.raises(ApplicationError, match="Approve the inspection plan first"):
        decide(world, line)
    plans.plan_approve(actor=supervisor, plan=InspectionPlan.objects.get(pk=draft.pk))
    with pytest.raises(ApplicationError, match="date of the visit"):
        decide(world, line, on_site_on=None)
    with pytest.raises(ApplicationError, match="inspection team"):
        decide(world, line, team="  ")
    line.refresh_from_db()
    assert (line.status, line.decision_number, line.checklist.count()) == ("planned", None, 0)
    decided = decide(world, line, team=TEAM + "\n\n")
    assert decided.team == TEAM
    # correcting keeps the number
    corrected = decide(world, decided, decision_signer="Phó Giám Đốc", decision_signer_position="Phó Giám đốc")
    assert (corrected.decision_number, corrected.decision_signer) == (1, "Phó Giám Đốc")


def test_agency_people_and_other_provinces_do_not_write_the_inspection(world):
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection)
    before = snapshot(inspection)
    for intruder in (world.users["agency_head"], world.users["iso_coordinator"], other_province_supervisor(world)):
        with pytest.raises(PermissionDeniedError):
            services.checklist_record(actor=intruder, inspection=inspection,
                                      results={"scope_covers_procedures": {"result": "conform"}})
        with pytest.raises(PermissionDeniedError):
            services.finding_add(actor=intruder, inspection=inspection, point_key="", description="X",
                                 required_action="Y")
        with pytest.raises(PermissionDeniedError):
            services.minutes_sign(actor=intruder, inspection=inspection, signed_on=TODAY, place="X",
                                  participants="X", conclusion="X", agency_representative="X")
    assert snapshot(inspection) == before


def test_only_the_agencys_head_and_coordinator_write_its_report(world):
    supervisor = world.users["supervisor"]
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = signed_with_finding(world, inspection)
    finding = inspection.findings.get()
    before = snapshot(inspection)
    for intruder in (world.users["staff"], world.users["auditor"], supervisor, other_province_supervisor(world)):
        with pytest.raises(PermissionDeniedError):
            services.finding_action_record(actor=intruder, finding=finding, action_taken="X")
        with pytest.raises(PermissionDeniedError):
            services.report_submit(actor=intruder, inspection=inspection)
    assert snapshot(inspection) == before
    with pytest.raises(ApplicationError, match="Findings without the action taken: 1"):
        services.report_submit(actor=world.users["agency_head"], inspection=inspection)
    assert snapshot(inspection) == before


def test_agency_people_read_only_their_own_inspection(world):
    _plan, (own, sibling) = approved_plan_with(world)
    for role in ("agency_head", "iso_coordinator", "staff", "auditor"):
        assert list(Inspection.objects.restrict(world.users[role])) == [own], role
    assert not Inspection.objects.restrict(world.users["consultant"]).exists()
    assert set(Inspection.objects.restrict(world.users["supervisor"])) == {own, sibling}
    assert not Inspection.objects.restrict(other_province_supervisor(world)).exists()


def test_the_checklist_shows_what_the_reporting_points_say(world):
    from eiso.reporting.points import POINTS, point_states

    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection)
    items = list(inspection.checklist.order_by("order"))
    # the 13 points of Art. 36 in order, titled, with what the agency's records say of each (the periodic report's)
    assert [i.key for i in items] == [point.key for point in POINTS] == list(art36.KEYS)
    assert items[0].title == str(POINTS[0].title) != POINTS[0].key
    expected = {s.key: (s.met, str(s.detail or "")) for s in point_states(agency=world.own, year=inspection.year)}
    assert {i.key: (i.records_met, i.records_detail) for i in items} == expected
    assert any(detail for _met, detail in expected.values())


def test_an_unknown_point_or_result_is_refused_as_a_whole(world):
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection)
    before = snapshot(inspection)
    with pytest.raises(ApplicationError) as refused:
        services.checklist_record(actor=world.users["supervisor"], inspection=inspection, results={
            "scope_covers_procedures": {"result": "conform"}, "documents_disseminated": {"result": "maybe"}})
    assert "documents_disseminated" in refused.value.errors
    with pytest.raises(ApplicationError, match="Unknown inspection point"):
        services.checklist_record(actor=world.users["supervisor"], inspection=inspection,
                                  results={"nope": {"result": "conform"}})
    assert snapshot(inspection) == before
