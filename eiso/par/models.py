"""The PAR-index criteria a province's supervising authority scores its agencies' QMS by.

`ParCriterion` is a record of the authority (the province's Department of Science and Technology): read by the
supervisors of the province and national supervisors, written by the supervisors of the province. Its wording and
points change with each year's methodology, so every field is data: a year's set is copied from the previous
year and edited. Invariants: one criterion per (authority, year, code); `max_points` > 0; `rule` is a key of
`eiso.par.rules.RULES`.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AuthorityOwnedModel
from eiso.par.choices import Scoring
from eiso.par.rules import CHOICES, RULES


class ParCriterion(AuthorityOwnedModel):
    """One scored criterion of a year's PAR-index methodology (e.g. "6.3 Áp dụng HTQLCL theo TCVN ISO 9001")."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20,
                            help_text=_("The criterion's number in the methodology, e.g. 6.3."))
    name = models.CharField(_("name"), max_length=400)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0.01"))])
    rule = models.CharField(_("rule"), max_length=40, choices=CHOICES,
                            help_text=_("What eISO's records must show for the points to be given."))
    scoring = models.CharField(_("how points are given"), max_length=20, choices=Scoring.choices,
                               default=Scoring.ALL_OR_NOTHING)
    note = models.TextField(_("note"), blank=True, help_text=_("The methodology's wording or guidance, if useful."))

    class Meta:
        verbose_name = _("PAR-index criterion")
        verbose_name_plural = _("PAR-index criteria")
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "code"], name="parcriterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return f"{reverse('par:criterion_list')}?year={self.year}&province={self.agency.province_id}"

    @property
    def rule_definition(self):
        return RULES[self.rule]
