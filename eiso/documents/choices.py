from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    MANUAL = "manual", _("Quality manual")
    POLICY = "policy", _("Quality policy")
    OBJECTIVES = "objectives", _("Quality objectives")
    CONTEXT = "context", _("Context and risks")
    SYSTEM_PROCEDURE = "system_procedure", _("System procedure")
    PROCESS = "process", _("Process")
    INSTRUCTION = "instruction", _("Instruction")
    FORM = "form", _("Form")
    RECORD_TEMPLATE = "record_template", _("Record template")
    EXTERNAL = "external", _("External document")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)
