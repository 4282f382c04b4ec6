"""Background jobs of the working calendar (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="eiso.calendars.tasks.seed_upcoming_holidays")
def seed_upcoming_holidays() -> dict:
    """Seed this year's public holidays and those of the next HOLIDAY_SEED_YEARS_AHEAD years.
    Idempotent. Returns {year: rows created}."""
    from eiso.calendars.services import holidays_seed_year

    this_year = timezone.localdate().year
    ahead = int(settings.EISO.get("HOLIDAY_SEED_YEARS_AHEAD", 1))
    return {
        str(year): holidays_seed_year(year=year, actor=None)
        for year in range(this_year, this_year + ahead + 1)
    }
