from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalDocumentType(models.TextChoices):
    CONSTITUTION = "constitution", _("Constitution")
    CODE_LAW = "code_law", _("Legal code")
    LAW = "law", _("Law")
    ORDINANCE = "ordinance", _("Ordinance")
    RESOLUTION = "resolution", _("Resolution")
    DECREE = "decree", _("Decree")
    DECISION = "decision", _("Decision")
    CIRCULAR = "circular", _("Circular")
    JOINT_CIRCULAR = "joint_circular", _("Joint circular")
    DIRECTIVE = "directive", _("Directive")
    OFFICIAL_LETTER = "official_letter", _("Official letter")
    OTHER = "other", _("Other")


class RelationKind(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPLACES = "replaces", _("replaces")
    PARTLY_REPLACES = "partly_replaces", _("partly replaces")
    GUIDES = "guides", _("guides")


# Relations that change the law a process rests on: they start the 3-month rule.
AFFECTING = (RelationKind.AMENDS, RelationKind.REPLACES, RelationKind.PARTLY_REPLACES)
# Relations that must not form a cycle (a document cannot, through a chain, replace itself).
CHAINED = (RelationKind.REPLACES, RelationKind.PARTLY_REPLACES, RelationKind.AMENDS)


class UpdateTaskReason(models.TextChoices):
    LEGAL_CHANGE = "legal_change", _("Legal basis changed")
    CATALOGUE_CHANGE = "catalogue_change", _("Procedure changed in the national catalogue")


class UpdateTaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DISMISSED = "dismissed", _("Dismissed")
