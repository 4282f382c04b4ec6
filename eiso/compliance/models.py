"""The yearly compliance calendar of an agency: one `ComplianceItem` per obligation of
`eiso.compliance.obligations` and year, created when the year is opened.

Invariants: one item per (agency, year, obligation); the due date starts at the obligation's default and is moved
only by a manager, with a reason kept in the audit trail; `done_on` and `evidence` are set only on MANUAL items
(the others' status is read from the records, see eiso.compliance.status). `ComplianceReminder` records each
reminder sent, one per item and threshold, so the reminder job never sends the same one twice.

Who (`COMPLIANCE_ROLES`): read by the agency's head, coordinator, staff and auditors and by the supervisor of the
province; managed by the head and the coordinator; consultants and other agencies do not see it (404).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.compliance.obligations import BY_KEY, CHOICES
from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
COMPLIANCE_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": AGENCY_MANAGERS,
}


class ComplianceItem(AgencyOwnedModel):
    """One obligation of an agency's QMS year, with its due date and, for manual items, when it was done."""

    year = models.PositiveSmallIntegerField(_("year"))
    obligation = models.CharField(_("obligation"), max_length=40, choices=CHOICES)
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("marked done by"))
    evidence = models.TextField(_("evidence"), blank=True,
                                help_text=_("What shows that it was done: the document's number and date, where "
                                            "it is kept."))

    permitted_roles = COMPLIANCE_ROLES

    class Meta:
        verbose_name = _("compliance item")
        verbose_name_plural = _("compliance items")
        ordering = ["year", "due_on", "obligation"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "obligation"], name="complianceitem_unique"),
        ]
        indexes = [models.Index(fields=["year", "due_on"], name="complianceitem_year_due")]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return f"{reverse('compliance:calendar')}?year={self.year}&agency={self.agency_id}#item-{self.obligation}"

    @property
    def definition(self):
        return BY_KEY[self.obligation]

    @property
    def title(self) -> str:
        return str(self.definition.title)


class ComplianceReminder(AgencyOwnedModel):
    """A reminder sent for one item at one threshold (days before the due date; 0: due or overdue)."""

    item = models.ForeignKey(ComplianceItem, on_delete=models.CASCADE, related_name="reminders",
                             verbose_name=_("compliance item"))
    days_before = models.SmallIntegerField(_("days before the due date"))
    sent_at = models.DateTimeField(_("sent at"))

    permitted_roles = COMPLIANCE_ROLES

    class Meta:
        verbose_name = _("compliance reminder")
        verbose_name_plural = _("compliance reminders")
        constraints = [
            models.UniqueConstraint(fields=["item", "days_before"], name="compliancereminder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} (-{self.days_before})"
