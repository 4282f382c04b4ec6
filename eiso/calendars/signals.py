"""Any save or delete of a calendar row (service, admin, shell) invalidates the cached calendar."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from eiso.calendars.caching import calendar_changed
from eiso.calendars.models import CalendarDay, OfficeHours


@receiver(post_save, sender=CalendarDay, dispatch_uid="calendars_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="calendars_day_deleted")
@receiver(post_save, sender=OfficeHours, dispatch_uid="calendars_hours_saved")
@receiver(post_delete, sender=OfficeHours, dispatch_uid="calendars_hours_deleted")
def _calendar_row_changed(sender, **kwargs):
    calendar_changed()
