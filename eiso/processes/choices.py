from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessKind(models.TextChoices):
    PROCEDURE = "procedure", _("Administrative procedure process")
    INTERNAL = "internal", _("Internal process")
    SYSTEM = "system", _("System procedure")


class StepDurationUnit(models.TextChoices):
    HOUR = "hour", _("working hours")
    DAY = "day", _("working days")
    NOT_COUNTED = "not_counted", _("not counted")
