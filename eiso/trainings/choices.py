from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingKind(models.TextChoices):
    AWARENESS = "awareness", _("awareness of TCVN ISO 9001:2015")
    INTERNAL_AUDITOR = "internal_auditor", _("internal auditor")
    DOCUMENTATION = "documentation", _("building QMS documents")
    OTHER = "other", _("other")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("unresolved")
    RESOLVED = "resolved", _("resolved")


class LicenceState(models.TextChoices):
    """A consultant's licence on a given day (computed, never stored)."""

    MISSING = "missing", _("no licence recorded")
    NOT_YET_VALID = "not_yet_valid", _("licence not yet valid")
    VALID = "valid", _("licence valid")
    EXPIRING = "expiring", _("licence expires soon")
    EXPIRED = "expired", _("licence expired")


# Licence states that count as duly licensed (Circular 26/2014 Art. 36, the last inspection point).
LICENSED_STATES = frozenset({LicenceState.VALID, LicenceState.EXPIRING})
