"""Context of the organisation (ISO 9001 clauses 4.1 and 4.2) and risks and opportunities (clause 6.1).

`ContextIssue`s are the internal and external issues that affect the QMS; `InterestedParty`s are those
whose requirements the agency must meet. A `Risk` (kind risk or opportunity) is assessed on the agency's
`RiskMatrix` (likelihood × consequence, level by thresholds on the score), treated by `RiskAction`s, and
reviewed for effectiveness with its residual level. The status moves only through the transitions of
`eiso.risks.workflow` (applied by `services`).

Who (`RISK_ROLES`): the agency's head, coordinator, staff and auditors read, as does the supervisor of the
province; the head and the coordinator manage (staff also mark done the actions they own, a rule of the
services); consultants and other agencies do not see them (404).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.risks.choices import (
    ContextIssueKind,
    ContextIssueStatus,
    RiskActionStatus,
    RiskKind,
    RiskLevel,
    RiskStatus,
    Treatment,
)

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
RISK_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": AGENCY_MANAGERS,
}


class ContextIssue(AgencyOwnedModel):
    """An internal or external issue relevant to the agency's purpose that affects its QMS (clause 4.1).
    Kept when no longer relevant (status), so that the management review sees what changed."""

    kind = models.CharField(_("kind"), max_length=20, choices=ContextIssueKind.choices)
    description = models.TextField(_("description"))
    effect = models.TextField(_("effect on the QMS"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ContextIssueStatus.choices,
                              default=ContextIssueStatus.ACTIVE)
    identified_on = models.DateField(_("identified on"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    permitted_roles = RISK_ROLES

    class Meta:
        verbose_name = _("context issue")
        verbose_name_plural = _("context issues")
        ordering = ["kind", "-identified_on", "created_at"]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("risks:context") + f"#issue-{self.pk}"


class InterestedParty(AgencyOwnedModel):
    """A party whose requirements are relevant to the QMS (clause 4.2): citizens, businesses, the
    supervising authority, cooperating units... with how the agency monitors those requirements."""

    name = models.CharField(_("name"), max_length=300)
    requirements = models.TextField(_("their requirements"))
    monitoring = models.TextField(_("how they are monitored"), blank=True)

    permitted_roles = RISK_ROLES

    class Meta:
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("risks:context") + f"#party-{self.pk}"


class RiskMatrix(AgencyOwnedModel):
    """The agency's scales and thresholds for assessing risks: a likelihood scale and a consequence scale of
    3 to 5 steps each (with a label per step), and the level of a score (likelihood × consequence): low up to
    `low_max`, medium up to `medium_max`, high above.

    Invariants (checked by `services.risk_matrix_update`): one per agency; 3 ≤ sizes ≤ 5; one non-blank
    label per step; 1 ≤ low_max < medium_max < the highest score; every risk of the agency lies within the
    scales, and its stored levels are those of this matrix.
    """

    likelihood_size = models.PositiveSmallIntegerField(_("likelihood steps"), default=5)
    consequence_size = models.PositiveSmallIntegerField(_("consequence steps"), default=5)
    likelihood_labels = models.JSONField(_("likelihood labels"), default=list)
    consequence_labels = models.JSONField(_("consequence labels"), default=list)
    low_max = models.PositiveSmallIntegerField(_("highest low score"), default=4)
    medium_max = models.PositiveSmallIntegerField(_("highest medium score"), default=12)

    permitted_roles = RISK_ROLES

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        constraints = [models.UniqueConstraint(fields=["agency"], name="riskmatrix_one_per_agency")]

    def __str__(self) -> str:
        return f"{self.likelihood_size}×{self.consequence_size}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("risks:matrix")

    def level_for(self, likelihood: int | None, consequence: int | None) -> str:
        """The level of a score; "" when either value is missing."""
        if not likelihood or not consequence:
            return ""
        score = likelihood * consequence
        if score <= self.low_max:
            return RiskLevel.LOW
        if score <= self.medium_max:
            return RiskLevel.MEDIUM
        return RiskLevel.HIGH

    def likelihood_label(self, value: int) -> str:
        return _label(self.likelihood_labels, value)

    def consequence_label(self, value: int) -> str:
        return _label(self.consequence_labels, value)


def _label(labels, value) -> str:
    if value and 1 <= value <= len(labels):
        return f"{value} – {labels[value - 1]}"
    return str(value or "—")


class Risk(AgencyOwnedModel):
    """A risk or an opportunity of a process (or of the whole QMS when `process` is empty).

    Invariants: likelihood and consequence lie within the agency's matrix; `level` and `residual_level` are
    the matrix's levels of the stored values (recomputed when the matrix changes); the treatment suits the
    kind; the status changes only by the workflow's transitions; the effectiveness review is recorded only
    when every action is done.
    """

    process = models.ForeignKey("processes.Process", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("process"),
                                help_text=_("Empty: the risk concerns the whole QMS."))
    kind = models.CharField(_("kind"), max_length=20, choices=RiskKind.choices, default=RiskKind.RISK)
    description = models.TextField(_("description"))
    cause = models.TextField(_("cause"), blank=True)
    consequence_description = models.TextField(_("consequence (description)"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    consequence = models.PositiveSmallIntegerField(_("consequence"))
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices, editable=False)
    treatment = models.CharField(_("treatment option"), max_length=20, choices=Treatment.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    identified_on = models.DateField(_("identified on"))
    # Residual assessment and effectiveness review
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), null=True, blank=True)
    residual_consequence = models.PositiveSmallIntegerField(_("residual consequence"), null=True, blank=True)
    residual_level = models.CharField(_("residual level"), max_length=10, choices=RiskLevel.choices, blank=True,
                                      editable=False)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    is_effective = models.BooleanField(_("actions effective"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    permitted_roles = RISK_ROLES

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "status"], name="risk_agency_status")]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("risks:risk_detail", args=[self.pk])

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood and self.residual_consequence:
            return self.residual_likelihood * self.residual_consequence
        return None


class RiskAction(AgencyOwnedModel):
    """An action that treats a risk (or takes an opportunity), with an owner and a due date. Its agency is
    always the risk's."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions", verbose_name=_("risk"))
    description = models.TextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=RiskActionStatus.choices,
                              default=RiskActionStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows that the action was done."))

    permitted_roles = RISK_ROLES

    class Meta:
        verbose_name = _("treatment action")
        verbose_name_plural = _("treatment actions")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self):
        return self.risk.get_absolute_url()
