"""Periodic reporting fixtures: the world's province (own, sibling and the Department itself, dost) with its
supervisor; builders of the real records a report is pre-filled from, made through the apps' own services; a
second province with its own supervising authority and supervisor. The tests read messages in English (the
interface's source language)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from eiso.core.permissions import Role
from eiso.organizations.models import QMS
from eiso.reporting import services
from tests.factories import AgencyFactory, CommuneFactory, QMSFactory, supervising, user_with_role

YEAR = 2026
TODAY = dt.date(YEAR, 11, 20)
DUE_ON = dt.date(YEAR, 11, 30)
STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def qms_of(agency):
    return QMS.objects.filter(agency=agency).first() or QMSFactory(agency=agency)


def publish_process(agency, code="QT-01", procedures=()):
    """A procedure process (for `procedures`), submitted, approved and published."""
    from eiso.processes.services import process_create, process_steps_replace, process_transition

    process = process_create(actor=None, qms=qms_of(agency), kind="procedure", code=code, title=f"Quy trình {code}")
    if procedures:
        process.procedures.set(procedures)
    process_steps_replace(actor=None, process=process, steps=[STEP])
    for action in ("submit", "approve", "publish"):
        process_transition(actor=None, process=process, action=action)
    return type(process).objects.select_related("document__current_revision").get(pk=process.pk)


def complete_audit(agency, year: int, process=None):
    """The agency's programme of `year` with one internal audit carried out to completion by an independent lead
    auditor, completed on 13/05 of `year`."""
    from eiso.audits import services as audits

    process = process or publish_process(agency, code=f"QT-A{year}")
    head = user_with_role(Role.AGENCY_HEAD, agency)
    auditor = user_with_role(Role.AUDITOR, agency)
    programme = audits.programme_create(actor=head, agency=agency, year=year)
    audit = audits.audit_create(actor=head, programme=programme, title="Đánh giá nội bộ", processes=[process],
                                clauses=["9.2"], start_on=dt.date(year, 5, 12), end_on=dt.date(year, 5, 13))
    audits.audit_team_set(actor=head, audit=audit, lead_auditor=auditor)
    audits.checklist_build(actor=head, audit=audit)
    audit = audits.audit_transition(actor=head, audit=audit, action="start")
    for item in audit.checklist.all():
        audits.checklist_item_record(actor=auditor, item=item, result="conforming")
    audit = audits.audit_transition(actor=auditor, audit=audit, action="complete", conclusions="Phù hợp")
    type(audit).objects.filter(pk=audit.pk).update(completed_on=audit.end_on)  # a fixed day, not the test's
    return audit


def hold_review(agency, year: int, day: int = 20):
    """A management review of `year`, its inputs assembled and commented, held (meeting on `day`/06 of `year`)."""
    from eiso.reviews.services import review_create, review_hold, review_input_comment, review_inputs_assemble

    review = review_create(actor=None, agency=agency, title=f"Xem xét của lãnh đạo {year}", year=year,
                           period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                           meeting_at=timezone.make_aware(dt.datetime(year, 6, day, 9, 0)),
                           chair=user_with_role(Role.AGENCY_HEAD, agency),
                           secretary=user_with_role(Role.ISO_COORDINATOR, agency))
    review = review_inputs_assemble(actor=None, review=review)
    review_input_comment(actor=None, review_input=review.inputs.get(key="resources"), comment="Đủ nguồn lực")
    return review_hold(actor=None, review=review)


def open_period(world, *, kind="yearly", year=YEAR, half=None, due_on=DUE_ON, today=TODAY, **kwargs):
    return services.period_open(actor=world.users["supervisor"], province=world.province, kind=kind, year=year,
                                half=half, due_on=due_on, today=today, **kwargs)


def report_of(period, agency):
    return period.reports.get(agency=agency)


def completed(report, world, **texts):
    """The own agency's report written by its coordinator and signed off by its head."""
    values = {"results": "Duy trì áp dụng HTQLCL đối với toàn bộ thủ tục hành chính.",
              "difficulties": "Công chức mới chưa được đào tạo.", "proposals": "Tổ chức tập huấn."} | texts
    report = services.report_update(actor=world.users["iso_coordinator"], report=report, **values)
    return services.report_transition(actor=world.users["agency_head"], report=report, action="sign_off")


def submitted(report, world, **texts):
    report = completed(report, world, **texts)
    return services.report_transition(actor=world.users["iso_coordinator"], report=report, action="submit")


@pytest.fixture
def period(world):
    """The yearly period of 2026 of the world's province: reports of own, sibling and the Department."""
    return open_period(world)


@pytest.fixture
def other(db):
    """A second province with its own Department of Science and Technology, a supervisor and an agency."""
    from tests.factories import ProvinceFactory

    province = ProvinceFactory(name="Yên Bái")
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ tỉnh Yên Bái", kind="department", admin_unit=province)
    supervising(dost)
    agency = AgencyFactory(name="Ủy ban nhân dân xã Yên Thế", admin_unit=CommuneFactory(parent=province))
    return SimpleNamespace(province=province, dost=dost, agency=agency,
                           supervisor=user_with_role(Role.SUPERVISOR, dost))


@pytest.fixture
def national(db):
    return user_with_role(Role.NATIONAL_SUPERVISOR, AgencyFactory(name="Bộ Khoa học và Công nghệ",
                                                                  kind="ministry"))
