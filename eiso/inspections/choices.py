from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class InspectionMethod(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    BY_DOCUMENTS = "by_documents", _("by documents")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DECIDED = "decided", _("decision issued")
    MINUTES_SIGNED = "minutes_signed", _("minutes signed")
    REPORT_SUBMITTED = "report_submitted", _("corrective-action report submitted")
    CLOSED = "closed", _("closed")


class PointResult(models.TextChoices):
    CONFORM = "conform", _("conform")
    NOT_CONFORM = "not_conform", _("not conform")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("not closed yet")
    CLOSED = "closed", _("closed")


# The inspection has taken place: its minutes are signed (what inspected_on_by_agency and the summary count as done).
DONE_STATUSES = (InspectionStatus.MINUTES_SIGNED, InspectionStatus.REPORT_SUBMITTED, InspectionStatus.CLOSED)
# The decision, checklist and findings may still be written by the inspection team.
OPEN_FOR_TEAM = (InspectionStatus.DECIDED,)
