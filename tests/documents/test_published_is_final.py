"""A published issue is final: no interface changes its content or removes it (eiso.core.frozen). Only its lifecycle
moves: superseded by the next issue or withdrawn, with the moment it ended. Who approved it and when stay recorded."""

import pytest
from django.urls import reverse

from eiso.core.errors import ApplicationError
from eiso.documents.models import Revision
from eiso.documents.services import revision_start, revision_transition, revision_update
from tests.documents.conftest import new_document, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    document = new_document(world.own, "QT-01", "Quy trình kiểm soát tài liệu")
    document.revisions.update(change_summary="Ban hành lần đầu")  # still a draft: allowed
    return publish(document)


def _stored(revision):
    return Revision.objects.values("content", "change_summary", "effective_on", "approved_by", "approved_at",
                                   "status").get(pk=revision.pk)


def test_the_approval_is_recorded_with_who_when_and_which_issue(world):
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    revision = new_document(world.own, "QT-02").revisions.get()
    revision = revision_transition(actor=coordinator, revision=revision, action="submit")
    revision = revision_transition(actor=head, revision=revision, action="approve")
    revision = revision_transition(actor=coordinator, revision=revision, action="publish")
    stored = Revision.objects.get(pk=revision.pk)
    event = stored.events.get(action="approve")
    assert (stored.approved_by, event.actor, event.to_status) == (head, head, "approved")
    assert stored.approved_at is not None and stored.approved_at <= event.created_at
    assert (stored.number, stored.status) == (1, "published")


def test_revision_update_refuses_it(world, published):
    before = _stored(published)
    with pytest.raises(ApplicationError):
        revision_update(actor=world.users["iso_coordinator"], revision=published, change_summary="Sửa qua dịch vụ")
    assert _stored(published) == before


def test_saving_a_changed_published_issue_is_refused(published):
    before = _stored(published)
    for field, value in (("change_summary", "Sửa lén"), ("content", {"sections": []}),
                         ("effective_on", published.effective_on.replace(year=2000))):
        revision = Revision.objects.get(pk=published.pk)
        setattr(revision, field, value)
        with pytest.raises(ApplicationError) as refused:
            revision.save()
        assert refused.value.code == "revision_published"
    assert _stored(published) == before


def test_bulk_updates_and_deletes_are_refused(published):
    before = _stored(published)
    with pytest.raises(ApplicationError):
        Revision.objects.filter(pk=published.pk).update(change_summary="Sửa hàng loạt")
    with pytest.raises(ApplicationError):
        Revision.objects.filter(pk=published.pk).delete()
    with pytest.raises(ApplicationError):
        Revision.objects.get(pk=published.pk).delete()
    assert _stored(published) == before


def test_a_published_issue_cannot_go_back_to_draft(published):
    revision = Revision.objects.get(pk=published.pk)
    revision.status = "draft"
    with pytest.raises(ApplicationError):
        revision.save()
    assert _stored(published)["status"] == "published"


def test_the_workflow_refuses_to_act_on_it_again(world, published):
    with pytest.raises(ApplicationError):
        revision_transition(actor=world.users["agency_head"], revision=published, action="approve")
    assert _stored(published)["status"] == "published"


def test_its_lifecycle_still_moves_when_the_next_issue_is_published(world, published):
    before = _stored(published)
    revision_start(actor=world.users["iso_coordinator"], document=published.document)
    second = publish(published.document)
    old = Revision.objects.get(pk=published.pk)
    assert (old.status, second.status) == ("superseded", "published")
    assert old.ended_at is not None
    assert {k: v for k, v in _stored(old).items() if k != "status"} == \
        {k: v for k, v in before.items() if k != "status"}


def test_the_summary_page_does_not_reach_the_published_issue(client, world, published):
    before = _stored(published)
    client.force_login(world.users["iso_coordinator"])
    client.post(reverse("documents:revision_summary", args=[published.document_id]),
                {"change_summary": "Sửa qua trang", "change_location": "Mục 1"})
    assert _stored(published) == before
