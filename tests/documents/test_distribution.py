"""Distribution of a published revision and acknowledgement by its recipients (ISO 9001 7.5.3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.documents.models import RevisionRecipient
from eiso.documents.selectors import documents_to_read, to_read_count
from eiso.documents.services import revision_acknowledge, revision_distribute, revision_start
from eiso.organizations.models import QMS
from eiso.processes.services import process_create, process_steps_replace, process_transition
from tests.documents.conftest import member, new_document, publish

pytestmark = pytest.mark.django_db


def recipients(revision):
    return set(RevisionRecipient.objects.filter(revision=revision).values_list("user__username", flat=True))


def names(*users):
    return {u.username for u in users}


# --- Distribution ---------------------------------------------------------------------------------------------


def test_distributing_to_a_unit_reaches_the_active_people_of_the_unit_and_its_sub_units(world, cast, policy):
    # given: the published quality policy of `own`
    coordinator = world.users["iso_coordinator"]
    # when
    rows = revision_distribute(actor=coordinator, revision=policy.current_revision, org_units=[cast.unit])
    # then: alice (the unit) and bob (its sub-unit); not carol (another unit), dave (another agency),
    # erin (role ended) nor frank (deactivated)
    assert recipients(policy.current_revision) == names(cast.alice, cast.bob)
    assert {r.user_id for r in rows} == {cast.alice.pk, cast.bob.pk}
    row = RevisionRecipient.objects.get(user=cast.bob)
    assert (row.org_unit, row.distributed_by, row.agency, row.acknowledged_at, row.reminder_count) == (
        cast.unit, coordinator, world.own, None, 0)
    entry = AuditLogEntry.objects.filter(object_id=str(policy.current_revision.pk)).first()
    assert entry.changes == {"recipients": [0, 2]}
    assert entry.actor == coordinator and "Bộ phận Một cửa" in entry.note


def test_distributing_again_adds_only_new_people(world, cast, policy):
    head = world.users["agency_head"]
    revision_distribute(actor=head, revision=policy.current_revision, org_units=[cast.unit])
    first = RevisionRecipient.objects.get(user=cast.alice)
    # when: the unit again, plus carol by name and alice by name
    rows = revision_distribute(actor=head, revision=policy.current_revision, org_units=[cast.unit],
                               users=[cast.carol, cast.alice])
    # then: only carol is added; alice keeps her first row
    assert [r.user_id for r in rows] == [cast.carol.pk]
    assert RevisionRecipient.objects.get(user=cast.carol).org_unit is None
    assert RevisionRecipient.objects.get(user=cast.alice).distributed_at == first.distributed_at
    assert recipients(policy.current_revision) == names(cast.alice, cast.bob, cast.carol)
    # and nothing new at all writes nothing
    audit = AuditLogEntry.objects.count()
    assert revision_distribute(actor=head, revision=policy.current_revision, users=[cast.carol]) == []
    assert AuditLogEntry.objects.count() == audit


def test_everyone_reaches_every_active_member_of_the_agency_and_no_one_else(world, cast, policy):
    revision_distribute(actor=world.users["iso_coordinator"], revision=policy.current_revision, everyone=True)
    role_users = [world.users[r] for r in ("agency_head", "iso_coordinator", "staff", "auditor", "consultant")]
    assert recipients(policy.current_revision) == names(*role_users, cast.alice, cast.bob, cast.carol)


REFUSALS = {
    "draft revision": ("revision_not_published", "iso_coordinator", lambda w, c, d: {}),
    "unit of another agency": ("foreign_org_unit", "iso_coordinator", lambda w, c, d: {"org_units": [w.sibling_unit]}),
    "person of another agency": ("not_a_member", "iso_coordinator", lambda w, c, d: {"users": [c.dave]}),
    "former member": ("not_a_member", "iso_coordinator", lambda w, c, d: {"users": [c.erin]}),
    "nobody chosen": ("no_recipients", "agency_head", lambda w, c, d: {}),
    "staff": ("permission_denied", "staff", lambda w, c, d: {"org_units": [c.unit]}),
    "consultant": ("permission_denied", "consultant", lambda w, c, d: {"org_units": [c.unit]}),
    "auditor": ("permission_denied", "auditor", lambda w, c, d: {"org_units": [c.unit]}),
    "supervisor": ("permission_denied", "supervisor", lambda w, c, d: {"org_units": [c.unit]}),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_distributions_change_nothing(world, cast, policy, case):
    # given: the published policy, already sent to carol; a draft document for the first case
    code, role, arguments = REFUSALS[case]
    revision_distribute(actor=None, revision=policy.current_revision, users=[cast.carol])
    revision = policy.current_revision
    if case == "draft revision":
        revision = revision_start(actor=None, document=policy)
        arguments = lambda w, c, d: {"org_units": [c.unit]}  # noqa: E731
    before = (set(RevisionRecipient.objects.values_list("pk", flat=True)), AuditLogEntry.objects.count())
    # when
    with pytest.raises(ApplicationError) as refused:
        revision_distribute(actor=world.users[role], revision=revision, **arguments(world, cast, policy))
    # then: a clear, translated reason, and nothing written
    assert refused.value.code == code
    assert isinstance(refused.value, PermissionDeniedError) == (code == "permission_denied")
    assert str(refused.value.message)
    assert (set(RevisionRecipient.objects.values_list("pk", flat=True)), AuditLogEntry.objects.count()) == before


def test_a_coordinator_of_another_agency_cannot_distribute(world, cast):
    # given: the sibling agency's published policy
    document = new_document(world.sibling, "CSCL-BH")
    revision = publish(document)
    with pytest.raises(PermissionDeniedError):
        revision_distribute(actor=world.users["iso_coordinator"], revision=revision, users=[cast.dave])
    assert not RevisionRecipient.objects.exists()


def test_a_superseded_revision_cannot_be_distributed(world, cast, policy):
    issue_1 = policy.current_revision
    revision_start(actor=None, document=policy)
    publish(policy)
    with pytest.raises(ApplicationError) as refused:
        revision_distribute(actor=world.users["iso_coordinator"], revision=issue_1, users=[cast.alice])
    assert refused.value.code == "revision_not_published"
    assert not RevisionRecipient.objects.exists()


# --- Acknowledgement ----------------------------------------------------------------------------------------


def test_only_the_recipient_can_confirm_and_confirming_twice_keeps_the_first_time(world, cast, policy):
    revision_distribute(actor=None, revision=policy.current_revision, org_units=[cast.unit])
    row = RevisionRecipient.objects.get(user=cast.alice)
    # when others try: refused, nothing changes
    for someone in (world.users["iso_coordinator"], world.users["agency_head"], cast.bob, world.users["admin"]):
        with pytest.raises(PermissionDeniedError):
            revision_acknowledge(actor=someone, recipient=row)
    row.refresh_from_db()
    assert row.acknowledged_at is None
    # when alice confirms, twice
    first = revision_acknowledge(actor=cast.alice, recipient=row).acknowledged_at
    again = revision_acknowledge(actor=cast.alice, recipient=row).acknowledged_at
    # then
    assert first is not None and again == first
    assert AuditLogEntry.objects.filter(object_id=str(row.pk), note="acknowledge").count() == 1


def test_a_former_member_can_no_longer_confirm(world, cast, policy):
    revision_distribute(actor=None, revision=policy.current_revision, users=[cast.alice])
    row = RevisionRecipient.objects.get(user=cast.alice)
    cast.alice.role_assignments.update(valid_until=row.distributed_at.date().replace(year=2000))
    with pytest.raises(PermissionDeniedError):
        revision_acknowledge(actor=type(cast.alice).objects.get(pk=cast.alice.pk), recipient=row)
    row.refresh_from_db()
    assert row.acknowledged_at is None


def test_a_superseded_revision_can_still_be_confirmed_and_is_marked(client, world, cast, policy):
    # given: issue 1 sent to alice, then issue 2 published
    revision_distribute(actor=None, revision=policy.current_revision, users=[cast.alice])
    revision_start(actor=None, document=policy)
    publish(policy)
    client.force_login(cast.alice)
    # then: the to-read page still lists issue 1, marked as no longer in force
    page = client.get(reverse("documents:to_read")).content.decode()
    assert "CSCL" in page and "không còn hiệu lực" in page  # "no longer in force"
    # and it can be confirmed
    row = RevisionRecipient.objects.get(user=cast.alice)
    assert client.post(reverse("documents:acknowledge", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.acknowledged_at is not None


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_to_read_page_lists_a_document_until_the_recipient_confirms(client, world, cast, policy):
    # given: the policy sent to the unit
    revision_distribute(actor=world.users["iso_coordinator"], revision=policy.current_revision,
                        org_units=[cast.unit])
    client.force_login(cast.alice)
    # then: alice's to-read page lists it and the menu counts it
    page = client.get(reverse("documents:to_read")).content.decode()
    assert "Chính sách chất lượng" in page
    assert 'data-count="documents:to_read">1<' in page
    # when she confirms
    row = RevisionRecipient.objects.get(user=cast.alice)
    response = client.post(reverse("documents:acknowledge", args=[row.pk]))
    # then
    assert response.status_code == 302 and response.url == reverse("documents:to_read")
    page = client.get(reverse("documents:to_read")).content.decode()
    assert "Chính sách chất lượng" not in page.split("<main>", 1)[1]  # the menu has a "Quality policy" entry
    assert 'data-count="documents:to_read"' not in page
    # bob has not confirmed: still listed for him
    assert to_read_count(user=cast.bob) == 1


def test_a_recipient_confirms_from_the_document_page(client, world, cast, policy):
    revision_distribute(actor=None, revision=policy.current_revision, users=[cast.alice])
    client.force_login(cast.alice)
    page = client.get(policy.get_absolute_url()).content.decode()
    row = RevisionRecipient.objects.get(user=cast.alice)
    assert reverse("documents:acknowledge", args=[row.pk]) in page
    # staff see their own row, not the recipient table
    assert 'id="recipients"' not in page
    response = client.post(reverse("documents:acknowledge", args=[row.pk]), {"next": policy.get_absolute_url()})
    assert response.url == policy.get_absolute_url()
    assert "Bạn đã xác nhận đọc bản này" in client.get(policy.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role,status", [("iso_coordinator", 403), ("agency_head", 403), ("auditor", 403),
                                         ("supervisor", 403), ("staff", 404), ("consultant", 404)])
def test_others_cannot_confirm_for_a_recipient(client, world, cast, policy, role, status):
    # managers, auditors and the supervisor see the row (403); other staff do not (404)
    revision_distribute(actor=None, revision=policy.current_revision, users=[cast.alice])
    row = RevisionRecipient.objects.get(user=cast.alice)
    client.force_login(world.users[role])
    assert client.post(reverse("documents:acknowledge", args=[row.pk])).status_code == status
    row.refresh_from_db()
    assert row.acknowledged_at is None


def test_the_coordinator_sees_who_has_not_read(client, world, cast, policy):
    # given: sent to the unit; alice confirmed, bob not
    revision_distribute(actor=None, revision=policy.current_revision, org_units=[cast.unit])
    revision_acknowledge(actor=cast.alice, recipient=RevisionRecipient.objects.get(user=cast.alice))
    client.force_login(world.users["iso_coordinator"])
    # when
    page = client.get(policy.get_absolute_url()).content.decode()
    unread = client.get(policy.get_absolute_url() + "?recipients=unread").content.decode()
    # then: everyone, with "not yet" for bob; the filter leaves only bob
    assert "1/2 người nhận đã xác nhận đọc." in page
    assert "Nguyễn Thị An" in page and "Trần Văn Bình" in page and '<span class="muted">chưa</span>' in page
    table = unread[unread.index('id="recipients"'):]
    assert "Trần Văn Bình" in table and "Nguyễn Thị An" not in table[: table.index("</table>")]


def test_the_process_page_shows_the_same_panel(client, world, cast):
    # given: a published process sent to the unit
    process = process_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="procedure", code="QT-01",
                             title="Quy trình đăng ký khai sinh")
    process_steps_replace(actor=None, process=process, steps=[
        {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}])
    for action in ("submit", "approve", "publish"):
        process_transition(actor=None, process=process, action=action)
    process.document.refresh_from_db()
    revision_distribute(actor=None, revision=process.document.current_revision, org_units=[cast.unit])
    client.force_login(world.users["iso_coordinator"])
    # when
    page = client.get(process.get_absolute_url() + "?recipients=unread").content.decode()
    # then
    assert 'id="distribution"' in page and "0/2 người nhận đã xác nhận đọc." in page
    assert "Trần Văn Bình" in page
    assert reverse("documents:distribute", args=[process.document.pk]) in page
    # the recipient's to-read entry leads to the process page and offers the issue's PDF
    client.force_login(cast.bob)
    to_read = client.get(reverse("documents:to_read")).content.decode()
    assert process.get_absolute_url() in to_read
    assert reverse("processes:process_pdf", args=[process.pk]) + "?revision=" in to_read


def test_the_coordinator_distributes_from_the_document_page(client, world, cast, policy):
    client.force_login(world.users["iso_coordinator"])
    page = client.get(policy.get_absolute_url()).content.decode()
    assert 'id="distribute-form"' in page and str(cast.other_unit.pk) in page
    assert str(world.sibling_unit.pk) not in page and f'value="{cast.dave.pk}"' not in page
    response = client.post(reverse("documents:distribute", args=[policy.pk]), {"org_units": [str(cast.other_unit.pk)]})
    assert response.status_code == 302 and response.url.endswith("#distribution")
    assert recipients(policy.current_revision) == names(cast.carol)


@pytest.mark.parametrize("role,status", [("staff", 403), ("auditor", 403), ("consultant", 403), ("supervisor", 403)])
def test_others_cannot_distribute_from_the_page(client, world, cast, policy, role, status):
    client.force_login(world.users[role])
    page = client.get(policy.get_absolute_url()).content.decode()
    assert 'id="distribute-form"' not in page
    response = client.post(reverse("documents:distribute", args=[policy.pk]), {"everyone": "on"})
    assert response.status_code == status
    assert not RevisionRecipient.objects.exists()


def test_a_unit_of_another_agency_posted_to_the_page_is_refused(client, world, cast, policy):
    client.force_login(world.users["iso_coordinator"])
    response = client.post(reverse("documents:distribute", args=[policy.pk]),
                           {"org_units": [str(world.sibling_unit.pk)]}, follow=True)
    assert response.status_code == 200
    assert not RevisionRecipient.objects.exists()
    assert 'class="msg msg-error"' in response.content.decode()


# --- Tenancy ------------------------------------------------------------------------------------------------


def test_people_of_another_agency_get_404_and_see_nothing(client, world, cast, policy):
    # given: the policy of `own` sent to alice; a coordinator of the foreign agency
    revision_distribute(actor=None, revision=policy.current_revision, users=[cast.alice])
    row = RevisionRecipient.objects.get(user=cast.alice)
    outsider = member(world.foreign, role="iso_coordinator")
    client.force_login(outsider)
    # then
    assert client.get(policy.get_absolute_url()).status_code == 404
    assert client.post(reverse("documents:acknowledge", args=[row.pk])).status_code == 404
    assert client.post(reverse("documents:distribute", args=[policy.pk]), {"everyone": "on"}).status_code == 404
    assert "CSCL" not in client.get(reverse("documents:to_read")).content.decode()
    assert list(documents_to_read(user=outsider)) == []
    assert recipients(policy.current_revision) == names(cast.alice)
    row.refresh_from_db()
    assert row.acknowledged_at is None


# --- Queries ------------------------------------------------------------------------------------------------


def test_pages_do_not_query_per_row(client, world, cast):
    # given: documents sent to bob, and the quality policy sent to many people
    documents = [new_document(world.own, f"HD-{n}") for n in range(5)]
    for document in documents:
        publish(document)
        document.refresh_from_db()
    extra = [member(world.own, cast.unit) for _n in range(6)]

    def queries(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    revision_distribute(actor=None, revision=documents[0].current_revision, org_units=[cast.unit])
    one_recipient_page = queries(world.users["iso_coordinator"], documents[1].get_absolute_url())
    to_read_one = queries(cast.bob, reverse("documents:to_read"))
    detail_few = queries(world.users["iso_coordinator"], documents[0].get_absolute_url())
    # when: more rows
    for document in documents[1:]:
        revision_distribute(actor=None, revision=document.current_revision, users=[cast.bob, *extra])
    # then: the same number of queries
    assert queries(cast.bob, reverse("documents:to_read")) == to_read_one
    assert queries(world.users["iso_coordinator"], documents[1].get_absolute_url()) == detail_few
    assert one_recipient_page == detail_few
