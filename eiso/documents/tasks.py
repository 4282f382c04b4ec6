"""Background jobs of document control (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="eiso.documents.tasks.send_acknowledgement_reminders")
def send_acknowledgement_reminders() -> dict:
    """Remind the people who have not confirmed reading a distributed document. Idempotent within a
    reminder interval. Returns the counts of `acknowledgement_reminders_send`."""
    from eiso.documents.services import acknowledgement_reminders_send

    return acknowledgement_reminders_send()
