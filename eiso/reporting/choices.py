from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    SIX_MONTHLY = "six_monthly", _("6-monthly")
    YEARLY = "yearly", _("yearly")
    AD_HOC = "ad_hoc", _("ad hoc")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED_OFF = "signed_off", _("signed off by the head")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for correction")


# The coordinator may still change the report: the figures, the remarks and the narrative.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# The supervising authority has the report (the agency reported).
RECEIVED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
