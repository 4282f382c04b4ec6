"""Internal audit (ISO 9001 clause 9.2).

An `AuditProgramme` per agency and year says which processes and clauses are audited, when and by whom
(`ProgrammeEntry`); the agency head approves it. Each `InternalAudit` of the programme carries its plan
(the glossary's AuditPlan: scope, criteria, team, auditees, `AuditScheduleItem`s), its checklist
(`ChecklistItem`s built from the clause library and the processes audited) and its `AuditFinding`s; a
finding graded major or minor nonconformity is raised as an improvement.Nonconformity and linked.

Invariants (kept by eiso.audits.services): nobody audits their own unit's work (auditor independence);
checklist results and findings are recorded by the audit team only; an approved programme is not edited;
an audit moves planned → in progress → completed only through the transitions of services.

Who (`AUDIT_ROLES`): the agency head and the ISO coordinator manage; staff and internal auditors read
(auditors record results and findings when they are on the team); the supervising authority reads its
provinces' audits; consultants and other agencies do not see them (404).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.audits.choices import AuditStatus, ChecklistResult, ChecklistSource, FindingGrade, ProgrammeStatus
from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
# Roles from which the audit team is chosen.
TEAM_ROLES = frozenset({Role.AUDITOR, Role.ISO_COORDINATOR})
AUDIT_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": AGENCY_MANAGERS,  # ROLE_ACTIONS gives "approve" to the agency head only
}


class AuditProgramme(AgencyOwnedModel):
    """The yearly internal audit programme of an agency (one per year)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    permitted_roles = AUDIT_ROLES

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="auditprogramme_unique_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("audits:programme_detail", args=[self.pk])


class ProgrammeEntry(AgencyOwnedModel):
    """One line of the programme: a process and/or an internal unit, the clauses, the month, the auditor."""

    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="entries",
                                  verbose_name=_("audit programme"))
    process = models.ForeignKey("processes.Process", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("process"))
    org_unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("internal unit"))
    clauses = models.JSONField(_("clauses"), default=list, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("planned month"))
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("auditor"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    permitted_roles = AUDIT_ROLES

    class Meta:
        verbose_name = _("programme entry")
        verbose_name_plural = _("programme entries")
        ordering = ["planned_month", "created_at"]

    def __str__(self) -> str:
        return f"{self.planned_month:02d}/{self.programme.year}: {self.process or self.org_unit or ''}"

    def get_absolute_url(self):
        return self.programme.get_absolute_url()


class InternalAudit(AgencyOwnedModel):
    """One internal audit of a programme with its plan (scope, criteria, team, auditees, schedule).

    The team is the lead auditor and the members: people of the agency holding the auditor role or the
    ISO coordinator, none of whom audits their own unit's work."""

    programme = models.ForeignKey(AuditProgramme, on_delete=models.PROTECT, related_name="audits",
                                  verbose_name=_("audit programme"))
    sequence = models.PositiveSmallIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=40, editable=False)
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"), blank=True)
    processes = models.ManyToManyField("processes.Process", blank=True, related_name="+",
                                       verbose_name=_("processes audited"))
    org_units = models.ManyToManyField("organizations.OrgUnit", blank=True, related_name="+",
                                       verbose_name=_("internal units audited"))
    clauses = models.JSONField(_("clauses"), default=list, blank=True)
    library_version = models.CharField(_("clause library version"), max_length=20)
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="+",
                                       verbose_name=_("documents (criteria)"))
    lead_auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("lead auditor"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("team members"))
    auditees = models.TextField(_("auditees"), blank=True, help_text=_("Who is audited: names and positions."))
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)

    permitted_roles = AUDIT_ROLES

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["programme", "sequence"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="internalaudit_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("audits:audit_detail", args=[self.pk])

    def team(self) -> list:
        """The lead auditor first, then the members."""
        members = [m for m in self.members.order_by("full_name", "username") if m.pk != self.lead_auditor_id]
        return ([self.lead_auditor] if self.lead_auditor_id else []) + members

    def is_team_member(self, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return self.lead_auditor_id == user.pk or self.members.filter(pk=user.pk).exists()


class AuditScheduleItem(AgencyOwnedModel):
    """One line of the audit plan's schedule: when, which unit or process, which clauses, by whom."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="schedule",
                              verbose_name=_("internal audit"))
    on = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    process = models.ForeignKey("processes.Process", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("process"))
    org_unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("internal unit"))
    clauses = models.JSONField(_("clauses"), default=list, blank=True)
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    auditors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                      verbose_name=_("auditors"))

    permitted_roles = AUDIT_ROLES

    class Meta:
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        ordering = ["on", "start_time", "created_at"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def get_absolute_url(self):
        return self.audit.get_absolute_url()


class ChecklistItem(AgencyOwnedModel):
    """One question of an audit's checklist, from the clause library or from a process audited, and its
    result as recorded by a team member."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="checklist",
                              verbose_name=_("internal audit"))
    order = models.PositiveIntegerField(_("order"))
    source = models.CharField(_("source"), max_length=20, choices=ChecklistSource.choices)
    clause = models.CharField(_("clause"), max_length=20)
    process = models.ForeignKey("processes.Process", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("process"))
    question = models.TextField(_("question"))
    guidance = models.TextField(_("evidence to look at"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ChecklistResult.choices, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    permitted_roles = AUDIT_ROLES

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["audit", "order"]
        constraints = [models.UniqueConstraint(fields=["audit", "order"], name="checklistitem_unique_order")]

    def __str__(self) -> str:
        return f"{self.clause}: {self.question[:60]}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("audits:checklist", args=[self.audit_id]) + f"#item-{self.pk}"


class AuditFinding(AgencyOwnedModel):
    """A finding of an internal audit, graded; major and minor nonconformities (and observations on
    request) are raised as nonconformities of the improvement app and linked here."""

    audit = models.ForeignKey(InternalAudit, on_delete=models.CASCADE, related_name="findings",
                              verbose_name=_("internal audit"))
    sequence = models.PositiveSmallIntegerField(_("no."), editable=False)
    grade = models.CharField(_("grade"), max_length=20, choices=FindingGrade.choices)
    clause = models.CharField(_("clause"), max_length=20)
    process = models.ForeignKey("processes.Process", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("process"))
    checklist_item = models.ForeignKey(ChecklistItem, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="findings", verbose_name=_("checklist item"))
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"))
    nonconformity = models.ForeignKey("improvement.Nonconformity", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+", verbose_name=_("nonconformity"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    permitted_roles = AUDIT_ROLES

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["audit", "sequence"]
        constraints = [models.UniqueConstraint(fields=["audit", "sequence"], name="auditfinding_unique_sequence")]

    def __str__(self) -> str:
        return f"{self.audit.number}/{self.sequence:02d} {self.get_grade_display()}"

    def get_absolute_url(self):
        return self.audit.get_absolute_url() + f"#finding-{self.pk}"
