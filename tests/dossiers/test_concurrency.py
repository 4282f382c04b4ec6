"""Concurrency on PostgreSQL, on separate database connections: 50 receipts in the same second get 50
distinct consecutive codes; two officers handing over the same step at once record one hand-over."""

import threading

import pytest
from django.db import close_old_connections, connection

from eiso.core.errors import ConflictError
from eiso.dossiers.choices import DossierStatus
from eiso.dossiers.models import Dossier, DossierStep, DossierTally
from eiso.dossiers.services import dossier_step_complete
from tests.dossiers.conftest import frozen
from tests.factories import user_with_role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the test suite's in-memory SQLite database locks whole tables and fails instead of waiting; row "
        "locks are PostgreSQL's (production); SQLite deployments serialise writers with BEGIN IMMEDIATE",
    ),
]


def run_together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    outcomes = []

    def run(index):
        try:
            barrier.wait()
            outcomes.append(work(index))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_fifty_receipts_in_the_same_second_get_fifty_distinct_codes(world, receive):
    receive("2026-11-25 09:00")  # the first of the day, before the burst

    def one(index):
        return receive("2026-11-25 09:30").code

    codes = run_together(50, one)
    assert not [c for c in codes if isinstance(c, Exception)], codes
    prefix = f"{world.own.code}-261125-"
    assert sorted(codes) == [f"{prefix}{n:04d}" for n in range(2, 52)]
    assert Dossier.objects.filter(status=DossierStatus.IN_PROGRESS).count() == 51
    assert DossierTally.objects.get(agency=world.own).received == 51  # no lost update of the statistics


def test_two_officers_handing_over_the_same_step_at_once_record_one(world, receive):
    dossier = receive("2026-11-25 08:00")
    officers = [world.users["staff"], world.users["iso_coordinator"]]
    step = dossier.steps.get(order=1)
    next_officer = user_with_role("staff", world.own)

    def one(index):
        stale = DossierStep.objects.select_related("dossier").get(pk=step.pk)
        try:
            dossier_step_complete(actor=officers[index], step=stale, assignee=next_officer)
            return "done"
        except ConflictError:
            return "conflict"

    with frozen("2026-11-25 09:00"):  # patched once, outside the threads
        outcomes = run_together(2, one)
    assert sorted(outcomes) == ["conflict", "done"]
    assert dossier.steps.filter(finished_at__isnull=False).count() == 1
    assert dossier.steps.get(order=2).assignee == next_officer
    assert dossier.events.filter(action="hand_over").count() == 1
