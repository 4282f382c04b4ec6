"""Nonconformities and corrective actions (ISO 9001 clause 10.2).

A `Nonconformity` is raised from an internal audit finding, a late dossier, citizen feedback, an
inspection or by hand; it is analysed for its root cause, corrected by `CorrectiveAction`s and closed
only after the effectiveness of those actions has been verified. The status moves only through the
transitions of `eiso.improvement.workflow` (applied by `services.nonconformity_transition`).

Who (`IMPROVEMENT_ROLES`): the agency head and the ISO coordinator manage (analyse, plan actions, verify,
close); staff and internal auditors read and raise (staff also update the actions they own, a rule of the
services, since it is about one person and not a role); the supervising authority reads its provinces'
nonconformities; consultants do not see them (404), nor does anyone outside the agency.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.improvement.choices import (
    ActionStatus,
    AnalysisMethod,
    NonconformityGrade,
    NonconformitySource,
    NonconformityStatus,
)

# Read: the agency's head, coordinator, staff and auditors, and the supervisor of the province.
VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
# Raise a nonconformity (checked by the services: staff and auditors hold no "add" right elsewhere).
RAISERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR})
IMPROVEMENT_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": AGENCY_MANAGERS,
}


class NonconformityCounter(AgencyOwnedModel):
    """The last number given to a nonconformity of one agency in one year; its row is locked while a
    number is taken, so that two nonconformities never get the same number."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="nonconformitycounter_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Nonconformity(AgencyOwnedModel):
    """One nonconformity of an agency, numbered NC-<year>-<sequence> per agency and year.

    Invariants: the number is unique in the agency; the status changes only by the workflow's
    transitions; it is closed only with every action done and a verification that found the actions
    effective.
    """

    number = models.CharField(_("number"), max_length=30, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    source = models.CharField(_("source"), max_length=20, choices=NonconformitySource.choices,
                              default=NonconformitySource.OTHER)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("dossier"))
    process = models.ForeignKey("processes.Process", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("process"))
    description = models.TextField(_("description"))
    correction = models.TextField(_("immediate correction"), blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=NonconformityGrade.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=NonconformityStatus.choices,
                              default=NonconformityStatus.RAISED)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    # Root-cause analysis
    analysis_method = models.CharField(_("analysis method"), max_length=20, choices=AnalysisMethod.choices,
                                       blank=True)
    analysis = models.TextField(_("analysis"), blank=True,
                                help_text=_("The successive whys, or the causes found in each category."))
    root_cause = models.TextField(_("root cause"), blank=True)
    analysed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("analysed by"))
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    # Verification of effectiveness
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_effective = models.BooleanField(_("actions effective"), null=True, blank=True)
    verification_comment = models.TextField(_("verification comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["-raised_at", "-number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="nonconformity_unique_number")]
        indexes = [models.Index(fields=["agency", "status"], name="nonconformity_agency_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:nonconformity_detail", args=[self.pk])

    @property
    def has_analysis(self) -> bool:
        return bool(self.analysis_method and self.analysis.strip() and self.root_cause.strip())


class CorrectiveAction(AgencyOwnedModel):
    """An action that removes the cause of a nonconformity, with an owner and a due date. Its agency is
    always the nonconformity's."""

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.CASCADE, related_name="actions",
                                      verbose_name=_("nonconformity"))
    description = models.TextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows that the action was done."))

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.nonconformity.number}: {self.description[:60]}"

    def get_absolute_url(self):
        return self.nonconformity.get_absolute_url()
