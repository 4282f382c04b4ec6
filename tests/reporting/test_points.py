"""The Art. 36 points as eISO's records show them: each from the real records of its app, or from a contract; a
contract not available answers None ("not available"), never an error."""

import datetime as dt

import pytest
from django.utils import timezone

from eiso.catalog.models import Procedure
from eiso.compliance import contracts
from eiso.documents.models import RevisionRecipient
from eiso.documents.services import revision_acknowledge, revision_distribute
from eiso.improvement.feedback_services import feedback_receive, feedback_respond
from eiso.improvement.models import Feedback
from eiso.legal.models import UpdateTask
from eiso.processes.services import process_create
from eiso.reporting import points
from eiso.reporting.points import KEYS, POINTS, point_states
from tests.reporting.conftest import TODAY, YEAR, publish_process, qms_of

pytestmark = pytest.mark.django_db


def state(agency, key, today=TODAY, year=YEAR):
    return {s.key: s for s in point_states(agency=agency, year=year, today=today)}[key]


def test_the_points_are_those_of_article_36_in_order():
    assert KEYS == (
        "scope_covers_procedures", "documents_disseminated", "requirements_complied", "processes_executed",
        "review_audit_corrective", "complaints_handled", "improvements_made", "leadership_participation",
        "effectiveness_confirmed", "announcement_made", "legal_changes_within_3_months",
        "reannounced_on_scope_change", "consultant_licensed")
    assert all(str(p.title) and str(p.basis) for p in POINTS)


def test_every_point_is_answered_for_an_agency_with_nothing(world):
    states = point_states(agency=world.sibling, year=YEAR, today=TODAY)
    assert [s.key for s in states] == list(KEYS)
    assert all(s.title and s.detail for s in states)
    by_key = {s.key: s.met for s in states}
    assert by_key["scope_covers_procedures"] is False and by_key["effectiveness_confirmed"] is False
    assert by_key["complaints_handled"] is True  # nothing to handle


def test_a_commune_scope_is_compared_with_the_commune_catalogue(world):
    # given three commune-level procedures of the catalogue and a province-level one
    births, marriages, deaths = (Procedure.objects.create(code=code, name=name, is_commune_level=True) for code, name
                                 in (("1.001193", "Đăng ký khai sinh"), ("1.000894", "Đăng ký kết hôn"),
                                     ("1.000656", "Đăng ký khai tử")))
    Procedure.objects.create(code="2.000001", name="Cấp phép", is_province_level=True)
    # two of them have a process in force, the third only a draft process
    publish_process(world.own, "QT-01", procedures=[births])
    publish_process(world.own, "QT-02", procedures=[marriages])
    process_create(actor=None, qms=qms_of(world.own), kind="procedure", code="QT-03",
                   title="Quy trình đăng ký khai tử").procedures.set([deaths])
    # then
    result = state(world.own, "scope_covers_procedures")
    assert result.met is False and result.detail.startswith("2/3 procedures of the catalogue")
    assert points.scope_counts(world.own) == {"adopted": 3, "published": 2, "catalogue": 3, "covered": 2}


def test_a_department_scope_compares_adopted_and_published_processes(world):
    publish_process(world.dost, "QT-01")
    process_create(actor=None, qms=qms_of(world.dost), kind="procedure", code="QT-02", title="Quy trình 2")
    result = state(world.dost, "scope_covers_procedures")
    assert result.met is False and "1/2 procedure processes in force" in result.detail
    assert "catalogue does not say" in result.detail
    assert points.scope_counts(world.dost)["catalogue"] is None


def test_documents_disseminated_when_every_document_in_force_is_read(world):
    process = publish_process(world.own, "QT-01")
    revision = process.document.current_revision
    reader = world.users["staff"]
    revision_distribute(actor=world.users["iso_coordinator"], revision=revision, users=[reader])
    before = state(world.own, "documents_disseminated")
    assert before.met is False and before.detail == "1/1 documents in force distributed; 0/1 confirmations of reading"
    revision_acknowledge(actor=reader, recipient=RevisionRecipient.objects.get(user=reader))
    assert state(world.own, "documents_disseminated").met is True


def test_processes_executed_from_dossiers_or_unknown(world):
    from eiso.dossiers.models import DossierTally

    assert state(world.own, "processes_executed").met is False  # no process in force
    publish_process(world.own, "QT-01")
    assert state(world.own, "processes_executed").met is None  # in force, no dossier in eISO: cannot tell
    procedure = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", is_commune_level=True)
    DossierTally.objects.create(agency=world.own, procedure=procedure, month=dt.date(YEAR, 3, 1), received=4)
    result = state(world.own, "processes_executed")
    assert result.met is True and "4 dossiers received in 2026" in result.detail


