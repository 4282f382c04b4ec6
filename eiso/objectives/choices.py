from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("in force")
    SUPERSEDED = "superseded", _("superseded")


class ObjectiveStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    CLOSED = "closed", _("closed")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("computed from eISO data")
    ENTERED = "entered", _("entered with evidence")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("at least (≥)")
    AT_MOST = "lte", _("at most (≤)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")


class MeasurementResult(models.TextChoices):
    """Judged in the indicator's direction: for "at least" a higher value is better, for "at most" a lower one.
    Above target and on target both mean the target is reached."""

    ABOVE = "above", _("above target (better)")
    ON_TARGET = "on_target", _("on target")
    BELOW = "below", _("below target (not reached)")


class PlanActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


# Months in one period of each frequency.
FREQUENCY_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}
