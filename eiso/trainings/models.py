"""Trainings and consultants: the supervising authority's register of the courses it organises and of the
consulting organisations that help agencies build their QMS.

* `Training` (đào tạo, tập huấn): a course of the province's Department of Science and Technology (Sở KH&CN),
  numbered per year; its `Participant`s come from the province's agencies, each with attendance, result and a
  certificate number (see services.certificates_issue).
* `Consultant` (đơn vị tư vấn): an organisation with its licence; `ConsultantEngagement`: an agency it served,
  from/to; `ConsultantIssue`: a problem with its work reported by the supervisor or by the served agency.

Who: courses and consultants are the authority's own records (AuthorityOwnedModel): read by the supervisors of
the province and national supervisors, written by the supervisors of the province. Participants, engagements and
issues belong to the agency concerned (AgencyOwnedModel with `agency` = that agency), so that its head and ISO
coordinator read their own rows (never another agency's) while the authority writes them (`AuthorityManagedQuerySet`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, AuthorityOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role, scope_for
from eiso.core.querysets import RestrictedQuerySet
from eiso.trainings.choices import LICENSED_STATES, IssueStatus, LicenceState, TrainingKind

# A licence that ends within this many days is shown as expiring soon.
LICENCE_EXPIRING_DAYS = 60


class Consultant(AuthorityOwnedModel):
    """A consulting organisation (đơn vị tư vấn) working in the province. Circular 26/2014 Art. 36 asks whether an
    agency's consultant was duly licensed: the licence and its validity are kept here."""

    name = models.CharField(_("organisation"), max_length=255)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    licence_issuer = models.CharField(_("licence issued by"), max_length=255, blank=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    experts = models.TextField(_("experts"), blank=True, help_text=_("One expert per line: name, qualification."))
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="consultant_unique_name_per_authority",
                                    violation_error_message=_("This consultant is already registered.")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        return reverse("trainings:consultant_detail", args=[self.pk])

    def licence_state(self, on: dt.date | None = None) -> str:
        """The licence on `on` (today by default): missing without a number, not yet valid before its issue date,
        expired after its end date, expiring within LICENCE_EXPIRING_DAYS of it; without an end date a licence
        with a number is valid from its issue date."""
        from eiso.core.permissions import today

        on = on or today()
        if not self.licence_number.strip():
            return LicenceState.MISSING
        if self.licence_issued_on and self.licence_issued_on > on:
            return LicenceState.NOT_YET_VALID
        if self.licence_valid_until:
            if self.licence_valid_until < on:
                return LicenceState.EXPIRED
            if (self.licence_valid_until - on).days <= LICENCE_EXPIRING_DAYS:
                return LicenceState.EXPIRING
        return LicenceState.VALID

    def licence_state_label(self, on: dt.date | None = None) -> str:
        return LicenceState(self.licence_state(on)).label

    def is_licensed_on(self, on: dt.date) -> bool:
        return self.licence_state(on) in LICENSED_STATES

    @property
    def expert_lines(self) -> list[str]:
        return [line.strip() for line in self.experts.splitlines() if line.strip()]


class Training(AuthorityOwnedModel):
    """A training course organised by the supervising authority, numbered per authority and year (the year of its
    first day): "03/2025" is the third course of 2025.

    Invariants: the course ends on or after its first day; its year changes with its first day only while no
    certificate is issued (certificate numbers carry the course number and year).
    """

    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    topic = models.CharField(_("topic"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices, default=TrainingKind.AWARENESS)
    start_on = models.DateField(_("first day"))
    end_on = models.DateField(_("last day"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    trainer = models.CharField(_("trainer"), max_length=300, blank=True,
                               help_text=_("The lecturer or the organisation that teaches the course."))
    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="trainings", verbose_name=_("trainer's organisation"),
                                   help_text=_("When a registered consultant teaches the course."))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="training_unique_number"),
            models.CheckConstraint(condition=Q(start_on__lte=models.F("end_on")), name="training_dates_ordered",
                                   violation_error_message=_("The course must end on or after its first day.")),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.year} – {self.topic}"

    def get_absolute_url(self):
        return reverse("trainings:training_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.number:02d}/{self.year}"


class AuthorityManagedQuerySet(RestrictedQuerySet):
    """A row of an agency (its participant, its consultant's engagement, an issue with its consultant) kept by the
    supervising authority. Read like any agency-owned row (the agency's people allowed by `permitted_roles`, the
    supervisors of its province, national supervisors); written by the supervisors of the province whose authority
    holds the parent record (`authority_field`), and by the agency's roles that `permitted_roles` allows."""

    authority_field = "agency"

    def restrict(self, user, action: str = "view"):
        if action == "view":
            return super().restrict(user, action)
        scope = scope_for(user)
        if scope.is_global:
            return self
        by_roles = super().restrict(user, action)
        if not scope.authority_provinces:
            return by_roles
        authority = getattr(self.model, "authority_field", self.authority_field)
        return by_roles | self.filter(**{f"{authority}__province__in": scope.authority_provinces})


class AuthorityManagedManager(models.Manager.from_queryset(AuthorityManagedQuerySet)):
    pass


# The agency's head and ISO coordinator read what concerns their agency; nobody in the agency writes it.
READ_BY_MANAGERS = {
    "view": AGENCY_MANAGERS | {Role.SUPERVISOR},
    "add": frozenset(),
    "change": frozenset(),
    "delete": frozenset(),
    "approve": frozenset(),
}


class Participant(AgencyOwnedModel):
    """One person on a course. `agency` is the person's agency (one of the province's), so that its head and ISO
    coordinator see their own people and no one else's.

    Certificates: `certificate_sequence` is numbered per course (1, 2, …) when the certificates are issued;
    `certificate_number` is printed as "<course number>.<sequence>/<year>/GCN" (e.g. "03.015/2025/GCN"), unique in
    the province because the course number is unique per authority and year. Only a participant who passed gets
    one; a number once given is never reused (the participant cannot be removed or marked as failed).
    """

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants",
                                 verbose_name=_("training course"))
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user account"))
    attended = models.BooleanField(_("attended"), default=True)
    passed = models.BooleanField(_("passed"), default=False)
    certificate_sequence = models.PositiveSmallIntegerField(_("certificate sequence"), null=True, blank=True,
                                                            editable=False)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True, editable=False)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True, editable=False)

    objects = AuthorityManagedManager()
    permitted_roles = READ_BY_MANAGERS
    authority_field = "training__agency"

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["training", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["training", "certificate_sequence"], name="participant_unique_certificate"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.training.reference})"

    def get_absolute_url(self):
        return reverse("trainings:training_detail", args=[self.training_id]) + f"#participant-{self.pk}"


