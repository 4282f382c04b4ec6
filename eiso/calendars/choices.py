from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("public holiday")
    DAY_OFF = "day_off", _("day off")
    WORKING_DAY = "working_day", _("working day (day swap)")


class CalendarDaySource(models.TextChoices):
    SEEDED = "seeded", _("national holiday list")
    MANUAL = "manual", _("added by an administrator")
