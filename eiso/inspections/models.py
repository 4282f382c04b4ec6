"""Inspections by the supervising authority (Decision 19/2014, Circular 26/2014 Art. 36).

The province's Department of Science and Technology (Sở KH&CN) keeps a yearly `InspectionPlan` (an
AuthorityOwnedModel: read by the supervisors of the province and national supervisors, written by the province's
supervisors). Its lines are `Inspection`s, one per agency inspected, each on site or by documents; at least a share
of them (`min_on_site_share`, default 1/3 from settings.EISO["INSPECTION_MIN_ON_SITE_SHARE"]) must be on site for
the plan to be approved.

An `Inspection` belongs to the INSPECTED agency (AgencyOwnedModel), so that its people read their own inspection;
the province's supervisors write the decision, the checklist (`InspectionChecklistItem`, one per Art. 36 point), the
findings (`InspectionFinding`) and the minutes — checked in the services with `scope_for(actor).is_authority_for()`.
After the minutes are signed the agency's head or ISO coordinator records the corrective action taken on each
finding and submits the corrective-action report, due within 2 calendar months of the signed minutes; the supervisor
closes each finding and then the inspection.

planned → decided → minutes signed → corrective-action report submitted → closed (eiso.inspections.workflow).
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, AuthorityOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.inspections.choices import (
    FindingStatus,
    InspectionMethod,
    InspectionStatus,
    PlanStatus,
    PointResult,
)

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
# Rows of the inspected agency: read by its people (but consultants) and the supervisors of its province; the agency
# head and ISO coordinator change them (the corrective actions and the report, a rule of the services); nobody adds
# or deletes them through restrict(): the supervising authority writes through the services.
INSPECTION_ROLES = {
    "view": VIEWERS,
    "add": frozenset(),
    "change": AGENCY_MANAGERS,
    "delete": frozenset(),
    "approve": frozenset(),
}


def default_on_site_share() -> str:
    """The minimum share of on-site inspections a new plan asks for (DOMAIN: "at least one third on site")."""
    return str(settings.EISO.get("INSPECTION_MIN_ON_SITE_SHARE", "1/3"))


def parse_share(text) -> Fraction:
    """"1/3", "0.5", "50%" → a fraction in (0, 1]; ValueError otherwise."""
    value = str(text or "").strip().replace(",", ".")
    percent = value.endswith("%")
    share = Fraction(value.rstrip("%").strip())
    if percent:
        share /= 100
    if not 0 < share <= 1:
        raise ValueError(value)
    return share


def validate_share(value) -> None:
    try:
        parse_share(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(_("Write a share between 0 and 1, such as 1/3, 0.5 or 40%."), code="invalid_share") \
            from exc


class InspectionPlan(AuthorityOwnedModel):
    """The supervising authority's yearly inspection plan (kế hoạch kiểm tra), numbered per authority and year.

    Invariants: approved only with at least one line and with at least `min_on_site_share` of its lines on site;
    its lines are added, changed and removed only while it is a draft."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    min_on_site_share = models.CharField(
        _("minimum share on site"), max_length=12, default=default_on_site_share, validators=[validate_share],
        help_text=_("At least this share of the plan's inspections are made on site, e.g. 1/3."))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="inspectionplan_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.label} – {self.title}"

    @property
    def label(self) -> str:
        return f"{self.number:02d}/KH-{self.year}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("inspections:plan_detail", args=[self.pk])

    @property
    def on_site_share(self) -> Fraction:
        try:
            return parse_share(self.min_on_site_share)
        except (ValueError, ZeroDivisionError):
            return parse_share(default_on_site_share())


