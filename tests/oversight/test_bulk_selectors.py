"""The bulk selectors appended to the audits, reviews, legal and dossiers apps give, for many agencies in one
query, what their one-agency counterparts give."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.audits.selectors import audit_completed_on, audit_completed_on_by_agency
from eiso.legal.selectors import overdue_update_tasks_by_agency, update_tasks_year_state
from eiso.reviews.selectors import review_held_on, review_held_on_by_agency
from tests.oversight.conftest import complete_audit, hold_review, update_task

pytestmark = pytest.mark.django_db


def one_query(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        result = function(*args, **kwargs)
    assert len(queries) == 1
    return result


def test_audits_completed_by_agency_agree_with_audit_completed_on(world):
    audit = complete_audit(world.own, 2025)
    complete_audit(world.sibling, 2024)
    result = one_query(audit_completed_on_by_agency, [world.own.pk, world.sibling.pk, world.foreign.pk])
    assert result == {world.own.pk: {2025: audit.completed_on},
                      world.sibling.pk: {2024: audit_completed_on(agency=world.sibling, year=2024)}}
    assert result[world.own.pk][2025] == audit_completed_on(agency=world.own, year=2025)
    assert one_query(audit_completed_on_by_agency, [world.own.pk], years=[2024]) == {}


def test_a_programme_with_an_audit_not_completed_is_absent(world):
    from eiso.audits import services

    audit = complete_audit(world.own, 2025)
    services.audit_create(actor=None, programme=audit.programme, title="Đợt 2",
                          processes=list(audit.processes.all()), clauses=["9.2"],
                          start_on=dt.date(2025, 10, 1), end_on=dt.date(2025, 10, 2))
    assert audit_completed_on(agency=world.own, year=2025) is None
    assert audit_completed_on_by_agency([world.own.pk]) == {}


def test_reviews_held_by_agency_agree_with_review_held_on(world):
    from eiso.reviews.services import review_create

    held = hold_review(world.own, 2025)
    review_create(actor=None, agency=world.sibling, title="Kế hoạch", year=2025, period_start=dt.date(2025, 1, 1),
                  period_end=dt.date(2025, 12, 31))  # planned only: not held
    result = one_query(review_held_on_by_agency, [world.own.pk, world.sibling.pk])
    assert result == {world.own.pk: {2025: held.held_on}}
    assert result[world.own.pk][2025] == review_held_on(agency=world.own, year=2025)


def test_overdue_update_tasks_by_agency_agree_with_the_year_state(world):
    today = dt.date(2026, 6, 10)
    update_task(world.own, dt.date(2026, 3, 1))
    update_task(world.own, dt.date(2026, 5, 1), code="QT-02")
    update_task(world.own, dt.date(2026, 7, 1), code="QT-03")  # not due yet
    update_task(world.sibling, dt.date(2026, 4, 1), status="closed", closed_at=dt.datetime(2026, 3, 30,
                                                                                           tzinfo=dt.UTC))
    result = one_query(overdue_update_tasks_by_agency, [world.own.pk, world.sibling.pk], today=today)
    assert result == {world.own.pk: 2}
    assert update_tasks_year_state(agency=world.own, year=2026, today=today)["overdue"] == 2


def test_resolved_on_time_by_agency_from_the_tallies(world):
    from eiso.catalog.models import Procedure
    from eiso.dossiers.models import DossierTally
    from eiso.dossiers.selectors import resolved_on_time_by_agency

    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký kết hôn")
    for month, early, on_time, late in ((1, 2, 3, 1), (5, 0, 4, 0)):
        DossierTally.objects.create(agency=world.own, procedure=procedure, month=dt.date(2026, month, 1),
                                    early=early, on_time=on_time, late=late)
    DossierTally.objects.create(agency=world.own, procedure=procedure, month=dt.date(2025, 12, 1), late=7)
    DossierTally.objects.create(agency=world.sibling, procedure=procedure, month=dt.date(2026, 2, 1), received=3)
    result = one_query(resolved_on_time_by_agency, [world.own.pk, world.sibling.pk], year=2026)
    assert result == {world.own.pk: (10, 9)}
