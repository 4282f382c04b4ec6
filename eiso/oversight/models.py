"""Provincial oversight: the supervising authority's rollout plans and each agency's QMS stage.

A `RolloutPlan` is the province's plan to bring agencies onto ISO 9001 (Kế hoạch triển khai xây dựng, áp dụng
HTQLCL): issued by the provincial People's Committee (or the Department), kept by the supervising authority
(its `agency`, the Department of Science and Technology), with `RolloutMilestone`s, `RolloutBudgetLine`s and the
agencies it targets (`RolloutTarget`, with the consultant assigned to each). These are records of the authority:
read by the supervisors of its province and national supervisors, written by the supervisors of the province;
the agencies' people do not see them (404).

An `AgencyStage` is an agency's own record of where its QMS stands as far as the supervisor is concerned: the
stage the supervisor confirmed (when the records do not tell the whole story), and whether the agency had a
TCVN ISO 9001:2008 system and when it converted to TCVN ISO 9001:2015. The derived stage is never stored: see
eiso.oversight.stages.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, AuthorityOwnedModel
from eiso.core.permissions import Role
from eiso.oversight.choices import MilestoneKind, Stage


class RolloutPlan(AuthorityOwnedModel):
    """A province's plan to build and apply QMSs in its agencies (a document issued outside eISO: its number,
    date and issuer are recorded as they are).

    Invariants: the period ends on or after its start; milestones, budget lines and targets belong to the plan's
    authority; targets are agencies of the plan's province, each once."""

    number = models.CharField(_("number"), max_length=60, help_text=_("As issued, e.g. 125/KH-UBND."))
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255, help_text=_("e.g. UBND tỉnh Lào Cai."))
    title = models.CharField(_("title"), max_length=500)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("rollout plan")
        verbose_name_plural = _("rollout plans")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                   name="rolloutplan_period_ordered",
                                   violation_error_message=_("The period must end on or after its start.")),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("oversight:plan_detail", args=[self.pk])


class RolloutMilestone(AuthorityOwnedModel):
    """A step of a plan with its planned date and, once the step is over for the whole plan, the day it was done.
    Its agency is the plan's (the authority)."""

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="milestones",
                             verbose_name=_("rollout plan"))
    kind = models.CharField(_("step"), max_length=30, choices=MilestoneKind.choices)
    title = models.CharField(_("description"), max_length=300, blank=True)
    planned_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_notes = models.TextField(_("notes on completion"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.planned_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return self.plan.get_absolute_url() + "#milestones"


class RolloutBudgetLine(AuthorityOwnedModel):
    """A line of the plan's budget (kinh phí) in Vietnamese đồng. Its agency is the plan's (the authority)."""

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="budget_lines",
                             verbose_name=_("rollout plan"))
    item = models.CharField(_("item"), max_length=300)
    amount = models.DecimalField(_("amount (VND)"), max_digits=15, decimal_places=0)
    source = models.CharField(_("source of funds"), max_length=200, blank=True,
                              help_text=_("e.g. provincial budget, commune budget."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="rolloutbudgetline_amount_positive",
                                   violation_error_message=_("The amount must be more than 0 đồng.")),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount:,.0f} đ".replace(",", ".")

    def get_absolute_url(self):
        return self.plan.get_absolute_url() + "#budget"


class RolloutTarget(AuthorityOwnedModel):
    """An agency a plan targets, with the consultant assigned to it. Unlike the plan's other parts, `agency` is
    the targeted agency; the record belongs to the plan's authority (`agency_field`: who may read and write it is
    decided by the plan's agency), so the targeted agency's people do not see it."""

    agency_field = "plan__agency"

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="targets",
                             verbose_name=_("rollout plan"))
    consultant = models.ForeignKey("trainings.Consultant", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="rollout_targets", verbose_name=_("consultant"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target agency")
        verbose_name_plural = _("target agencies")
        ordering = ["plan", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="rollouttarget_unique_agency",
                                    violation_error_message=_("This agency is already a target of the plan.")),
        ]

    def __str__(self) -> str:
        return f"{self.plan.number}: {self.agency}"

    def get_absolute_url(self):
        return self.plan.get_absolute_url() + "#targets"


STAGE_VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
STAGE_ROLES = {
    "view": STAGE_VIEWERS,
    # written by the supervising authority of the agency's province only (a rule of eiso.oversight.services)
    "add": frozenset(),
    "change": frozenset(),
    "delete": frozenset(),
    "approve": frozenset(),
}


class AgencyStage(AgencyOwnedModel):
    """The supervisor's record of an agency's QMS: a confirmed stage (empty: the stage derived from the records
    stands), who confirmed it and when, and the conversion from a TCVN ISO 9001:2008 system.

    Invariants: one per agency; `converted_on` only with `had_2008_system`; written only through
    eiso.oversight.services by the supervising authority of the agency's province (or an administrator)."""

    confirmed_stage = models.CharField(_("confirmed stage"), max_length=20, choices=Stage.choices, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("What the confirmation rests on, e.g. an inspection."))
    had_2008_system = models.BooleanField(_("had a TCVN ISO 9001:2008 system"), default=False)
    converted_on = models.DateField(_("converted to TCVN ISO 9001:2015 on"), null=True, blank=True)

    permitted_roles = STAGE_ROLES

    class Meta:
        verbose_name = _("QMS stage")
        verbose_name_plural = _("QMS stages")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="agencystage_one_per_agency"),
            models.CheckConstraint(condition=models.Q(converted_on__isnull=True) | models.Q(had_2008_system=True),
                                   name="agencystage_converted_from_2008",
                                   violation_error_message=_("Only an agency that had a TCVN ISO 9001:2008 "
                                                             "system converts to TCVN ISO 9001:2015.")),
        ]

    def __str__(self) -> str:
        return str(self.agency)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("oversight:stage_detail", args=[self.agency_id])

    @property
    def is_converted(self) -> bool:
        return self.had_2008_system and self.converted_on is not None
