"""`Rows`: the world of tests/conftest.py and the builders that add one more listed row to it.

Each builder `add(rows, i)` makes the i-th row of one kind in the scope of the role the budget signs in as (the
`own` agency, its province, or everything for the administrator), made through the apps' own services where they
exist, every row with its own related objects (another owner, unit, process, procedure; statuses taking turns), so
that a list which fetched a relation per row would show it in its query count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.core.permissions import Role
from eiso.organizations.models import QMS
from tests.factories import AgencyFactory, CommuneFactory, OrgUnitFactory, ProvinceFactory, UserFactory

STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}
YEAR = dt.date.today().year


@dataclass
class Rows:
    world: object
    made: dict = field(default_factory=dict)  # objects shared by the rows of one test (a programme, a plan...)

    @property
    def own(self):
        return self.world.own

    @property
    def province(self):
        return self.world.province

    @property
    def qms(self):
        return QMS.objects.get(agency=self.own)

    def once(self, key, make):
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]

    def person(self, i: int, role: str = Role.STAFF):
        """A member of the own agency: the i-th row's owner, handler, auditor..."""
        return _member(self.own, i, role)

    def unit(self, i: int):
        return OrgUnitFactory(agency=self.own, name=f"Bộ phận thứ {i}")

    def process(self, i: int, *, published: bool = False, procedures=(), agency=None):
        from eiso.processes.services import process_create, process_steps_replace, process_transition

        qms = QMS.objects.get(agency=agency) if agency is not None else self.qms
        process = process_create(actor=None, qms=qms, kind="procedure", code=f"QT-B{i:02d}",
                                 title=f"Quy trình thứ {i}", procedures=procedures)
        if published:
            process_steps_replace(actor=None, process=process, steps=[STEP])
            for action in ("submit", "approve", "publish"):
                process_transition(actor=None, process=process, action=action)
        return process

    def procedure(self, i: int):
        from eiso.catalog.models import Field, Procedure, ProcedureCase

        field_ = Field.objects.create(name=f"Lĩnh vực thứ {i}")
        procedure = Procedure.objects.create(code=f"1.00{i:04d}", name=f"Thủ tục thứ {i}", field=field_,
                                             is_commune_level=True)
        ProcedureCase.objects.create(procedure=procedure, code=f"1.00{i:04d}.01", name=f"Trường hợp {i}",
                                     duration=Decimal(3), duration_unit="working_day")
        return procedure

    def agency(self, i: int, province=None):
        """Another agency of the own province (or of `province`), with its QMS."""
        from tests.factories import QMSFactory

        agency = AgencyFactory(name=f"Ủy ban nhân dân xã Thêm {i}",
                               admin_unit=CommuneFactory(parent=province or self.province))
        QMSFactory(agency=agency)
        return agency


def _member(agency, i, role):
    user = UserFactory(full_name=f"Người thứ {i}")
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=user, agency=agency, role=role)
    return user


