"""Two heads approving the same revision at the same moment, on two database connections: one approval
is recorded, the other gets a conflict, and the revision carries exactly one approval."""

import threading

import pytest
from django.db import close_old_connections, connection

from eiso.core.errors import ConflictError
from eiso.documents.models import Revision
from eiso.documents.services import revision_transition
from tests.documents.conftest import new_document
from tests.factories import user_with_role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the test suite's in-memory SQLite database locks whole tables and fails instead of waiting; row "
        "locks are PostgreSQL's (production); SQLite deployments serialise writers with BEGIN IMMEDIATE",
    ),
]


def test_two_simultaneous_approvals_record_one(world):
    document = new_document(world.own, "CSCL", "Chính sách chất lượng")
    revision = revision_transition(actor=world.users["iso_coordinator"], revision=document.revisions.get(),
                                   action="submit")
    heads = [world.users["agency_head"], user_with_role("agency_head", world.own)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(head):
        stale = Revision.objects.get(pk=revision.pk)  # both loaded the revision "in review"
        barrier.wait()
        try:
            revision_transition(actor=head, revision=stale, action="approve")
            outcomes.append(("approved", head.pk))
        except ConflictError:
            outcomes.append(("conflict", head.pk))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve, args=(head,)) for head in heads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then
    assert sorted(kind for kind, _ in outcomes) == ["approved", "conflict"]
    revision.refresh_from_db()
    winner = next(pk for kind, pk in outcomes if kind == "approved")
    assert (revision.status, revision.approved_by_id) == ("approved", winner)
    assert revision.events.filter(action="approve").count() == 1
