"""Row makers: compliance, oversight, announcements, reporting, inspections, trainings, par, the calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from eiso.core.permissions import Role
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory
from tests.query_budgets.rows.base import YEAR, _member, today

# --- Compliance, oversight, announcements, reporting, inspections, trainings, PAR, the calendar -------------------
# The supervisor (the supervising authority of the own province, world.dost) sees these rows across the agencies of
# its province: each row is another agency's.


def add_compliance_year(rows, i):
    from eiso.compliance.models import ComplianceItem
    from eiso.compliance.selectors import default_items

    ComplianceItem.objects.bulk_create(default_items(agency=rows.agency(i), year=YEAR))


def add_agency_stage(rows, i):
    from eiso.oversight.services import stage_confirm

    stage_confirm(actor=None, agency=rows.agency(i), stage=["building", "applying"][i % 2], note=f"Kiểm tra {i}")


def _rollout_plan(rows, i):
    from eiso.oversight import services

    return services.rollout_plan_create(actor=None, province=rows.province, data={
        "number": f"{i}/KH-UBND", "issued_on": dt.date(YEAR, 1, 15), "issuer": "UBND tỉnh",
        "title": f"Kế hoạch {i}", "period_start": dt.date(YEAR, 2, 1), "period_end": dt.date(YEAR, 6, 30)})


def add_rollout_plan(rows, i):
    from eiso.oversight import services

    plan = _rollout_plan(rows, i)
    services.rollout_milestone_add(actor=None, plan=plan, kind="survey", planned_on=dt.date(YEAR, 2, 10),
                                   title=f"Mốc {i}")
    services.rollout_budget_line_add(actor=None, plan=plan, item=f"Khoản {i}", amount=1_000_000 * (i + 1))
    services.rollout_targets_add(actor=None, plan=plan, agencies=[rows.agency(i)], note=f"Đích {i}")


def add_rollout_milestone(rows, i):
    from eiso.oversight import services

    services.rollout_milestone_add(actor=None, plan=_rollout_plan(rows, i), kind="survey",
                                   planned_on=dt.date(YEAR, 2, 10 + i), title=f"Mốc {i}")


def add_rollout_budget_line(rows, i):
    from eiso.oversight import services

    services.rollout_budget_line_add(actor=None, plan=_rollout_plan(rows, i), item=f"Khoản {i}", amount=1_000_000)


def add_rollout_target(rows, i):
    from eiso.oversight import services

    plan = rows.once("rollout_plan", lambda: _rollout_plan(rows, 99))
    services.rollout_targets_add(actor=None, plan=plan, agencies=[rows.agency(i)], note=f"Đích {i}")


def add_announcement(rows, i):
    """A signed announcement of another agency of the province, notified to the supervising authority."""
    from eiso.announcements.services import announcement_record

    announcement_record(actor=None, agency=rows.agency(i), signed_on=dt.date(YEAR, 3, 1 + i), number=i + 1,
                        signer_name=f"Người ký {i}", procedures=[])


def add_reporting_period(rows, i):
    from eiso.reporting import services

    services.period_open(actor=None, province=rows.province, kind=["yearly", "ad_hoc"][i % 2], year=YEAR - i,
                         due_on=dt.date(YEAR - i, 12, 15), title=f"Kỳ báo cáo {i}")
    rows.agency(i)  # a period's reports are those of the agencies of the province when it opened


def add_periodic_report(rows, i):
    """A period opened after one more agency joined the province: one more report of the own agency."""
    add_reporting_period(rows, i)


def _inspection_plan(rows, i):
    from eiso.inspections import plans

    return plans.plan_create(actor=None, province=rows.province, year=YEAR + i, title=f"Kế hoạch kiểm tra {i}")


def add_inspection_plan(rows, i):
    from eiso.inspections import plans

    plan = _inspection_plan(rows, i)
    plans.plan_line_add(actor=None, plan=plan, agency=rows.agency(i), method=["on_site", "by_documents"][i % 2],
                        planned_month=1 + i)


def add_inspection(rows, i):
    from eiso.inspections import plans

    plan = rows.once("inspection_plan", lambda: _inspection_plan(rows, 0))
    plans.plan_line_add(actor=None, plan=plan, agency=rows.agency(i), method=["on_site", "by_documents"][i % 2],
                        planned_month=1 + i)


def add_approved_inspection(rows, i):
    """An inspection of another agency in an approved plan of the year (the yearly summary's rows)."""
    from eiso.inspections import plans

    plan = plans.plan_create(actor=None, province=rows.province, year=YEAR, title=f"Kế hoạch {i}")
    plans.plan_line_add(actor=None, plan=plan, agency=rows.agency(i), method="on_site", planned_month=1 + i)
    plans.plan_approve(actor=None, plan=plan)


def add_inspection_finding(rows, i):
    from eiso.inspections import plans, services

    plan = _inspection_plan(rows, i)
    plans.plan_line_add(actor=None, plan=plan, agency=rows.agency(i), method="on_site", planned_month=6)
    plan = plans.plan_approve(actor=None, plan=plan)
    inspection = plan.inspections.get()
    inspection = services.inspection_decide(actor=None, inspection=inspection, decision_on=today(),
                                            team="Ông A - Trưởng đoàn", decision_signer="Giám Đốc",
                                            on_site_on=today())
    services.finding_add(actor=None, inspection=inspection, point_key="", description=f"Phát hiện {i}",
                         required_action="Khắc phục")


def add_training(rows, i):
    from eiso.trainings.services import participant_add, training_create

    training = training_create(actor=None, authority=rows.world.dost, topic=f"Lớp {i}",
                               kind=["awareness", "internal_auditor"][i % 2], start_on=dt.date(YEAR, 3, 1 + i),
                               end_on=dt.date(YEAR, 3, 2 + i), consultant=_consultant(rows, i) if i % 2 else None)
    participant_add(actor=None, training=training, agency=rows.agency(i), full_name=f"Học viên {i}", passed=True)


def add_participant(rows, i):
    from eiso.trainings.services import participant_add, training_create

    training = rows.once("training", lambda: training_create(
        actor=None, authority=rows.world.dost, topic="Lớp chung", kind="awareness", start_on=dt.date(YEAR, 3, 1),
        end_on=dt.date(YEAR, 3, 2)))
    agency = rows.agency(i)
    participant_add(actor=None, training=training, agency=agency, full_name=f"Học viên {i}",
                    user=_member(agency, i, Role.STAFF), passed=bool(i % 2))


def _consultant(rows, i):
    from eiso.trainings.consultant_services import consultant_create

    return consultant_create(actor=None, authority=rows.world.dost, name=f"Công ty tư vấn {i}",
                             licence_number=f"{i:02d}/2024", licence_valid_until=dt.date(2030, 1, 1))


def _engagement(rows, i):
    from eiso.trainings.consultant_services import engagement_add

    return engagement_add(actor=None, consultant=_consultant(rows, i), agency=rows.agency(i),
                          started_on=dt.date(YEAR - 1, 1, 1), ended_on=dt.date(YEAR + 1, 12, 31),
                          scope_note=f"Tư vấn {i}")


def add_consultant(rows, i):
    _engagement(rows, i)


def add_engagement(rows, i):
    _engagement(rows, i)


def add_consultant_issue(rows, i):
    from eiso.trainings.consultant_services import issue_report

    issue_report(actor=None, engagement=_engagement(rows, i), description=f"Vướng mắc {i}",
                 reported_on=dt.date(YEAR, 6, 1))


def add_par_criterion(rows, i):
    from eiso.par.services import criterion_create

    criterion_create(actor=None, province=rows.province, data={
        "year": YEAR, "code": f"{i + 1}.1", "name": f"Tiêu chí {i}", "max_points": Decimal("1"),
        "rule": ["internal_audit_done", "all"][i % 2], "scoring": "all_or_nothing", "note": ""})


def add_calendar_day(rows, i):
    from eiso.calendars.services import calendar_day_create

    monday = dt.date(YEAR, 8, 3) - dt.timedelta(days=dt.date(YEAR, 8, 3).weekday()) + dt.timedelta(weeks=i)
    day, kind = (monday, "day_off") if i % 2 else (monday + dt.timedelta(days=5), "working_day")
    calendar_day_create(actor=None, date=day, kind=kind, name=f"Ngày {i}")


# --- Dashboards, overviews and registers: their rows are agencies (or provinces) -----------------------------------


def add_agency_with_year(rows, i):
    """Another agency of the province with its compliance year opened."""
    add_compliance_year(rows, i)


def add_province(rows, i):
    """Another province with its supervising authority and two agencies (the national overview's rows)."""
    from tests.factories import QMSFactory, supervising

    province = ProvinceFactory(name=f"Tỉnh Thêm {i}")
    authority = AgencyFactory(name=f"Sở Khoa học và Công nghệ {i}", kind="department", admin_unit=province)
    supervising(authority)
    for _n in range(2):
        QMSFactory(agency=AgencyFactory(admin_unit=CommuneFactory(parent=province)))


def add_par_agency(rows, i):
    """Another agency of the province scored on the province's criteria (made once: every rule)."""
    rows.once("criteria", lambda: [add_par_criterion(rows, n) for n in range(2)])
    agency = rows.agency(i)
    rows.process(i, published=True, agency=agency)


def add_par_criterion_scored(rows, i):
    """One more criterion of the own agency's province, scored on the agency's page."""
    add_par_criterion(rows, i)


def add_own_participant(rows, i):
    """A course of the authority attended by one of the own agency's people."""
    from eiso.trainings.services import participant_add, training_create

    training = training_create(actor=None, authority=rows.world.dost, topic=f"Lớp {i}", kind="awareness",
                               start_on=dt.date(YEAR, 3, 1 + i), end_on=dt.date(YEAR, 3, 2 + i))
    participant_add(actor=None, training=training, agency=rows.own, full_name=f"Học viên {i}",
                    user=rows.person(i), passed=bool(i % 2))


def add_own_engagement(rows, i):
    from eiso.trainings.consultant_services import engagement_add

    engagement_add(actor=None, consultant=_consultant(rows, i), agency=rows.own, started_on=dt.date(YEAR - 1, 1, 1),
                   ended_on=dt.date(YEAR + 1, 12, 31), scope_note=f"Tư vấn {i}")


def add_public_process(rows, i):
    rows.process(i, published=True, procedures=[rows.procedure(i)])


def add_public_agency(rows, i):
    agency = rows.agency(i)
    rows.process(i, published=True, procedures=[rows.procedure(i)], agency=agency)


def own_code(rows):
    return [rows.own.code]
