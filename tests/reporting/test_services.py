"""Reporting periods and the report's workflow: each transition, each refusal (nothing changed), who may do what."""

import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import Role
from eiso.reporting import services
from eiso.reporting.models import PeriodicReport, PeriodicReportEvent, ReportingPeriod
from tests.factories import AgencyFactory, CommuneFactory, user_with_role
from tests.reporting.conftest import DUE_ON, TODAY, YEAR, completed, open_period, report_of, submitted

pytestmark = pytest.mark.django_db


def stored(report) -> PeriodicReport:
    return PeriodicReport.objects.get(pk=report.pk)


# --- Periods --------------------------------------------------------------------------------------------------


def test_opening_a_period_creates_one_prefilled_report_per_agency_of_the_province(world):
    # given an agency merged away before the period (not in existence any more)
    gone = AgencyFactory(admin_unit=CommuneFactory(parent=world.province), valid_to=dt.date(2025, 6, 30))
    # when
    period = open_period(world, note="Gửi qua eISO")
    # then the period belongs to the Department, with the default period covered and title
    assert (period.agency, period.kind, period.year, period.half, period.status) == (world.dost, "yearly", YEAR,
                                                                                      None, "open")
    assert (period.starts_on, period.ends_on, period.due_on) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), DUE_ON)
    assert str(YEAR) in period.title and period.opened_by == world.users["supervisor"]
    # one draft report per agency of the province in existence, the Department included, pre-filled
    reports = PeriodicReport.objects.filter(period=period)
    assert {r.agency for r in reports} == {world.own, world.sibling, world.dost}
    assert gone not in {r.agency for r in reports}
    for report in reports:
        assert report.status == "draft" and report.figures_at is not None
        assert len(report.figures["points"]) == 13 and report.figures["computed_on"] == TODAY.isoformat()
    assert AuditLogEntry.objects.filter(object_id=str(period.pk), action="create").count() == 1


def test_a_six_monthly_period_covers_its_half(world):
    period = open_period(world, kind="six_monthly", half=2, due_on=dt.date(YEAR, 12, 15))
    assert (period.starts_on, period.ends_on, period.half) == (dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31), 2)


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"kind": "monthly"}, "invalid_period", "kind"),
    ({"kind": "six_monthly", "half": None}, "invalid_period", "half"),
    ({"due_on": None}, "invalid_period", "due_on"),
    ({"year": 2013}, "invalid_period", "year"),
    ({"starts_on": dt.date(YEAR, 6, 1), "ends_on": dt.date(YEAR, 1, 1)}, "invalid_period", "ends_on"),
])
def test_opening_refused_with_bad_input_changes_nothing(world, changes, code, field):
    values = {"kind": "yearly", "year": YEAR, "half": None, "due_on": DUE_ON} | changes
    with pytest.raises(ApplicationError) as refused:
        services.period_open(actor=world.users["supervisor"], province=world.province, today=TODAY, **values)
    assert refused.value.code == code and field in refused.value.errors
    assert not ReportingPeriod.objects.exists() and not PeriodicReport.objects.exists()


def test_the_same_yearly_period_cannot_be_opened_twice(world, period):
    with pytest.raises(ApplicationError) as refused:
        open_period(world)
    assert refused.value.code == "period_exists"
    assert ReportingPeriod.objects.count() == 1 and PeriodicReport.objects.count() == 3
    # an ad hoc period of the same year is another matter
    open_period(world, kind="ad_hoc", title="Báo cáo đột xuất")
    assert ReportingPeriod.objects.count() == 2


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff"])
def test_only_the_supervising_authority_opens_periods(world, role):
    with pytest.raises(PermissionDeniedError):
        services.period_open(actor=world.users[role], province=world.province, kind="yearly", year=YEAR,
                             due_on=DUE_ON, today=TODAY)
    assert not ReportingPeriod.objects.exists()


def test_another_provinces_supervisor_cannot_open_a_period_here(world, other, national):
    for actor in (other.supervisor, national):
        with pytest.raises(PermissionDeniedError):
            services.period_open(actor=actor, province=world.province, kind="yearly", year=YEAR, due_on=DUE_ON,
                                 today=TODAY)
    assert not ReportingPeriod.objects.exists()


def test_a_province_without_a_supervising_authority_is_refused(world):
    with pytest.raises(ApplicationError) as refused:
        services.period_open(actor=world.users["admin"], province=world.other_province, kind="yearly", year=YEAR,
                             due_on=DUE_ON, today=TODAY)
    assert refused.value.code == "no_authority"


