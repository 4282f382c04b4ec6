"""Periodic reports to the supervising authority (Decision 19/2014; Circular 26/2014 Art. 36).

A `ReportingPeriod` is opened by the province's supervising authority (the Department of Science and Technology):
6-monthly, yearly or ad hoc, with the period covered and a due date. Opening it creates one `PeriodicReport` per
active agency of the province (the Department itself too), pre-filled from the agency's records. The agency's ISO
coordinator completes it, the head signs it off, the coordinator or the head submits it; the supervisor accepts it
or returns it with a comment, and a returned report is corrected and submitted again. Each transition leaves a
`PeriodicReportEvent` (who, when, from, to, the comment), so the supervisor's comments stay with the report.

Who: periods are records of the authority (AuthorityOwnedModel): read by the province's supervisors and national
supervisors, changed by the province's supervisors. A report belongs to the reporting agency: read by its head,
coordinator, staff and auditors and by the supervisors; changed by its head and coordinator; signed off by its
head alone; accepted or returned by the supervisors of its province alone (rules of the services).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, AuthorityOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.reporting.choices import EDITABLE_STATUSES, PeriodKind, PeriodStatus, ReportStatus

READERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
REPORT_ROLES = {
    "view": READERS,
    "add": frozenset(),  # created when the supervising authority opens a period
    "change": AGENCY_MANAGERS,
    "delete": frozenset(),
    "approve": frozenset({Role.AGENCY_HEAD}),
}


class ReportingPeriod(AuthorityOwnedModel):
    """A reporting period opened by a province's supervising authority (`agency`).

    Invariants: a 6-monthly period has a half (1 or 2), the others none; one yearly period per authority and year,
    one 6-monthly period per half; the period covered is ordered; once closed it stays closed and its reports no
    longer change.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half of the year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("period covered from"))
    ends_on = models.DateField(_("period covered until"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    note = models.TextField(_("note"), blank=True, help_text=_("What the agencies should report on in particular."))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-due_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], condition=models.Q(kind=PeriodKind.YEARLY),
                                    name="reportingperiod_one_yearly"),
            models.UniqueConstraint(fields=["agency", "year", "half"], condition=models.Q(kind=PeriodKind.SIX_MONTHLY),
                                    name="reportingperiod_one_per_half"),
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")),
                                   name="reportingperiod_ordered"),
            models.CheckConstraint(
                condition=(models.Q(kind=PeriodKind.SIX_MONTHLY, half__in=[1, 2])
                           | (~models.Q(kind=PeriodKind.SIX_MONTHLY) & models.Q(half__isnull=True))),
                name="reportingperiod_half"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reporting:period_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN


class PeriodicReport(AgencyOwnedModel):
    """One agency's report of a period (`agency` is the reporting agency).

    `figures` is the snapshot of the agency's records taken when the report was created or refreshed (the Art. 36
    points as eISO sees them, procedures in scope, documents issued and revised, last audit and review, NCs, legal
    updates, on-time dossiers); `remarks` the coordinator's remark per point key; `results`, `difficulties` and
    `proposals` the narrative. Invariants: one report per (period, agency); it changes only while draft or returned;
    the supervisor's decision and comment are kept (the last one here, each one in the events).
    """

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("reporting period"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    number = models.CharField(_("document number"), max_length=60, blank=True,
                              help_text=_("The report's number in the agency's register, e.g. 112/BC-UBND."))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("figures updated at"), null=True, blank=True)
    remarks = models.JSONField(_("remarks on the inspection points"), default=dict, blank=True)
    results = models.TextField(_("results"), blank=True,
                               help_text=_("How the QMS was maintained and applied in the period."))
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("accepted or returned by"))
    decided_at = models.DateTimeField(_("accepted or returned at"), null=True, blank=True)
    supervisor_comment = models.TextField(_("supervisor's comment"), blank=True)

    permitted_roles = REPORT_ROLES

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["period", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "agency"], name="periodicreport_one_per_agency"),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="periodicreport_agency_status")]

    def __str__(self) -> str:
        return f"{self.period} – {self.agency}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def submitted_on(self) -> dt.date | None:
        return timezone.localdate(self.submitted_at) if self.submitted_at else None

    def is_late(self, today: dt.date | None = None) -> bool:
        """Not submitted by the due date: first submitted after it, or not at all and the date has passed."""
        due_on = self.period.due_on
        if self.first_submitted_at is not None:
            return timezone.localdate(self.first_submitted_at) > due_on
        return (today or timezone.localdate()) > due_on


class PeriodicReportEvent(AgencyOwnedModel):
    """A transition of a report: who, when, from → to, and the comment (the supervisor's, when returned). Its agency
    is the report's."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("periodic report"))
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)  # 1, 2, … per report: the order of events
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)

    permitted_roles = REPORT_ROLES

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report", "sequence"]
        constraints = [models.UniqueConstraint(fields=["report", "sequence"], name="periodicreportevent_sequence")]

    def __str__(self) -> str:
        return f"{self.report}: {self.action}"