def pdf(name="minh-chung.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def today():
    return timezone.localdate()


# --- Organizations, accounts, the audit log ---------------------------------------------------------------------


def add_admin_unit(rows, i):
    CommuneFactory(parent=ProvinceFactory() if i % 2 else rows.province)


def add_agency(rows, i):
    rows.agency(i, province=rows.province if i % 2 else None)


def add_org_unit(rows, i):
    parent = rows.once("parent_unit", lambda: OrgUnitFactory(agency=rows.own, name="Văn phòng gốc"))
    OrgUnitFactory(agency=rows.own, name=f"Phòng thứ {i}", parent=parent if i % 2 else None)


def add_person(rows, i):
    from tests.factories import RoleAssignmentFactory

    user = UserFactory(full_name=f"Cán bộ thứ {i}")
    RoleAssignmentFactory(user=user, agency=rows.own, role=[Role.STAFF, Role.AUDITOR][i % 2], org_unit=rows.unit(i))


def add_api_token(rows, i):
    from eiso.accounts.services import api_token_create

    api_token_create(user=rows.world.users[rows.made["role"]], name=f"token-{i}")


def add_audit_entry(rows, i):
    from eiso.core.audit import audit_record
    from eiso.core.models import AuditAction

    instance = rows.unit(i) if i % 2 else rows.process(i)
    audit_record(actor=rows.person(i, Role.ISO_COORDINATOR), instance=instance, action=AuditAction.CREATE)


def add_merger(rows, i):
    from eiso.organizations.services import agency_record_merger

    successor = rows.agency(100 + i)
    agency_record_merger(actor=None, predecessors=[rows.agency(200 + i)], successor=successor,
                         on=dt.date(2025, 7, 1))


def add_predecessor(rows, i):
    from eiso.organizations.services import agency_record_merger

    agency_record_merger(actor=None, predecessors=[rows.agency(300 + i)], successor=rows.own, on=dt.date(2025, 7, 1))


# --- Catalogue, processes, documents, legal register, dossiers ---------------------------------------------------


def add_procedure(rows, i):
    rows.procedure(i)


def add_field(rows, i):
    from eiso.catalog.models import Field

    Field.objects.create(name=f"Lĩnh vực riêng {i}")


def add_import_run(rows, i):
    from eiso.catalog.models import ImportRun

    ImportRun.objects.create(source=f"tthc-{i}.jsonl", status=["done", "failed"][i % 2],
                             started_by=rows.person(i, Role.ISO_COORDINATOR))


def add_process(rows, i):
    rows.process(i, published=bool(i % 2), procedures=[rows.procedure(i)])


def add_document(rows, i):
    from eiso.documents.services import document_create, revision_transition

    document = document_create(actor=None, qms=rows.qms, kind=["manual", "policy", "instruction"][i % 3],
                               code=f"TL-{i:02d}", title=f"Tài liệu thứ {i}", owner_unit=rows.unit(i))
    if i % 2:
        revision = document.revisions.get()
        for action in ("submit", "approve", "publish"):
            revision = revision_transition(actor=None, revision=revision, action=action)


def add_document_to_read(rows, i):
    """A published manual distributed to the signed-in user, not yet read."""
    from eiso.documents.services import document_create, revision_distribute, revision_transition

    document = document_create(actor=None, qms=rows.qms, kind="manual", code=f"DR-{i:02d}", title=f"Sổ tay {i}",
                               owner_unit=rows.unit(i))
    revision = document.revisions.get()
    for action in ("submit", "approve", "publish"):
        revision = revision_transition(actor=None, revision=revision, action=action)
    revision_distribute(actor=None, revision=revision, users=[rows.world.users[rows.made["role"]], rows.person(i)])


def add_review_due(rows, i):
    """A published document whose periodic review is overdue."""
    from eiso.documents.models import Document
    from eiso.documents.services import document_create, revision_transition

    document = document_create(actor=None, qms=rows.qms, kind="policy", code=f"RV-{i:02d}", title=f"Chính sách {i}",
                               owner_unit=rows.unit(i))
    revision = document.revisions.get()
    issued = today() - dt.timedelta(days=400 + i)
    for action in ("submit", "approve", "publish"):
        revision = revision_transition(actor=None, revision=revision, action=action, effective_on=issued)
    Document.objects.filter(pk=document.pk).update(last_reviewed_on=issued, review_interval_months=12)


def add_legal_document(rows, i):
    from eiso.legal.services import legal_document_record

    legal_document_record(actor=None, number=f"{i:02d}/2026/TT-BTP", doc_type=["circular", "decree"][i % 2],
                          issuer="Bộ Tư pháp", effective_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))


