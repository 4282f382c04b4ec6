from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where an agency's QMS stands (Decision 19/2014 Art. 4: build, apply, announce, maintain)."""

    NOT_STARTED = "not_started", _("not started")
    BUILDING = "building", _("building")
    APPLYING = "applying", _("applying")
    ANNOUNCED = "announced", _("announced")
    MAINTAINING = "maintaining", _("maintaining")


# The stages in their order: a later stage includes the earlier ones.
STAGE_ORDER = {value: index for index, value in enumerate(Stage.values)}
# Stages that count as "announced" in the seeds' "x/y announced".
ANNOUNCED_STAGES = frozenset({Stage.ANNOUNCED, Stage.MAINTAINING})


class MilestoneKind(models.TextChoices):
    """The steps of a rollout plan, in their usual order."""

    SURVEY = "survey", _("survey of the current state")
    TRAINING = "training", _("training")
    DOCUMENTS = "documents", _("building the documents")
    APPLICATION = "application", _("application")
    INTERNAL_AUDIT = "internal_audit", _("holding the internal audit")
    MANAGEMENT_REVIEW = "management_review", _("holding the management review")
    ANNOUNCEMENT = "announcement", _("announcement of conformity")