def test_update_and_close_a_period(world, period):
    period = services.period_update(actor=world.users["supervisor"], period=period, title="Báo cáo năm 2026",
                                    due_on=dt.date(YEAR, 12, 5), note="Gia hạn")
    assert (period.title, period.due_on, period.note) == ("Báo cáo năm 2026", dt.date(YEAR, 12, 5), "Gia hạn")
    period = services.period_close(actor=world.users["supervisor"], period=period)
    assert period.status == "closed" and period.closed_by == world.users["supervisor"]
    # a closed period changes no more
    with pytest.raises(ApplicationError) as refused:
        services.period_update(actor=world.users["supervisor"], period=period, title="X", due_on=DUE_ON)
    assert refused.value.code == "period_closed"
    with pytest.raises(ApplicationError):
        services.period_close(actor=world.users["supervisor"], period=period)


def test_other_provinces_supervisor_and_agencies_do_not_change_a_period(world, period, other, national):
    for actor in (other.supervisor, national, world.users["agency_head"]):
        with pytest.raises(PermissionDeniedError):
            services.period_close(actor=actor, period=period)
    assert ReportingPeriod.objects.get(pk=period.pk).status == "open"


# --- The report's workflow ------------------------------------------------------------------------------------


def test_the_whole_workflow_with_a_return_and_a_resubmission(world, period):
    report = report_of(period, world.own)
    coordinator, head, supervisor = (world.users[r] for r in ("iso_coordinator", "agency_head", "supervisor"))
    # the coordinator completes it, the head signs it off, the coordinator submits it
    report = services.report_update(actor=coordinator, report=report, number="12/BC-UBND", results="Kết quả",
                                    remarks={"processes_executed": "Hồ sơ xử lý trên hệ thống một cửa của tỉnh"})
    report = services.report_transition(actor=head, report=report, action="sign_off")
    assert (report.status, report.signed_off_by) == ("signed_off", head)
    report = services.report_transition(actor=coordinator, report=report, action="submit")
    first = report.first_submitted_at
    assert report.status == "submitted" and report.submitted_by == coordinator and first is not None
    # the supervisor returns it with a comment
    report = services.report_transition(actor=supervisor, report=report, action="return", comment="Bổ sung số liệu")
    assert (report.status, report.supervisor_comment, report.decided_by) == ("returned", "Bổ sung số liệu",
                                                                            supervisor)
    # returned: editable again; corrected, signed off and submitted again
    assert report.is_editable
    report = services.report_update(actor=coordinator, report=report, results="Kết quả đã bổ sung")
    report = services.report_transition(actor=head, report=report, action="sign_off")
    report = services.report_transition(actor=head, report=report, action="submit")
    assert report.first_submitted_at == first and report.submitted_at >= first
    report = services.report_transition(actor=supervisor, report=report, action="accept")
    assert report.status == "accepted"
    # the comment stays in the events, with every step
    events = list(PeriodicReportEvent.objects.filter(report=report).values_list("action", "from_status", "to_status",
                                                                                "comment"))
    assert events == [("sign_off", "draft", "signed_off", ""), ("submit", "signed_off", "submitted", ""),
                      ("return", "submitted", "returned", "Bổ sung số liệu"),
                      ("sign_off", "returned", "signed_off", ""), ("submit", "signed_off", "submitted", ""),
                      ("accept", "submitted", "accepted", "")]
    assert AuditLogEntry.objects.filter(object_id=str(report.pk), action="transition").count() == 6
    assert stored(report).remarks == {"processes_executed": "Hồ sơ xử lý trên hệ thống một cửa của tỉnh"}


def test_a_signed_off_report_goes_back_to_draft_to_be_corrected(world, period):
    report = completed(report_of(period, world.own), world)
    report = services.report_transition(actor=world.users["iso_coordinator"], report=report, action="reopen")
    assert (report.status, report.signed_off_by, report.signed_off_at) == ("draft", None, None)


@pytest.mark.parametrize("role", ["iso_coordinator", "staff", "auditor", "supervisor", "admin"])
def test_only_the_head_signs_off(world, period, role):
    report = services.report_update(actor=world.users["iso_coordinator"], report=report_of(period, world.own),
                                    results="Kết quả")
    with pytest.raises(PermissionDeniedError):
        services.report_transition(actor=world.users[role], report=report, action="sign_off")
    assert stored(report).status == "draft" and not PeriodicReportEvent.objects.exists()


def test_sign_off_needs_the_results_written(world, period):
    report = report_of(period, world.own)
    with pytest.raises(ApplicationError) as refused:
        services.report_transition(actor=world.users["agency_head"], report=report, action="sign_off")
    assert refused.value.code == "guard_results_missing"
    assert stored(report).status == "draft"


@pytest.mark.parametrize(("action", "status"), [("submit", "draft"), ("accept", "draft"), ("reopen", "draft"),
                                                ("return", "draft")])
def test_transitions_from_the_wrong_status_are_refused(world, period, action, status):
    report = report_of(period, world.own)
    actor = world.users["supervisor" if action in ("accept", "return") else "agency_head"]
    with pytest.raises(ApplicationError) as refused:
        services.report_transition(actor=actor, report=report, action=action, comment="x")
    assert refused.value.code == "invalid_transition"
    assert stored(report).status == status


