"""The contracts the reporting app gives other apps: report_submitted_on (the compliance calendar), and
late_reports_by_agency (the dashboards); and the calendar's "report to the supervising authority" done through it."""

import datetime as dt

import pytest

from eiso.compliance import selectors as calendar
from eiso.compliance import services as calendar_services
from eiso.compliance.obligations import REPORT_SUBMITTED_ON, SUPERVISOR_REPORT
from eiso.reporting import services
from eiso.reporting.models import PeriodicReport
from eiso.reporting.selectors import late_reports_by_agency, report_submitted_on
from tests.reporting.conftest import DUE_ON, YEAR, at, open_period, report_of, submitted

pytestmark = pytest.mark.django_db


def sent_on(report, text):
    PeriodicReport.objects.filter(pk=report.pk).update(submitted_at=at(text), first_submitted_at=at(text))
    return PeriodicReport.objects.get(pk=report.pk)


def test_report_submitted_on_follows_the_yearly_report(world, period):
    report = report_of(period, world.own)
    assert report_submitted_on(agency=world.own, year=YEAR) is None
    report = sent_on(submitted(report, world), "2026-11-25 15:30")
    assert report_submitted_on(agency=world.own, year=YEAR) == dt.date(YEAR, 11, 25)
    assert report_submitted_on(agency=world.own, year=YEAR - 1) is None
    assert report_submitted_on(agency=world.sibling, year=YEAR) is None
    # returned: not reported any more until it is submitted again
    services.report_transition(actor=world.users["supervisor"], report=report, action="return", comment="Bổ sung")
    assert report_submitted_on(agency=world.own, year=YEAR) is None


def test_a_six_monthly_report_is_not_the_yearly_report(world):
    period = open_period(world, kind="six_monthly", half=2, due_on=dt.date(YEAR, 12, 15))
    submitted(report_of(period, world.own), world)
    assert report_submitted_on(agency=world.own, year=YEAR) is None


def test_late_reports_by_agency(world, period):
    sent_on(submitted(report_of(period, world.own), world), "2026-11-30 16:00")  # on the due day
    sibling = report_of(period, world.sibling)
    PeriodicReport.objects.filter(pk=sibling.pk).update(status="submitted", submitted_at=at("2026-12-02 09:00"),
                                                        first_submitted_at=at("2026-12-02 09:00"))
    ids = [world.own.pk, world.sibling.pk, world.dost.pk, world.foreign.pk]
    # before the due date nothing is late; after it, the sibling (sent late) and the Department (never sent)
    assert late_reports_by_agency(ids, today=DUE_ON) == {}
    assert late_reports_by_agency(ids, today=DUE_ON + dt.timedelta(days=1)) == {world.sibling.pk: 1,
                                                                                world.dost.pk: 1}
    assert late_reports_by_agency([world.own.pk], today=dt.date(YEAR + 1, 1, 1)) == {}


def test_the_calendar_item_is_done_when_the_yearly_report_was_submitted_in_eiso(world, period):
    calendar_services.compliance_year_start(actor=world.users["iso_coordinator"], agency=world.own, year=YEAR,
                                            today=dt.date(YEAR, 1, 5))

    def item_state():
        states = calendar.year_states(agency=world.own, year=YEAR, today=dt.date(YEAR, 12, 5))
        return next(s for s in states if s.item.obligation == SUPERVISOR_REPORT)

    assert item_state().status == "overdue"
    sent_on(submitted(report_of(period, world.own), world), "2026-11-26 10:00")
    state = item_state()
    assert (state.status, state.done_on, state.is_late, state.note) == ("done", dt.date(YEAR, 11, 26), False,
                                                                        "Submitted in eISO.")
    assert state.is_manual  # a paper report can still be recorded by hand
    assert calendar.records_url(state.definition) == "/reporting/"


def test_the_contract_named_by_the_calendar_exists():
    from eiso.compliance import contracts

    assert contracts.resolve(REPORT_SUBMITTED_ON) is report_submitted_on
