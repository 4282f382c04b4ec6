from django.db import models
from django.utils.translation import gettext_lazy as _


class NonconformitySource(models.TextChoices):
    AUDIT_FINDING = "audit_finding", _("internal audit finding")
    LATE_DOSSIER = "late_dossier", _("late dossier")
    FEEDBACK = "feedback", _("citizen feedback")
    INSPECTION = "inspection", _("inspection")
    OTHER = "other", _("other")


class NonconformityGrade(models.TextChoices):
    MAJOR = "major", _("major nonconformity")
    MINOR = "minor", _("minor nonconformity")
    OBSERVATION = "observation", _("observation")


class NonconformityStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    ANALYSED = "analysed", _("analysed")
    ACTIONS = "actions", _("corrective actions under way")
    VERIFICATION = "verification", _("awaiting verification")
    CLOSED = "closed", _("closed")


class AnalysisMethod(models.TextChoices):
    FIVE_WHYS = "five_whys", _("5 whys")
    CAUSE_CATEGORIES = "cause_categories", _("cause categories (people, method, equipment, environment...)")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