def test_an_unknown_action_is_refused(world, period):
    with pytest.raises(ApplicationError) as refused:
        services.report_transition(actor=world.users["agency_head"], report=report_of(period, world.own),
                                   action="publish")
    assert refused.value.code == "unknown_action"


def test_returning_needs_a_comment(world, period):
    report = submitted(report_of(period, world.own), world)
    with pytest.raises(ApplicationError) as refused:
        services.report_transition(actor=world.users["supervisor"], report=report, action="return", comment="  ")
    assert refused.value.code == "comment_required"
    assert stored(report).status == "submitted" and stored(report).decided_at is None


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator"])
def test_the_agency_does_not_accept_its_own_report(world, period, role):
    report = submitted(report_of(period, world.own), world)
    with pytest.raises(PermissionDeniedError):
        services.report_transition(actor=world.users[role], report=report, action="accept")
    assert stored(report).status == "submitted"


def test_only_the_provinces_supervisor_accepts_or_returns(world, period, other, national):
    report = submitted(report_of(period, world.own), world)
    for actor in (other.supervisor, national):
        for action in ("accept", "return"):
            with pytest.raises(PermissionDeniedError):
                services.report_transition(actor=actor, report=report, action=action, comment="Không đạt")
    assert stored(report).status == "submitted"
    # the administrator may
    assert services.report_transition(actor=world.users["admin"], report=report, action="accept").status == "accepted"


@pytest.mark.parametrize("role", ["staff", "auditor", "consultant", "supervisor"])
def test_only_the_head_and_the_coordinator_complete_and_submit(world, period, role):
    report = completed(report_of(period, world.own), world)
    with pytest.raises(PermissionDeniedError):
        services.report_transition(actor=world.users[role], report=report, action="submit")
    with pytest.raises(PermissionDeniedError):
        services.report_refresh(actor=world.users[role], report=report)
    assert stored(report).status == "signed_off"


def test_another_agencys_people_do_not_touch_the_report(world, period):
    sibling_head = user_with_role(Role.AGENCY_HEAD, world.sibling)
    report = services.report_update(actor=world.users["iso_coordinator"], report=report_of(period, world.own),
                                    results="Kết quả")
    with pytest.raises(PermissionDeniedError):
        services.report_update(actor=sibling_head, report=report, results="Đổi")
    with pytest.raises(PermissionDeniedError):
        services.report_transition(actor=sibling_head, report=report, action="sign_off")
    assert (stored(report).results, stored(report).status) == ("Kết quả", "draft")


def test_a_report_changes_only_as_a_draft_or_returned(world, period):
    report = completed(report_of(period, world.own), world, results="Kết quả ký")
    with pytest.raises(ApplicationError) as refused:
        services.report_update(actor=world.users["iso_coordinator"], report=report, results="Sửa sau khi ký")
    assert refused.value.code == "not_editable"
    with pytest.raises(ApplicationError):
        services.report_refresh(actor=world.users["iso_coordinator"], report=report)
    assert stored(report).results == "Kết quả ký"


def test_unknown_points_and_fields_are_refused(world, period):
    report = report_of(period, world.own)
    with pytest.raises(ApplicationError) as refused:
        services.report_update(actor=world.users["iso_coordinator"], report=report, remarks={"no_such_point": "x"})
    assert refused.value.code == "unknown_point"
    with pytest.raises(ApplicationError) as refused:
        services.report_update(actor=world.users["iso_coordinator"], report=report, status="accepted")
    assert refused.value.code == "not_editable"
    assert stored(report).remarks == {} and stored(report).status == "draft"


def test_remarks_are_replaced_and_removed_point_by_point(world, period):
    report = report_of(period, world.own)
    coordinator = world.users["iso_coordinator"]
    services.report_update(actor=coordinator, report=report, remarks={"consultant_licensed": "Không thuê tư vấn",
                                                                      "announcement_made": "Đã công bố 2024"})
    services.report_update(actor=coordinator, report=report, remarks={"announcement_made": " "})
    assert stored(report).remarks == {"consultant_licensed": "Không thuê tư vấn"}


def test_a_closed_period_freezes_its_reports(world, period):
    report = submitted(report_of(period, world.own), world)
    draft = report_of(period, world.sibling)
    services.period_close(actor=world.users["supervisor"], period=period)
    with pytest.raises(ApplicationError) as refused:
        services.report_transition(actor=world.users["supervisor"], report=report, action="accept")
    assert refused.value.code == "guard_period_closed"
    with pytest.raises(ApplicationError) as refused:
        services.report_update(actor=world.users["admin"], report=draft, results="Muộn")
    assert refused.value.code == "period_closed"
    assert stored(report).status == "submitted" and stored(draft).results == ""
