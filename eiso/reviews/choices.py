from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    INPUTS_ASSEMBLED = "inputs_assembled", _("inputs assembled")
    HELD = "held", _("held")
    CLOSED = "closed", _("closed (minutes issued)")


class ReviewActionKind(models.TextChoices):
    IMPROVEMENT = "improvement", _("improvement opportunity")
    QMS_CHANGE = "qms_change", _("change to the QMS")
    RESOURCE = "resource", _("resource need")


class ReviewActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


# The review took place: its inputs are frozen, its outputs may be recorded, the head may confirm.
HELD_STATUSES = (ReviewStatus.HELD, ReviewStatus.CLOSED)
# The meeting's details and inputs may still be prepared.
PREPARING_STATUSES = (ReviewStatus.PLANNED, ReviewStatus.INPUTS_ASSEMBLED)
