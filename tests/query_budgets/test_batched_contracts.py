"""The batched contract functions (`<name>_many`) that keep the compliance lists and the PAR province page at a
constant number of queries answer exactly what their one-agency counterparts answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eiso.compliance import contracts, selectors
from eiso.compliance.models import ComplianceItem
from eiso.compliance.obligations import REPORT_SUBMITTED_ON
from eiso.compliance.selectors import default_items, item_state, item_states
from eiso.core.permissions import Role
from eiso.legal.models import LegalDocument, UpdateTask
from eiso.legal.selectors import update_tasks_year_state, update_tasks_year_state_many
from eiso.par import selectors as par
from eiso.par.rules import CURRENT_ANNOUNCEMENT, late_closed_updates
from tests.factories import user_with_role
from tests.qms_records import complete_audit, hold_review, publish_process
from tests.query_budgets.rows import Rows, add_par_criterion

YEAR = timezone.localdate().year
DATED = [contracts.OBJECTIVES_SET_ON, contracts.AUDIT_COMPLETED_ON, contracts.REVIEW_HELD_ON,
         contracts.EFFECTIVENESS_CONFIRMED_ON, REPORT_SUBMITTED_ON]


@pytest.fixture
def agencies(world):
    """own: a full year (objectives approved, audit completed, review held and effectiveness confirmed, announced);
    sibling: a draft objective, an overdue update task and one closed after its deadline; a third with nothing."""
    from eiso.announcements.services import announcement_record
    from eiso.objectives import services as objectives
    from eiso.reviews.models import ManagementReview

    rows = Rows(world=world)
    own, sibling, empty = world.own, world.sibling, rows.agency(1)
    approved = objectives.objective_create(actor=None, agency=own, year=YEAR, title="Mục tiêu")
    objectives.indicator_add(actor=None, objective=approved, name="Tỷ lệ", value_source="entered", unit="%",
                             target=90)
    objectives.objective_approve(actor=None, objective=approved)
    objectives.objective_create(actor=None, agency=sibling, year=YEAR, title="Nháp")
    complete_audit(own, YEAR)
    review = hold_review(own, YEAR)
    ManagementReview.objects.filter(pk=review.pk).update(effectiveness_confirmed_at=timezone.now())
    announcement_record(actor=None, agency=own, signed_on=dt.date(YEAR, 3, 2), number=7, signer_name="Người ký",
                        procedures=[])
    _update_tasks(sibling)
    return [own, sibling, empty]


def _update_tasks(agency):
    from eiso.documents.models import Document
    from eiso.legal.services import legal_document_record, update_task_dismiss

    for n, code in enumerate(("QT-L1", "QT-L2"), start=1):
        basis = LegalDocument.objects.create(doc_type="circular", number=f"{n}/2020/TT-BTP", key=f"{n}/2020/TT-BTP")
        basis.documents.add(Document.objects.get(process=publish_process(agency, code=code)))
        legal_document_record(actor=None, number=f"{n}/{YEAR}/TT-BTP", relations=[("replaces", basis)],
                              effective_on=dt.date(YEAR, 1, 2) if timezone.localdate() > dt.date(YEAR, 6, 1)
                              else dt.date(YEAR - 1, 1, 2))
    tasks = list(UpdateTask.objects.filter(agency=agency).order_by("pk"))
    assert len(tasks) == 2
    update_task_dismiss(actor=user_with_role(Role.ISO_COORDINATOR, agency), task=tasks[0], justification="Không")


def test_contracts_answer_for_many_agencies_as_for_one_at_a_time(agencies):
    _dated_contracts(agencies)
    _update_task_states(agencies)
    _current_announcements(agencies)


def _dated_contracts(agencies):
    years = [YEAR - 1, YEAR]
    for path in DATED:
        function = contracts.resolve(path)
        many = getattr(__import__(function.__module__, fromlist=["x"]), f"{function.__name__}_many")
        answers = many(agency_ids=[a.pk for a in agencies], years=years)
        expected = {(a.pk, y): function(agency=a, year=y) for a in agencies for y in years}
        assert {k: v for k, v in expected.items() if v is not None} == answers, path
    assert any(v for path in DATED[:4] for v in [contracts.resolve(path)(agency=agencies[0], year=YEAR)]), \
        "the full year answers dates (the comparison is not between two empty answers)"


def _update_task_states(agencies):
    today = timezone.localdate()
    states = update_tasks_year_state_many(agency_ids=[a.pk for a in agencies], years=[YEAR - 1, YEAR], today=today)
    for agency in agencies:
        for year in (YEAR - 1, YEAR):
            state = dict(states[(agency.pk, year)])
            assert state.pop("late_closed") == late_closed_updates(agency=agency, year=year)
            assert state == update_tasks_year_state(agency=agency, year=year, today=today)
    assert states[(agencies[1].pk, YEAR)]["overdue"] + states[(agencies[1].pk, YEAR - 1)]["overdue"] >= 1


def _current_announcements(agencies):
    function = contracts.resolve(CURRENT_ANNOUNCEMENT)
    from eiso.announcements.selectors import current_announcement_many

    answers = current_announcement_many(agency_ids=[a.pk for a in agencies])
    assert answers == {a.pk: function(a) for a in agencies if function(a) is not None}
    assert agencies[0].pk in answers


def test_compliance_lists_give_the_statuses_of_one_item_at_a_time(agencies, world):
    for agency in agencies[:2]:
        ComplianceItem.objects.bulk_create(default_items(agency=agency, year=YEAR))
    _item_states(agencies)
    _province_overview(agencies, world)


def _item_states(agencies):
    items = list(ComplianceItem.objects.select_related("agency").order_by("agency__name", "obligation"))
    batched = item_states(items)
    single = [item_state(i) for i in items]
    assert [(s.item.pk, s.status, s.due_on, s.done_on, s.note) for s in batched] == \
        [(s.item.pk, s.status, s.due_on, s.done_on, s.note) for s in single]
    assert {s.status for s in batched} >= {"done"}


def _province_overview(agencies, world):
    rows = selectors.province_overview(user=world.users["supervisor"], year=YEAR)
    by_agency = {row.agency.pk: row for row in rows}
    for agency in agencies:
        states = selectors.year_states(agency=agency, year=YEAR)
        row = by_agency[agency.pk]
        assert [s.item.obligation for s in row.overdue] == [s.item.obligation for s in states
                                                              if s.status == "overdue"]
        assert row.is_open == (agency in agencies[:2])


def test_par_province_scores_equal_the_agency_scores(agencies, world):
    rows = Rows(world=world)
    for n in range(2):
        add_par_criterion(rows, n)
    criteria, scores = par.province_scores(province=world.province, year=YEAR)
    assert criteria
    for score in scores:
        alone = par.agency_score(agency=score.agency, year=YEAR, criteria=criteria)
        assert [(s.criterion.pk, s.points, [(i.key, i.met, i.detail) for i in s.items]) for s in score.scores] == \
            [(s.criterion.pk, s.points, [(i.key, i.met, i.detail) for i in s.items]) for s in alone.scores]
