from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed (in force)")
    SUPERSEDED = "superseded", _("superseded")


class AnnouncementKind(models.TextChoices):
    FIRST = "first", _("first announcement")
    REANNOUNCEMENT = "reannouncement", _("re-announcement")


class ReannouncementReason(models.TextChoices):
    SCOPE_EXTENDED = "scope_extended", _("scope extended")
    SCOPE_NARROWED = "scope_narrowed", _("scope narrowed")
    SCOPE_ADJUSTED = "scope_adjusted", _("scope adjusted")
    MERGER = "merger", _("merger of agencies")


# A signed decision: it was announced (in force or replaced by a later one since).
ISSUED_STATUSES = (AnnouncementStatus.SIGNED, AnnouncementStatus.SUPERSEDED)