class ConsultantEngagement(AgencyOwnedModel):
    """A consultant's work for one agency (the agency served), from its first day to its last (open while going
    on). `consultant_licensed` reads these. Recorded by the supervising authority."""

    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="engagements",
                                   verbose_name=_("consultant"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while the work goes on."))
    scope_note = models.TextField(_("scope of the work"), blank=True,
                                  help_text=_("What the consultant does: building documents, training, audit…"))

    objects = AuthorityManagedManager()
    permitted_roles = READ_BY_MANAGERS
    authority_field = "consultant__agency"

    class Meta:
        verbose_name = _("consultant engagement")
        verbose_name_plural = _("consultant engagements")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(started_on__lte=models.F("ended_on")),
                                   name="engagement_dates_ordered",
                                   violation_error_message=_("The engagement must end on or after it starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} → {self.agency}"

    def get_absolute_url(self):
        return reverse("trainings:consultant_detail", args=[self.consultant_id]) + f"#engagement-{self.pk}"

    def is_active_on(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)


class ConsultantIssue(AgencyOwnedModel):
    """A problem with a consultant's work at an agency (late, poor documents, an unlicensed expert…), reported by
    the supervising authority or by the agency's head or ISO coordinator, open until someone records how it was
    resolved. `agency` is the agency served."""

    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="issues",
                                   verbose_name=_("consultant"))
    reported_on = models.DateField(_("reported on"))
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reported by"))

    objects = AuthorityManagedManager()
    permitted_roles = {
        "view": AGENCY_MANAGERS | {Role.SUPERVISOR},
        "add": AGENCY_MANAGERS,
        "change": AGENCY_MANAGERS,
        "delete": frozenset(),
        "approve": frozenset(),
    }
    authority_field = "consultant__agency"

    class Meta:
        verbose_name = _("consultant issue")
        verbose_name_plural = _("consultant issues")
        ordering = ["-reported_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.consultant} / {self.agency}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("trainings:consultant_detail", args=[self.consultant_id]) + f"#issue-{self.pk}"
