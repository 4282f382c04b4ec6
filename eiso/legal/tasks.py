"""Background jobs of the legal register (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="eiso.legal.tasks.send_update_task_reminders")
def send_update_task_reminders() -> dict:
    from eiso.legal.reminders import update_task_reminders_send

    return update_task_reminders_send()