class Inspection(AgencyOwnedModel):
    """The inspection of one agency (the `agency`, inspected) under a plan of its province's supervising authority
    (`authority`, the plan's agency): the decision, the checklist, the findings, the minutes and the agency's
    corrective-action report.

    Invariants: one line per agency and plan; decision numbers are unique per authority and year; the status moves
    only through eiso.inspections.workflow."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspections",
                             verbose_name=_("inspection plan"))
    authority = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+",
                                  editable=False, verbose_name=_("supervising authority"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    method = models.CharField(_("method"), max_length=20, choices=InspectionMethod.choices,
                              default=InspectionMethod.BY_DOCUMENTS)
    planned_month = models.PositiveSmallIntegerField(_("planned month"), null=True, blank=True)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InspectionStatus.choices,
                              default=InspectionStatus.PLANNED)
    # The decision (quyết định kiểm tra).
    decision_number = models.PositiveSmallIntegerField(_("decision number"), null=True, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=200, blank=True)
    decision_signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    decision_grounds = models.TextField(_("legal grounds"), blank=True, help_text=_("One ground per line."))
    team = models.TextField(_("inspection team"), blank=True, help_text=_(
        "One member per line: name – position – role in the team. The first line is the team leader."))
    on_site_on = models.DateField(_("date of the visit"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)
    # The minutes (biên bản kiểm tra).
    minutes_signed_on = models.DateField(_("minutes signed on"), null=True, blank=True)
    minutes_place = models.CharField(_("place"), max_length=300, blank=True)
    participants = models.TextField(_("participants of the agency"), blank=True,
                                    help_text=_("One person per line: name – position."))
    conclusion = models.TextField(_("conclusion"), blank=True)
    agency_representative = models.CharField(_("agency head (signs the minutes)"), max_length=200, blank=True)
    agency_representative_position = models.CharField(_("agency head's position"), max_length=200, blank=True)
    # The corrective-action report (báo cáo khắc phục), due within 2 months of the signed minutes.
    report_due_on = models.DateField(_("corrective-action report due on"), null=True, blank=True)
    report_summary = models.TextField(_("report summary"), blank=True)
    report_first_submitted_on = models.DateField(_("report first submitted on"), null=True, blank=True)
    report_submitted_on = models.DateField(_("report submitted on"), null=True, blank=True)
    report_submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+", verbose_name=_("report submitted by"))
    return_comment = models.TextField(_("comment on the returned report"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))

    permitted_roles = INSPECTION_ROLES

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-year", "planned_month", "planned_on", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspection_one_per_agency_and_plan",
                                    violation_error_message=_("This agency is already in the plan.")),
            models.UniqueConstraint(fields=["authority", "year", "decision_number"],
                                    name="inspection_unique_decision_number"),
            models.CheckConstraint(condition=models.Q(planned_month__isnull=True)
                                   | models.Q(planned_month__gte=1, planned_month__lte=12),
                                   name="inspection_planned_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.year})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("inspections:inspection_detail", args=[self.pk])

    @property
    def is_on_site(self) -> bool:
        return self.method == InspectionMethod.ON_SITE

    @property
    def decision_label(self) -> str:
        return f"{self.decision_number:02d}/QĐ-SKHCN" if self.decision_number else ""

    @property
    def team_lines(self) -> list[str]:
        return [line.strip() for line in self.team.splitlines() if line.strip()]

    @property
    def team_leader(self) -> str:
        """The name on the first line of the team (before its first dash or comma)."""
        lines = self.team_lines
        if not lines:
            return ""
        import re

        return re.split(r"\s[–-]\s|,", lines[0], maxsplit=1)[0].strip()

    def report_overdue_on(self, today) -> bool:
        """Minutes signed, the report not submitted, and its due date passed."""
        return (self.status == InspectionStatus.MINUTES_SIGNED and self.report_due_on is not None
                and today > self.report_due_on)

    @property
    def report_on_time(self) -> bool | None:
        """Whether the report was first submitted by its due date (None: not submitted)."""
        if self.report_first_submitted_on is None or self.report_due_on is None:
            return None
        return self.report_first_submitted_on <= self.report_due_on


class InspectionChecklistItem(AgencyOwnedModel):
    """One Art. 36 point of an inspection's checklist (keys of eiso.reporting.points.POINTS): the team's result and
    evidence note, beside what eISO's records showed when the checklist was prepared. Its agency is the
    inspection's."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist",
                                   verbose_name=_("inspection"))
    key = models.CharField(_("inspection point"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    result = models.CharField(_("inspection result"), max_length=20, choices=PointResult.choices, blank=True)
    evidence = models.TextField(_("evidence note"), blank=True)
    records_met = models.BooleanField(_("eISO records show it met"), null=True, blank=True)
    records_detail = models.TextField(_("eISO records show"), blank=True)
    records_at = models.DateTimeField(_("read from eISO at"), null=True, blank=True)

    permitted_roles = INSPECTION_ROLES

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "key"], name="inspectionchecklist_unique_key")]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.key}"

    def get_absolute_url(self):
        return self.inspection.get_absolute_url() + "#checklist"


class InspectionFinding(AgencyOwnedModel):
    """A finding of an inspection (tồn tại, kiến nghị) on an Art. 36 point (or none), with the corrective action
    required; the agency records the action taken and its evidence; the supervisor closes it (or not yet, with a
    comment). Its agency is the inspection's."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings",
                                   verbose_name=_("inspection"))
    point_key = models.CharField(_("inspection point"), max_length=60, blank=True)
    description = models.TextField(_("finding"))
    required_action = models.TextField(_("corrective action required"))
    action_taken = models.TextField(_("action taken"), blank=True)
    action_evidence = models.TextField(_("evidence of the action"), blank=True)
    action_recorded_at = models.DateTimeField(_("action recorded at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    review_comment = models.TextField(_("supervisor's comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))

    permitted_roles = INSPECTION_ROLES

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "created_at"]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.description[:60]}"

    def get_absolute_url(self):
        return self.inspection.get_absolute_url() + f"#finding-{self.pk}"
