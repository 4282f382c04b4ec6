from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")


class ChecklistResult(models.TextChoices):
    CONFORMING = "conforming", _("conforming")
    NONCONFORMITY = "nonconformity", _("nonconformity")
    OBSERVATION = "observation", _("observation")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class ChecklistSource(models.TextChoices):
    LIBRARY = "library", _("clause library")
    PROCESS = "process", _("process audited")


class FindingGrade(models.TextChoices):
    MAJOR = "major", _("major nonconformity")
    MINOR = "minor", _("minor nonconformity")
    OBSERVATION = "observation", _("observation")
    IMPROVEMENT = "improvement", _("opportunity for improvement")


# Grades that become a nonconformity as soon as they are recorded; an observation does on request.
NONCONFORMITY_GRADES = (FindingGrade.MAJOR, FindingGrade.MINOR)
RAISABLE_GRADES = (FindingGrade.MAJOR, FindingGrade.MINOR, FindingGrade.OBSERVATION)
