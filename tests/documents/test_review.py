"""Periodic review of documents in force: which are due, and confirming a review."""

import datetime as dt

import pytest
from django.urls import reverse

from eiso.core.dates import add_months
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import today
from eiso.documents.models import Document, RevisionEvent
from eiso.documents.selectors import documents_due_for_review
from eiso.documents.services import document_review_confirm, revision_start
from tests.documents.conftest import member, new_document, publish

pytestmark = pytest.mark.django_db


def due(agency, on):
    return {row.document.code: (row.due_on, row.state) for row in documents_due_for_review(agency=agency, on=on)}


@pytest.fixture
def manual(world):
    """The quality manual of `own`, in force since 15/01/2025, reviewed every 12 months."""
    document = new_document(world.own, "STCL", "Sổ tay chất lượng", kind="manual")
    publish(document, effective_on=dt.date(2025, 1, 15))
    return Document.objects.get(pk=document.pk)


@pytest.mark.parametrize("on,expected", [
    (dt.date(2025, 12, 15), None),  # due in 31 days: not yet listed
    (dt.date(2025, 12, 16), "upcoming"),  # due in exactly 30 days
    (dt.date(2026, 1, 15), "upcoming"),  # due today: not yet late
    (dt.date(2026, 1, 16), "overdue"),  # one day late
])
def test_a_document_is_listed_30_days_before_its_review_and_overdue_the_day_after(world, manual, on, expected):
    result = due(world.own, on)
    assert result == ({} if expected is None else {"STCL": (dt.date(2026, 1, 15), expected)})


def test_the_interval_counts_from_the_last_confirmed_review(world, manual):
    # a review confirmed on 01/06/2025 moves the next one to 01/06/2026
    Document.objects.filter(pk=manual.pk).update(last_reviewed_on=dt.date(2025, 6, 1))
    assert due(world.own, dt.date(2026, 1, 16)) == {}
    assert due(world.own, dt.date(2026, 6, 2)) == {"STCL": (dt.date(2026, 6, 1), "overdue")}
    # a review older than the issue in force does not count: the effective date does
    Document.objects.filter(pk=manual.pk).update(last_reviewed_on=dt.date(2024, 3, 1))
    assert due(world.own, dt.date(2026, 1, 16)) == {"STCL": (dt.date(2026, 1, 15), "overdue")}


def test_only_published_documents_of_the_agency_with_an_interval_are_listed(world, manual):
    # given: a 6-month document in force since 31/08/2025 (due 28/02/2026), one without periodic review,
    # a draft, and the sibling agency's overdue manual
    six = new_document(world.own, "CSCL")
    publish(six, effective_on=dt.date(2025, 8, 31))
    Document.objects.filter(pk=six.pk).update(review_interval_months=6)
    never = new_document(world.own, "HD-01")
    publish(never, effective_on=dt.date(2020, 1, 1))
    Document.objects.filter(pk=never.pk).update(review_interval_months=0)
    new_document(world.own, "NHAP")
    publish(new_document(world.sibling, "STCL-BH"), effective_on=dt.date(2020, 1, 1))
    # then: sorted by due date
    rows = documents_due_for_review(agency=world.own, on=dt.date(2026, 2, 1))
    assert [(r.document.code, r.due_on, r.state) for r in rows] == [
        ("STCL", dt.date(2026, 1, 15), "overdue"), ("CSCL", dt.date(2026, 2, 28), "upcoming")]


def test_a_new_issue_restarts_the_interval(world, manual):
    revision_start(actor=None, document=manual)
    assert due(world.own, dt.date(2026, 1, 16)) == {"STCL": (dt.date(2026, 1, 15), "overdue")}  # draft: no change
    publish(manual, effective_on=dt.date(2026, 1, 10))
    assert due(world.own, dt.date(2026, 1, 16)) == {}


# --- Confirming a review ----------------------------------------------------------------------------------


def test_the_coordinator_confirms_a_review_with_a_comment(world, manual):
    coordinator = world.users["iso_coordinator"]
    document = document_review_confirm(actor=coordinator, document=manual, comment="  Còn phù hợp  ")
    assert document.last_reviewed_on == today()
    event = RevisionEvent.objects.get(action="periodic_review")
    assert (event.revision, event.actor, event.comment) == (manual.current_revision, coordinator, "Còn phù hợp")
    entry = AuditLogEntry.objects.filter(object_id=str(manual.pk)).first()
    assert entry.changes == {"last_reviewed_on": [None, today().isoformat()]}
    assert entry.note == "periodic review: Còn phù hợp"
    assert documents_due_for_review(agency=world.own, on=today()) == []


