"""Quality policy and yearly quality objectives (ISO 9001 clauses 5.2 and 6.2).

`QualityPolicy` is versioned per agency: a draft is edited, the agency head approves it, and the approved
version is immutable; approving a new version supersedes the one in force. `QualityObjective`s are set per
agency and year, each measured by `Indicator`s (computed from eISO's data by a metric of
`eiso.objectives.metrics`, or entered periodically with evidence) whose `Measurement`s say, period by period,
whether the target was reached; `ObjectivePlan` rows are the actions planned to reach an objective.

Who (`OBJECTIVE_ROLES`): the agency's head, ISO coordinator, staff and internal auditors read, and so does
the supervising authority of the province; the head and the coordinator manage; only the head approves
(the policy and the objectives). Consultants and other agencies do not see them (404).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.objectives.choices import (
    Comparison,
    Frequency,
    IndicatorSource,
    MeasurementResult,
    ObjectiveStatus,
    PlanActionStatus,
    PolicyStatus,
)

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
OBJECTIVE_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": frozenset({Role.AGENCY_HEAD}),
}


class QualityPolicy(AgencyOwnedModel):
    """One version of the agency's quality policy. Invariants: versions are numbered 1, 2, ... per agency; at
    most one draft and one version in force; an approved (or superseded) version never changes."""

    version = models.PositiveIntegerField(_("version"), editable=False)
    text = models.TextField(_("policy text"))
    status = models.CharField(_("status"), max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    document = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("controlled document"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    permitted_roles = OBJECTIVE_ROLES

    class Meta:
        verbose_name = _("quality policy")
        verbose_name_plural = _("quality policies")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="qualitypolicy_unique_version"),
            models.UniqueConstraint(fields=["agency"], condition=models.Q(status="draft"),
                                    name="qualitypolicy_one_draft"),
            models.UniqueConstraint(fields=["agency"], condition=models.Q(status="approved"),
                                    name="qualitypolicy_one_in_force"),
        ]

    def __str__(self) -> str:
        return _("Quality policy, version %(version)s") % {"version": self.version}

    def get_absolute_url(self):
        return reverse("objectives:policy_detail") + f"?version={self.version}"


class QualityObjective(AgencyOwnedModel):
    """A quality objective of one agency for one year. Edited (with its indicators) while draft; approved by
    the agency head; closed after the year. Invariant: a closed objective never changes."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=20, choices=ObjectiveStatus.choices,
                              default=ObjectiveStatus.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    permitted_roles = OBJECTIVE_ROLES

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["-year", "created_at"]
        indexes = [models.Index(fields=["agency", "year"], name="qualityobjective_agency_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    def get_absolute_url(self):
        return reverse("objectives:objective_detail", args=[self.pk])


class Indicator(AgencyOwnedModel):
    """How an objective is measured. Invariants: a computed indicator names a metric of the registry (its unit
    is the metric's); an entered one has a unit; both have a target. Its agency is the objective's."""

    objective = models.ForeignKey(QualityObjective, on_delete=models.CASCADE, related_name="indicators",
                                  verbose_name=_("objective"))
    name = models.CharField(_("indicator"), max_length=300)
    value_source = models.CharField(_("value source"), max_length=20, choices=IndicatorSource.choices)
    metric = models.CharField(_("metric"), max_length=60, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices,
                                  default=Comparison.AT_LEAST)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices,
                                 default=Frequency.MONTHLY)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))

    permitted_roles = OBJECTIVE_ROLES

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["objective", "created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        return self.objective.get_absolute_url()

    @property
    def is_computed(self) -> bool:
        return self.value_source == IndicatorSource.COMPUTED


def _evidence_path(instance, filename: str) -> str:
    # Unguessable, per agency; served only through the objectives' evidence view.
    return f"objectives/{instance.agency_id}/{instance.indicator_id}/{instance.pk}-{filename}"


class Measurement(AgencyOwnedModel):
    """The indicator's value over one period of its frequency and the result against the target. Invariants:
    one measurement per indicator and period (recording it again updates it); an entered value has evidence
    (a text, a file, or both)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements",
                                  verbose_name=_("indicator"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    result = models.CharField(_("result"), max_length=20, choices=MeasurementResult.choices)
    is_computed = models.BooleanField(_("computed"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=_evidence_path, max_length=300, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=120, blank=True)
    evidence_kind = models.CharField(max_length=10, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    permitted_roles = OBJECTIVE_ROLES

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_start"],
                                               name="measurement_one_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}: {self.value}"

    def get_absolute_url(self):
        return self.indicator.objective.get_absolute_url()


class ObjectivePlan(AgencyOwnedModel):
    """One action of the plan to reach an objective (ISO 9001 6.2.2: what, who, when), done with evidence.
    Its agency is the objective's."""

    objective = models.ForeignKey(QualityObjective, on_delete=models.CASCADE, related_name="plan",
                                  verbose_name=_("objective"))
    description = models.TextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=PlanActionStatus.choices,
                              default=PlanActionStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows that the action was done."))

    permitted_roles = OBJECTIVE_ROLES

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self):
        return self.objective.get_absolute_url()
