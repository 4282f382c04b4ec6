from django.db import models
from django.utils.translation import gettext_lazy as _


class DurationUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("working days")
    DAY = "day", _("calendar days")
    HOUR = "hour", _("working hours")
    MONTH = "month", _("months")
    UNKNOWN = "unknown", _("not specified")


class Channel(models.TextChoices):
    DIRECT = "direct", _("in person")
    POSTAL = "postal", _("by post")
    ONLINE = "online", _("online")


class ProcedureLevel(models.TextChoices):
    COMMUNE = "commune", _("commune")
    PROVINCE = "province", _("province")
    MINISTRY = "ministry", _("ministry")
    VERTICAL = "vertical", _("vertical agency")
    OTHER = "other", _("other agency")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")
