"""Background jobs of the compliance calendar (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="eiso.compliance.tasks.send_compliance_reminders")
def send_compliance_reminders() -> dict:
    from eiso.compliance.reminders import compliance_reminders_send

    return compliance_reminders_send()
