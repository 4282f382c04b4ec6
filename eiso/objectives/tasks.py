"""Background jobs of the objectives (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="eiso.objectives.tasks.record_computed_measurements")
def record_computed_measurements() -> int:
    """Monthly: record the computed indicators' values (the period that just ended and the current one)."""
    from eiso.objectives.services import computed_measurements_record

    return computed_measurements_record()
