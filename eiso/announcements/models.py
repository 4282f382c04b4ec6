"""Conformity announcements (công bố HTQLCL phù hợp TCVN ISO 9001; Decision 19/2014 Art. 4, Circular 26/2014).

A `ConformityAnnouncement` is the agency head's decision that the agency's QMS conforms to TCVN ISO 9001:2015.
The coordinator (or the head) prepares a draft: the scope and the list of procedures come from the QMS and its
published procedure processes. Only the head signs it; signing gives it the next number of the agency's year
("15/QĐ-UBND"), freezes the snapshot of the procedures in scope, notifies the supervising authority of the
province in the system (`notified_at`; the supervisor acknowledges receipt) and, for a re-announcement, supersedes
the announcement it replaces. A signed decision never changes: only its lifecycle is recorded afterwards (posted
at the seat and on the website, acknowledged by the supervisor, superseded by a later one). Signed announcements
are public (the register of announcements and the agency's public page).

Who: read by the agency's head, coordinator, staff and auditors and by the supervisors of the province; prepared
by the head and the coordinator; signed by the head alone; acknowledged by the supervising authority.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eiso.announcements.choices import AnnouncementKind, AnnouncementStatus, ReannouncementReason
from eiso.core.errors import ApplicationError
from eiso.core.frozen import FrozenModel, FrozenQuerySet
from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.core.querysets import RestrictedQuerySet

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
ANNOUNCEMENT_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": frozenset({Role.AGENCY_HEAD}),
}

# What may still be recorded on a signed decision: its lifecycle, never its content.
LIFECYCLE_FIELDS = frozenset({"status", "superseded_on", "notified_at", "acknowledged_at", "acknowledged_by_id",
                              "posted_on", "posted_url", "updated_at"})
# Status moves allowed once signed (the services decide when).
SIGNED_MOVES = {
    AnnouncementStatus.SIGNED: {AnnouncementStatus.SIGNED, AnnouncementStatus.SUPERSEDED},
    AnnouncementStatus.SUPERSEDED: {AnnouncementStatus.SUPERSEDED},
}


def immutable_error() -> ApplicationError:
    return ApplicationError(
        gettext("A signed announcement cannot be changed. If the scope changed, prepare a re-announcement."),
        code="announcement_signed")


class AnnouncementQuerySet(FrozenQuerySet, RestrictedQuerySet):
    """Bulk writes cannot go around the rule of the model: a signed decision's content never changes and a signed
    decision is never deleted (eiso.core.frozen)."""


class AnnouncementManager(models.Manager.from_queryset(AnnouncementQuerySet)):
    pass


class ConformityAnnouncement(FrozenModel, AgencyOwnedModel):
    """One decision announcing the conformity of an agency's QMS (`agency`: the announcing agency).

    Invariants: numbered (number, year, symbol, signed on) exactly when signed; at most one draft and one
    announcement in force per agency; once signed its content (number, scope, procedures, signer…) never changes;
    a re-announcement names the one it replaces, which is superseded when it is signed.
    """

    qms = models.ForeignKey("organizations.QMS", on_delete=models.PROTECT, related_name="announcements",
                            verbose_name=_("QMS"))
    kind = models.CharField(_("kind"), max_length=20, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.FIRST)
    reason = models.CharField(_("reason for the re-announcement"), max_length=20, blank=True,
                              choices=ReannouncementReason.choices)
    reason_detail = models.TextField(_("what changed"), blank=True,
                                     help_text=_("The procedures added or removed, the agencies merged…"))
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
                                 verbose_name=_("replaces"))
    status = models.CharField(_("status"), max_length=20, choices=AnnouncementStatus.choices,
                              default=AnnouncementStatus.DRAFT)
    symbol = models.CharField(_("document symbol"), max_length=40,
                              help_text=_("The part after the number, e.g. QĐ-UBND or QĐ-STP."))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("signed by"))
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=150,
                                       help_text=_("As printed above the signature, e.g. Chủ tịch or Giám đốc."))
    standard = models.CharField(_("standard"), max_length=60, default="TCVN ISO 9001:2015")
    scope = models.TextField(_("scope"))
    procedures = models.JSONField(_("procedures in scope"), default=list, blank=True,
                                  help_text="[{code, title, procedures: [catalogue codes]}]")
    qms_scope = models.TextField(_("scope of the QMS when signed"), blank=True)
    effectiveness_confirmed_on = models.DateField(_("effectiveness confirmed on"), null=True, blank=True)
    notified_at = models.DateTimeField(_("supervising authority notified at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("receipt acknowledged by"))
    posted_on = models.DateField(_("posted at the seat on"), null=True, blank=True)
    posted_url = models.URLField(_("web address of the posting"), blank=True, max_length=500)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)

    objects = AnnouncementManager()
    permitted_roles = ANNOUNCEMENT_ROLES

    class Meta:
        verbose_name = _("conformity announcement")
        verbose_name_plural = _("conformity announcements")
        ordering = ["-signed_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], condition=Q(number__isnull=False),
                                    name="announcement_unique_number"),
            models.UniqueConstraint(fields=["agency"], condition=Q(status=AnnouncementStatus.DRAFT),
                                    name="announcement_one_draft"),
            models.UniqueConstraint(fields=["agency"], condition=Q(status=AnnouncementStatus.SIGNED),
                                    name="announcement_one_in_force"),
            models.CheckConstraint(
                condition=Q(status=AnnouncementStatus.DRAFT) | Q(number__isnull=False, year__isnull=False,
                                                                 signed_on__isnull=False),
                name="announcement_signed_numbered"),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return gettext("Draft announcement – %(agency)s") % {"agency": self.agency}
        return f"{self.number_display} – {self.agency}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("announcements:announcement_detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        """"15/QĐ-UBND" (two digits under 10, Decree 30); "" for a draft."""
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.symbol}" if self.symbol else f"{self.number:02d}"

    @property
    def is_draft(self) -> bool:
        return self.status == AnnouncementStatus.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status == AnnouncementStatus.SIGNED

    @property
    def procedure_codes(self) -> list[str]:
        return [str(item.get("code", "")) for item in self.procedures or [] if isinstance(item, dict)]

    FROZEN_MOVES = SIGNED_MOVES
    LIFECYCLE_FIELDS = LIFECYCLE_FIELDS

    @classmethod
    def frozen_error(cls):
        return immutable_error()
