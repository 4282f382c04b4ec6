from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    DONE = "done", _("done")
    PENDING = "pending", _("pending")
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")


class StatusSource(models.TextChoices):
    """How eISO knows whether an obligation is met."""

    DERIVED = "derived", _("from the records")
    LEGAL_TASKS = "legal_tasks", _("from the legal update tasks")
    MANUAL = "manual", _("marked done by the coordinator")
