from django.db import models
from django.utils.translation import gettext_lazy as _


class ContextIssueKind(models.TextChoices):
    INTERNAL = "internal", _("internal issue")
    EXTERNAL = "external", _("external issue")


class ContextIssueStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("no longer relevant")


class RiskKind(models.TextChoices):
    RISK = "risk", _("risk")
    OPPORTUNITY = "opportunity", _("opportunity")


class Treatment(models.TextChoices):
    # Risks
    AVOID = "avoid", _("avoid")
    REDUCE = "reduce", _("reduce")
    TRANSFER = "transfer", _("transfer")
    ACCEPT = "accept", _("accept")
    # Opportunities
    PURSUE = "pursue", _("pursue")
    ENHANCE = "enhance", _("enhance")
    SHARE = "share", _("share")
    IGNORE = "ignore", _("ignore")


# The treatment options offered for each kind.
TREATMENTS_BY_KIND = {
    RiskKind.RISK: (Treatment.AVOID, Treatment.REDUCE, Treatment.TRANSFER, Treatment.ACCEPT),
    RiskKind.OPPORTUNITY: (Treatment.PURSUE, Treatment.ENHANCE, Treatment.SHARE, Treatment.IGNORE),
}
# Treatments that need no action: the risk is accepted as it is, the opportunity is let go.
TREATMENTS_WITHOUT_ACTIONS = (Treatment.ACCEPT, Treatment.IGNORE)


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("open")
    TREATING = "treating", _("under treatment")
    REVIEWED = "reviewed", _("reviewed")
    CLOSED = "closed", _("closed")


class RiskActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