def add_update_task(rows, i):
    from eiso.documents.models import Document
    from eiso.legal.models import LegalDocument
    from eiso.legal.services import legal_document_record

    process = rows.process(i, published=True)
    basis = LegalDocument.objects.create(doc_type="circular", number=f"{i:02d}/2020/TT-BTP",
                                         key=f"{i:02d}/2020/TT-BTP")
    basis.documents.add(Document.objects.get(process=process))
    legal_document_record(actor=None, number=f"{i:02d}/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                          relations=[("replaces", basis)])


def add_dossier(rows, i):
    from eiso.calendars.services import holidays_seed_year
    from eiso.dossiers.services import dossier_receive

    rows.once("holidays", lambda: holidays_seed_year(year=YEAR))
    procedure = rows.procedure(i)
    rows.process(i, published=True, procedures=[procedure])
    dossier_receive(actor=rows.person(i), agency=rows.own, procedure=procedure, case=procedure.cases.first(),
                    applicant={"name": f"Người nộp {i}", "phone": f"09000000{i:02d}"},
                    channel=["direct", "online"][i % 2])


# --- The QMS year: improvement, objectives, risks, audits, reviews -----------------------------------------------


def add_nonconformity(rows, i):
    from eiso.improvement.services import corrective_action_add, nonconformity_analysis_record, nonconformity_raise

    nc = nonconformity_raise(actor=None, agency=rows.own, description=f"Sự không phù hợp {i}",
                             source=["audit_finding", "other"][i % 2], owner=rows.person(i),
                             process=rows.process(i))
    if i % 2:
        nc = nonconformity_analysis_record(actor=None, nonconformity=nc, method="five_whys", analysis="Vì sao",
                                           root_cause="Thiếu danh mục kiểm tra")
        corrective_action_add(actor=None, nonconformity=nc, description=f"Hành động {i}", owner=rows.person(100 + i),
                              due_on=today() + dt.timedelta(days=7))


def add_corrective_action(rows, i):
    from eiso.improvement.services import corrective_action_add, nonconformity_analysis_record, nonconformity_raise

    nc = nonconformity_raise(actor=None, agency=rows.own, description=f"NC {i}", process=rows.process(i))
    nc = nonconformity_analysis_record(actor=None, nonconformity=nc, method="five_whys", analysis="Vì sao",
                                       root_cause="Gốc")
    corrective_action_add(actor=None, nonconformity=nc, description=f"Hành động {i}", owner=rows.person(i),
                          due_on=today() + dt.timedelta(days=i))


def add_feedback(rows, i):
    from eiso.improvement.feedback_services import feedback_assign, feedback_receive

    procedure = rows.procedure(i)
    rows.process(i, published=True, procedures=[procedure])
    feedback = feedback_receive(actor=None, agency=rows.own, content=f"Phản ánh {i}", submitter_name=f"Người {i}",
                                phone=f"09870000{i:02d}", procedure=procedure)
    if i % 2:
        feedback_assign(actor=None, feedback=feedback, handler=rows.person(i))


def add_survey(rows, i):
    from eiso.improvement.surveys import survey_create, survey_question_add, survey_transition

    survey = survey_create(actor=None, agency=rows.own, title=f"Khảo sát {i}", starts_on=today())
    survey_question_add(actor=None, survey=survey, text=f"Câu hỏi {i}")
    if i % 2:
        survey_transition(actor=None, survey=survey, action="open")


def add_survey_question(rows, i):
    from eiso.improvement.surveys import survey_create, survey_question_add

    survey = survey_create(actor=None, agency=rows.own, title=f"Khảo sát {i}", starts_on=today())
    survey_question_add(actor=None, survey=survey, text=f"Câu hỏi {i}", kind=["rating", "text"][i % 2])


def add_objective(rows, i):
    from eiso.objectives import services

    objective = services.objective_create(actor=None, agency=rows.own, year=YEAR, title=f"Mục tiêu {i}",
                                          owner=rows.person(i))
    indicator = services.indicator_add(actor=None, objective=objective, name=f"Chỉ số {i}", value_source="entered",
                                       unit="%", target=Decimal(90), owner=rows.person(100 + i))
    services.plan_action_add(actor=None, objective=objective, description=f"Kế hoạch {i}", owner=rows.person(200 + i),
                             due_on=today() + dt.timedelta(days=30))
    if i % 2:
        services.objective_approve(actor=None, objective=objective)
        services.measurement_enter(actor=None, indicator=indicator, period_start=dt.date(YEAR, 1, 1), value=91,
                                   evidence="Sổ")


def add_indicator(rows, i):
    from eiso.objectives import services

    objective = services.objective_create(actor=None, agency=rows.own, year=YEAR, title=f"Mục tiêu {i}")
    services.indicator_add(actor=None, objective=objective, name=f"Chỉ số {i}", value_source="entered", unit="người",
                           target=Decimal(10), owner=rows.person(i))


def add_objective_plan(rows, i):
    from eiso.objectives import services

    objective = services.objective_create(actor=None, agency=rows.own, year=YEAR, title=f"Mục tiêu {i}")
    services.plan_action_add(actor=None, objective=objective, description=f"Kế hoạch {i}", owner=rows.person(i),
                             due_on=today() + dt.timedelta(days=i))


def add_policy(rows, i):
    from eiso.objectives.services import policy_draft_save

    policy_draft_save(actor=None, agency=rows.agency(i, province=rows.province), text=f"Chính sách {i}")


def add_context_issue(rows, i):
    from eiso.risks.services import context_issue_create

    context_issue_create(actor=None, agency=rows.own, kind=["internal", "external"][i % 2],
                         description=f"Vấn đề {i}")


def add_interested_party(rows, i):
    from eiso.risks.services import interested_party_create

    interested_party_create(actor=None, agency=rows.own, name=f"Bên quan tâm {i}", requirements="Yêu cầu")


def add_risk(rows, i):
    from eiso.risks.services import risk_action_add, risk_create

    risk = risk_create(actor=None, agency=rows.own, description=f"Rủi ro {i}", likelihood=1 + i % 5,
                       consequence=1 + (i * 2) % 5, treatment="reduce", process=rows.process(i))
    risk_action_add(actor=None, risk=risk, description=f"Biện pháp {i}", owner=rows.person(i),
                    due_on=today() + dt.timedelta(days=7))


def add_risk_action(rows, i):
    from eiso.risks.services import risk_action_add, risk_create

    risk = risk_create(actor=None, agency=rows.own, description=f"Rủi ro {i}", likelihood=3, consequence=3,
                       treatment="reduce", process=rows.process(i))
    risk_action_add(actor=None, risk=risk, description=f"Biện pháp {i}", owner=rows.person(i),
                    due_on=today() + dt.timedelta(days=i))


def _programme(rows, i):
    from eiso.audits import services

    return services.programme_create(actor=None, agency=rows.own, year=YEAR + i, title=f"Chương trình {i}")


def add_programme(rows, i):
    from eiso.audits import services

    programme = _programme(rows, i)
    services.programme_entry_add(actor=None, programme=programme, planned_month=1 + i % 12, process=rows.process(i),
                                 org_unit=rows.unit(i), auditor=rows.person(i, Role.AUDITOR))
    audit = services.audit_create(actor=None, programme=programme, title=f"Đánh giá {i}",
                                  start_on=dt.date(YEAR + i, 5, 12), end_on=dt.date(YEAR + i, 5, 13),
                                  processes=[rows.process(100 + i)], clauses=["9.2"])
    services.audit_team_set(actor=None, audit=audit, lead_auditor=rows.person(100 + i, Role.AUDITOR))
    if i % 2:
        services.programme_approve(actor=None, programme=programme)


def _audit(rows, i):
    from eiso.audits import services

    audit = services.audit_create(actor=None, programme=_programme(rows, i), title=f"Đánh giá {i}",
                                  start_on=dt.date(YEAR + i, 5, 12), end_on=dt.date(YEAR + i, 5, 13),
                                  processes=[rows.process(i)], org_units=[rows.unit(i)], clauses=["9.2", "10.2"])
    services.audit_team_set(actor=None, audit=audit, lead_auditor=rows.person(i, Role.AUDITOR),
                            members=[rows.person(100 + i, Role.AUDITOR)])
    return audit


def add_internal_audit(rows, i):
    _audit(rows, i)


def add_checklist_items(rows, i):
    from eiso.audits import services

    services.checklist_build(actor=None, audit=_audit(rows, i))


def add_audit_finding(rows, i):
    from eiso.audits import services

    audit = _audit(rows, i)
    services.checklist_build(actor=None, audit=audit)
    services.audit_transition(actor=None, audit=audit, action="start")
    services.finding_record(actor=None, audit=audit, grade=["minor", "observation"][i % 2], clause="8.5",
                            description=f"Phát hiện {i}", evidence="Hồ sơ", process=audit.processes.get())


def _review(rows, i):
    from eiso.reviews.services import review_create

    return review_create(actor=None, agency=rows.own, title=f"Xem xét {i}", year=YEAR - i,
                         period_start=dt.date(YEAR - i, 1, 1), period_end=dt.date(YEAR - i, 12, 31),
                         meeting_at=timezone.make_aware(dt.datetime(YEAR - i, 6, 20, 9, 0)),
                         chair=rows.person(i, Role.AGENCY_HEAD), secretary=rows.person(100 + i, Role.ISO_COORDINATOR))


def add_review(rows, i):
    from eiso.reviews.services import review_inputs_assemble

    review = _review(rows, i)
    if i % 2:
        review_inputs_assemble(actor=None, review=review)


def add_review_action(rows, i):
    from eiso.reviews.services import review_action_add, review_hold, review_input_comment, review_inputs_assemble

    review = review_inputs_assemble(actor=None, review=_review(rows, i))
    for review_input in review.inputs.all():
        review_input_comment(actor=None, review_input=review_input, comment="Đã xem")
    review = review_hold(actor=None, review=review)
    review_action_add(actor=None, review=review, kind="improvement", description=f"Hành động {i}",
                      owner=rows.person(200 + i), due_on=today() + dt.timedelta(days=i))


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
