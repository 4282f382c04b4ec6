"""Builders of the real records that oversight reads (a QMS document, a published process, a completed internal
audit, a held management review), made through the apps' own services — shared by the oversight, reporting and
other tests that need an agency with a QMS history."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from eiso.core.permissions import Role
from eiso.organizations.models import QMS
from tests.factories import QMSFactory, user_with_role

STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}


def qms_of(agency):
    return QMS.objects.filter(agency=agency).first() or QMSFactory(agency=agency)


def build_documents(agency):
    """The QMS has a document: a draft quality manual (what the bootstrap starts with)."""
    from eiso.documents.services import document_create

    return document_create(actor=None, qms=qms_of(agency), kind="manual", code="STCL", title="Sổ tay chất lượng")


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
    audit.refresh_from_db()
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
