from django.db import models
from django.utils.translation import gettext_lazy as _


class Scoring(models.TextChoices):
    """How a criterion's points are given from its sub-items."""

    ALL_OR_NOTHING = "all_or_nothing", _("all or nothing")
    PROPORTIONAL = "proportional", _("in proportion to the sub-items met")