def test_legal_changes_past_their_three_months_are_not_met(world):
    document = publish_process(world.own, "QT-01").document
    UpdateTask.objects.create(agency=world.own, document=document, reason="legal_change", summary="Thông tư mới",
                              starts_on=dt.date(YEAR, 5, 1), due_on=dt.date(YEAR, 8, 1), status="open")
    result = state(world.own, "legal_changes_within_3_months")
    assert result.met is False and result.detail.startswith("1 update tasks past their 3-month deadline")
    assert state(world.own, "legal_changes_within_3_months", today=dt.date(YEAR, 7, 1)).met is True


def test_complaints_answered_late_or_overdue_are_not_met(world):
    feedback = feedback_receive(actor=None, agency=world.own, content="Đề nghị niêm yết mẫu tờ khai",
                                submitter_name="Nguyễn Văn A", phone="0912345678",
                                received_at=timezone.make_aware(dt.datetime(YEAR, 3, 2, 9)))
    result = state(world.own, "complaints_handled")
    assert result.met is False and "1 overdue without an answer" in result.detail
    feedback_respond(actor=world.users["iso_coordinator"], feedback=feedback, response="Đã niêm yết")
    Feedback.objects.filter(pk=feedback.pk).update(answered_at=timezone.make_aware(dt.datetime(YEAR, 3, 5, 9)))
    assert state(world.own, "complaints_handled").met is True


def test_points_from_the_qms_year_contracts(world, monkeypatch):
    answers = {contracts.AUDIT_COMPLETED_ON: dt.date(YEAR, 6, 16), contracts.REVIEW_HELD_ON: dt.date(YEAR, 10, 20),
               contracts.EFFECTIVENESS_CONFIRMED_ON: dt.date(YEAR, 10, 21),
               contracts.OBJECTIVES_SET_ON: dt.date(YEAR, 1, 6)}
    monkeypatch.setattr(contracts, "resolve", lambda path: (lambda **kw: answers[path]) if path in answers else None)
    review = state(world.own, "review_audit_corrective")
    assert review.met is True and "16/06/2026" in review.detail and "20/10/2026" in review.detail
    assert state(world.own, "effectiveness_confirmed").detail == "Confirmed on 21/10/2026"
    # objectives set but no quality policy in force
    assert state(world.own, "requirements_complied").met is False


def test_contracts_not_available_answer_none(world, monkeypatch):
    monkeypatch.setattr(contracts, "resolve", lambda path: None)
    states = {s.key: s for s in point_states(agency=world.own, year=YEAR, today=TODAY)}
    for key in ("announcement_made", "reannounced_on_scope_change", "consultant_licensed", "effectiveness_confirmed",
                "review_audit_corrective", "requirements_complied"):
        assert (states[key].met, states[key].available) == (None, False), key
    assert states["documents_disseminated"].available  # read from eISO's own records


def test_announcement_and_consultant_from_their_contracts(world, monkeypatch):
    reasons = ["Thêm 5 thủ tục mới vào phạm vi"]
    fake = {points.CURRENT_ANNOUNCEMENT: lambda agency: "Quyết định số 15/QĐ-UBND ngày 05/01/2026",
            points.REANNOUNCEMENT_DUE: lambda agency: reasons,
            points.CONSULTANT_LICENSED: lambda *, agency, on: on == dt.date(YEAR, 11, 20)}
    monkeypatch.setattr(contracts, "resolve", lambda path: fake.get(path))
    states = {s.key: s for s in point_states(agency=world.own, year=YEAR, today=TODAY)}
    assert states["announcement_made"].met is True and "15/QĐ-UBND" in states["announcement_made"].detail
    assert states["reannounced_on_scope_change"].met is False and reasons[0] in states[
        "reannounced_on_scope_change"].detail
    assert states["consultant_licensed"].met is True  # asked on the day (not after the year)
    # a past year is judged on its last day
    assert state(world.own, "consultant_licensed", year=YEAR - 1).met is False


def test_no_consultant_and_no_announcement(world, monkeypatch):
    fake = {points.CURRENT_ANNOUNCEMENT: lambda agency: None, points.REANNOUNCEMENT_DUE: lambda agency: [],
            points.CONSULTANT_LICENSED: lambda *, agency, on: None}
    monkeypatch.setattr(contracts, "resolve", lambda path: fake.get(path))
    states = {s.key: s for s in point_states(agency=world.own, year=YEAR, today=TODAY)}
    assert states["announcement_made"].met is False
    assert states["reannounced_on_scope_change"].met is None and states["reannounced_on_scope_change"].available
    assert states["consultant_licensed"].met is None and states["consultant_licensed"].available


def test_the_real_contracts_of_the_other_apps_answer(world):
    """The providers built alongside exist at the end; each answers for an agency that has nothing."""
    states = {s.key: s for s in point_states(agency=world.own, year=YEAR, today=TODAY)}
    for key in ("announcement_made", "reannounced_on_scope_change", "consultant_licensed"):
        assert states[key].available, f"{key}: its contract is missing"
