"""E-mail reminders to recipients who have not confirmed reading a distributed document."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from eiso.core.models import AuditLogEntry
from eiso.documents.models import RevisionRecipient
from eiso.documents.services import acknowledgement_reminders_send, revision_acknowledge, revision_distribute
from eiso.documents.tasks import send_acknowledgement_reminders
from tests.documents.conftest import member, new_document, publish

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def sent(world, cast, policy):
    """The policy sent to the unit (alice, bob — who has no e-mail) and to carol, who confirmed at once.
    Returns the moment of distribution."""
    revision_distribute(actor=world.users["iso_coordinator"], revision=policy.current_revision,
                        org_units=[cast.unit], users=[cast.carol])
    revision_acknowledge(actor=cast.carol, recipient=RevisionRecipient.objects.get(user=cast.carol))
    return RevisionRecipient.objects.get(user=cast.alice).distributed_at


def reminders(user):
    return RevisionRecipient.objects.filter(user=user).values_list("reminder_count", flat=True).get()


def test_reminders_go_to_those_who_have_not_read_once_per_interval(settings, cast, sent):
    settings.EISO_ACK_REMINDER_DAYS = 3
    # before the interval: nothing
    assert acknowledgement_reminders_send(now=sent + 3 * DAY - dt.timedelta(minutes=1)) == {
        "people": 0, "reminders": 0, "no_email": 0, "failed": 0}
    assert mail.outbox == []
    # after 3 days: alice is e-mailed; bob has no address (skipped, counted); carol has read it
    assert acknowledgement_reminders_send(now=sent + 3 * DAY) == {
        "people": 1, "reminders": 1, "no_email": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["alice@example.gov.vn"]]
    message = mail.outbox[0]
    assert "CSCL" in message.body and "Chính sách chất lượng" in message.body
    assert "/documents/to-read/" in message.body and "1" in message.subject
    row = RevisionRecipient.objects.get(user=cast.alice)
    assert (row.reminded_at, row.reminder_count) == (sent + 3 * DAY, 1)
    assert reminders(cast.bob) == 0 and reminders(cast.carol) == 0
    assert AuditLogEntry.objects.filter(object_id=str(row.pk), note="reminder").count() == 1
    # the same day again, and two days later: nothing new
    acknowledgement_reminders_send(now=sent + 3 * DAY + dt.timedelta(hours=2))
    acknowledgement_reminders_send(now=sent + 5 * DAY)
    assert len(mail.outbox) == 1
    # one interval after the reminder: again
    assert acknowledgement_reminders_send(now=sent + 6 * DAY)["people"] == 1
    assert len(mail.outbox) == 2 and reminders(cast.alice) == 2
    # once she has read it: never again
    revision_acknowledge(actor=cast.alice, recipient=row)
    assert acknowledgement_reminders_send(now=sent + 30 * DAY)["people"] == 0
    assert len(mail.outbox) == 2


def test_the_interval_comes_from_the_setting(settings, cast, sent):
    settings.EISO_ACK_REMINDER_DAYS = 5
    acknowledgement_reminders_send(now=sent + 4 * DAY)
    assert mail.outbox == []
    acknowledgement_reminders_send(now=sent + 5 * DAY)
    assert len(mail.outbox) == 1


def test_one_message_per_person_lists_every_document_to_read(world, cast, sent):
    # given: a second document sent to alice
    other = new_document(world.own, "QT-HT-01", "Quy trình kiểm soát thông tin dạng văn bản")
    revision = publish(other)
    revision_distribute(actor=None, revision=revision, users=[cast.alice])
    RevisionRecipient.objects.filter(revision=revision).update(distributed_at=sent)
    # when
    counts = acknowledgement_reminders_send(now=sent + 10 * DAY)
    # then
    assert (counts["people"], counts["reminders"]) == (1, 2)
    assert len(mail.outbox) == 1
    assert "CSCL" in mail.outbox[0].body and "QT-HT-01" in mail.outbox[0].body
    assert "2" in mail.outbox[0].subject


def test_no_reminder_for_a_withdrawn_revision_or_a_former_member(world, cast, sent, policy):
    # given: alice left the agency; the sibling-free world otherwise unchanged
    cast.alice.role_assignments.update(valid_until=timezone.localdate(sent) - DAY)
    assert acknowledgement_reminders_send(now=sent + 10 * DAY)["people"] == 0
    # and a withdrawn revision reminds no one, even people still in the agency
    someone = member(world.own, cast.unit, email="giang@example.gov.vn")
    revision_distribute(actor=None, revision=policy.current_revision, users=[someone])
    RevisionRecipient.objects.filter(user=someone).update(distributed_at=sent)
    from eiso.documents.services import revision_transition

    revision_transition(actor=None, revision=policy.current_revision, action="withdraw", comment="Hết hiệu lực")
    assert acknowledgement_reminders_send(now=sent + 10 * DAY)["people"] == 0
    assert mail.outbox == []


def test_a_failed_send_is_counted_and_retried_next_time(settings, cast, sent):
    settings.EMAIL_BACKEND = "tests.documents.test_reminders.FailingBackend"
    # when the mail server is down
    counts = acknowledgement_reminders_send(now=sent + 3 * DAY)
    # then: counted, and alice is not marked as reminded
    assert counts == {"people": 0, "reminders": 0, "no_email": 1, "failed": 1}
    assert reminders(cast.alice) == 0
    assert not AuditLogEntry.objects.filter(note="reminder").exists()
    # the next day, with the server back: sent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert acknowledgement_reminders_send(now=sent + 4 * DAY)["people"] == 1
    assert reminders(cast.alice) == 1


def test_the_command_and_the_task_send_the_same_reminders(cast, sent, monkeypatch):
    later = sent + 3 * DAY
    monkeypatch.setattr(timezone, "now", lambda: later)
    out = StringIO()
    call_command("send_document_reminders", stdout=out)
    assert out.getvalue().startswith("1 people reminded of 1 document(s); 1 without an e-mail address skipped")
    assert len(mail.outbox) == 1
    # the beat task (eager in tests) finds nothing more to send today
    assert send_acknowledgement_reminders.delay().get() == {"people": 0, "reminders": 0, "no_email": 1, "failed": 0}
    assert len(mail.outbox) == 1


def test_the_task_is_scheduled_daily_on_working_days(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["document-acknowledgement-reminders"]
    assert entry["task"] == send_acknowledgement_reminders.name
    assert entry["schedule"].day_of_week == {1, 2, 3, 4, 5}