@pytest.mark.parametrize("role", ["staff", "auditor", "consultant", "supervisor"])
def test_others_cannot_confirm_a_review(world, manual, role):
    audit = AuditLogEntry.objects.count()
    with pytest.raises(PermissionDeniedError):
        document_review_confirm(actor=world.users[role], document=manual, comment="x")
    manual.refresh_from_db()
    assert manual.last_reviewed_on is None
    assert AuditLogEntry.objects.count() == audit and not RevisionEvent.objects.filter(action="periodic_review")


def test_a_document_without_a_published_issue_cannot_be_confirmed(world):
    draft = new_document(world.own, "NHAP")
    with pytest.raises(ApplicationError) as refused:
        document_review_confirm(actor=world.users["agency_head"], document=draft)
    assert refused.value.code == "revision_not_published"
    draft.refresh_from_db()
    assert draft.last_reviewed_on is None


# --- The page ---------------------------------------------------------------------------------------------


@pytest.fixture
def overdue(world):
    document = new_document(world.own, "STCL", "Sổ tay chất lượng", kind="manual")
    publish(document, effective_on=add_months(today(), -13))
    return Document.objects.get(pk=document.pk)


def test_the_coordinator_lists_due_documents_and_confirms_from_the_page(client, world, overdue):
    client.force_login(world.users["iso_coordinator"])
    page = client.get(reverse("documents:review_due")).content.decode()
    assert "Sổ tay chất lượng" in page and 'data-state="overdue"' in page
    assert reverse("documents:review_confirm", args=[overdue.pk]) in page
    assert reverse("documents:review_due") in client.get(reverse("core:home")).content.decode()  # in the menu
    response = client.post(reverse("documents:review_confirm", args=[overdue.pk]),
                           {"comment": "Đã rà soát", "next": reverse("documents:review_due")})
    assert response.status_code == 302 and response.url == reverse("documents:review_due")
    overdue.refresh_from_db()
    assert overdue.last_reviewed_on == today()
    assert "Sổ tay chất lượng" not in client.get(reverse("documents:review_due")).content.decode()


def test_the_page_filters_overdue_and_upcoming(client, world, overdue):
    soon = new_document(world.own, "CSCL", "Chính sách chất lượng")
    publish(soon, effective_on=add_months(today(), -12) + dt.timedelta(days=10))
    client.force_login(world.users["agency_head"])
    def listed(query=""):  # the page's content, not the menu (which has a "Quality policy" entry)
        return client.get(reverse("documents:review_due") + query).content.decode().split("<main>", 1)[1]

    everything, late, upcoming = listed(), listed("?state=overdue"), listed("?state=upcoming")
    assert "Sổ tay chất lượng" in everything and "Chính sách chất lượng" in everything
    assert "Sổ tay chất lượng" in late and "Chính sách chất lượng" not in late
    assert "Sổ tay chất lượng" not in upcoming and "Chính sách chất lượng" in upcoming


@pytest.mark.parametrize("role", ["staff", "auditor", "consultant", "supervisor"])
def test_only_the_head_and_the_coordinator_open_the_page(client, world, overdue, role):
    client.force_login(world.users[role])
    assert client.get(reverse("documents:review_due")).status_code == 403
    assert reverse("documents:review_due") not in client.get(reverse("core:home")).content.decode()
    assert client.post(reverse("documents:review_confirm", args=[overdue.pk])).status_code == 403
    overdue.refresh_from_db()
    assert overdue.last_reviewed_on is None


def test_a_coordinator_of_another_agency_sees_none_of_it(client, world, overdue):
    outsider = member(world.foreign, role="iso_coordinator")
    client.force_login(outsider)
    assert "Sổ tay chất lượng" not in client.get(reverse("documents:review_due")).content.decode()
    assert client.post(reverse("documents:review_confirm", args=[overdue.pk])).status_code == 404
    overdue.refresh_from_db()
    assert overdue.last_reviewed_on is None
