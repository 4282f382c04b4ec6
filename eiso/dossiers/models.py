"""Dossiers (hồ sơ TTHC): one application by a citizen or business, received at an agency's one-stop desk
and processed step by step on the agency's process, against the statutory deadline counted in working
days by the calendars app.

A `Dossier` is created at the desk: valid ones get a code (`DossierCounter`, one row per agency and day,
locked while the next number is taken) and a due moment; incomplete or refused ones are recorded without
code or deadline. `DossierStep` rows are the control slip (who, unit, received, handed over, due, result).
`DossierPause` rows are the times the clock stopped (waiting for a supplement or for fees).
`DossierEvent` is the trail (who did what, when; `public` ones are shown on the public lookup).
`DossierTally` holds the statistics, kept up to date in the same transaction as every change (tallies.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.catalog.choices import Channel
from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.core.querysets import RestrictedManager, RestrictedQuerySet, SearchableQuerySetMixin
from eiso.core.text import fold
from eiso.dossiers.choices import (
    OPEN_STATUSES,
    ApplicantKind,
    DossierStatus,
    Outcome,
    PauseKind,
    ReturnMethod,
    Satisfaction,
    Source,
)

DESK_ROLES = frozenset({*AGENCY_MANAGERS, Role.STAFF})
# Citizens' personal data: the agency's own people handle it; auditors read it; consultants and the
# supervising authority see statistics only.
# "handle" (receive, hand over, return...) is given by the role table to the head, the coordinator and staff.
DOSSIER_ROLES = {"view": {*DESK_ROLES, Role.AUDITOR}, "handle": DESK_ROLES, "add": frozenset(),
                 "change": frozenset(), "delete": frozenset()}


class DossierSettings(AgencyOwnedModel):
    """How an agency's desk numbers dossiers and applies the receipt cut-off (defaults in settings.EISO)."""

    unit_code = models.CharField(_("unit identifier"), max_length=40, blank=True,
                                 help_text=_("The start of every dossier code; the agency's code when empty."))
    code_pattern = models.CharField(_("code pattern"), max_length=80, blank=True,
                                    help_text=_("Placeholders {unit}, {date:%y%m%d}, {seq:04d}; the default when "
                                                "empty."))
    receipt_cutoff = models.TimeField(_("receipt cut-off"), null=True, blank=True,
                                      help_text=_("Dossiers received after this time count from the next working "
                                                  "day; the default (15:00) when empty."))

    permitted_roles = {"view": DESK_ROLES, "add": AGENCY_MANAGERS, "change": AGENCY_MANAGERS,
                       "delete": frozenset()}

    class Meta:
        verbose_name = _("dossier settings")
        verbose_name_plural = _("dossier settings")
        constraints = [models.UniqueConstraint(fields=["agency"], name="dossiersettings_one_per_agency")]


class DossierCounter(AgencyOwnedModel):
    """The last sequence number given on one day: locked while a receipt takes the next one."""

    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossiercounter_one_per_day")]


# What the desk's search finds a dossier by (folded: "nguyen van an" finds "Nguyễn Văn An").
SEARCHED_FIELDS = ("code", "applicant_name", "applicant_id_number", "applicant_phone")


def dossier_search_text(dossier) -> str:
    return fold(" ".join(getattr(dossier, name) or "" for name in SEARCHED_FIELDS))


class DossierQuerySet(SearchableQuerySetMixin, RestrictedQuerySet):
    pass


