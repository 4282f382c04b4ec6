"""Row makers: the qms year: improvement, objectives, risks, audits, reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from eiso.core.permissions import Role
from tests.query_budgets.rows.base import YEAR, today

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