class Dossier(AgencyOwnedModel):
    code = models.CharField(_("dossier code"), max_length=60, blank=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers",
                                  verbose_name=_("administrative procedure"))
    case = models.ForeignKey("catalog.ProcedureCase", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="dossiers", verbose_name=_("procedure case"))
    process = models.ForeignKey("processes.Process", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="dossiers", verbose_name=_("process"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.NATIVE)
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.DIRECT)
    # The applicant
    applicant_kind = models.CharField(_("applicant is a"), max_length=20, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("applicant"), max_length=300)
    applicant_id_number = models.CharField(_("ID or tax number"), max_length=30, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    components = models.JSONField(_("dossier components"), default=list, blank=True,
                                  help_text="[{name, kind, quantity, submitted}]")
    # Receipt and deadline
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("received by"))
    counted_from = models.DateTimeField(_("time counted from"), null=True, blank=True)
    duration = models.DecimalField(_("statutory duration"), max_digits=8, decimal_places=2, null=True, blank=True)
    duration_unit = models.CharField(_("unit"), max_length=20, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True,
                                  help_text=_("The statutory due moment (moved by the clock's stops only)."))
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True,
                                          help_text=_("The date given to the applicant (moved once by an apology)."))
    # Result
    finished_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    outcome = models.CharField(_("classification"), max_length=20, choices=Outcome.choices, blank=True)
    notified_at = models.DateTimeField(_("applicant notified at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_method = models.CharField(_("returned"), max_length=20, choices=ReturnMethod.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True,
                              help_text=_("Why it was refused, stopped, withdrawn or found incomplete."))
    # Late
    apology_at = models.DateTimeField(_("apology issued at"), null=True, blank=True)
    apology_reason = models.TextField(_("reason for the delay"), blank=True)
    # Satisfaction
    rating = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices, null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    # dossier_search_text(), set by save() and imports ("" by default in the database, for bulk SQL loads)
    search_text = models.TextField(editable=False, blank=True, db_default="")

    objects = RestrictedManager.from_queryset(DossierQuerySet)()
    permitted_roles = DOSSIER_ROLES

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], condition=~Q(code=""), name="dossier_unique_code"),
        ]
        indexes = [
            models.Index(fields=["agency", "-submitted_at"], name="dossier_agency_submitted"),
            models.Index(fields=["code"], name="dossier_code"),  # the public lookup
            models.Index(fields=["agency", "due_at"], condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                         name="dossier_open_due"),
        ]

    def __str__(self) -> str:
        return self.code or f"{self.applicant_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("dossiers:dossier_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def save(self, *args, **kwargs):
        self.search_text = dossier_search_text(self)
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)


class DossierStep(AgencyOwnedModel):
    """One step of the control slip: the step of the process, who had it, when it was received and handed
    over, its due moment and its result."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps", db_index=False)
    order = models.PositiveSmallIntegerField(_("step"))
    process_step = models.ForeignKey("processes.ProcessStep", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    action = models.TextField(_("action"))
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("unit"))
    hours = models.DecimalField(_("time (working hours)"), max_digits=7, decimal_places=2, null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("assignee"))
    started_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    finished_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("handed over by"))
    result = models.CharField(_("result"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    permitted_roles = DOSSIER_ROLES

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossierstep_unique_order")]

    @property
    def is_current(self) -> bool:
        return self.started_at is not None and self.finished_at is None


class DossierPause(AgencyOwnedModel):
    """A time the clock stood still: from the request to the applicant until they answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=20, choices=PauseKind.choices)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    permitted_roles = DOSSIER_ROLES

    class Meta:
        verbose_name = _("clock stop")
        verbose_name_plural = _("clock stops")
        ordering = ["dossier", "started_at"]
        constraints = [models.UniqueConstraint(fields=["dossier"], condition=Q(ended_at__isnull=True),
                                               name="dossierpause_one_open")]


class DossierEvent(AgencyOwnedModel):
    """The trail: every action on the dossier. `public` events make the history of the public lookup."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    public = models.BooleanField(default=True)

    permitted_roles = DOSSIER_ROLES

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "created_at"]


class DossierTally(AgencyOwnedModel):
    """Statistics of one agency, procedure and month, maintained with every change of a dossier (dossiers
    received in the month; dossiers resolved in the month by classification; stopped or withdrawn; working
    time used and allowed; satisfaction ratings). Dashboards add up these rows instead of scanning dossiers."""

    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey("catalog.Field", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    province = models.ForeignKey("organizations.AdminUnit", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    month = models.DateField()  # the first day of the month
    received = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)
    used_hours = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    allowed_hours = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    ratings = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)

    permitted_roles = {"view": {*DESK_ROLES, Role.AUDITOR, Role.SUPERVISOR}, "add": frozenset(),
                       "change": frozenset(), "delete": frozenset()}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "procedure", "month"], name="dossiertally_unique")]
        indexes = [models.Index(fields=["province", "month"], name="dossiertally_province_month")]
