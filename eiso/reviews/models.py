"""Management review (ISO 9001 clause 9.3; Decision 19/2014).

A `ManagementReview` is the agency's yearly review meeting: it is planned (time, place, chair, secretary, the
period reviewed), its inputs (`ReviewInput`, clause 9.3.2) are assembled from eISO's data by
`services.review_inputs_assemble` and commented by the coordinator, it is held (only with inputs), and closed
when the minutes are issued. Its outputs (clause 9.3.3) are `ReviewAction`s, tracked until done and reported
at the next review. The agency head's confirmation that the QMS is effective (Decision 19/2014, before the
announcement) is recorded on a held review, once.

Who: read by the agency's head, coordinator, staff and auditors and by the supervisor of the province; managed
by the head and the coordinator; the confirmation is the head's alone (a rule of the services); consultants and
other agencies do not see reviews (404).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role
from eiso.reviews.choices import ReviewActionKind, ReviewActionStatus, ReviewStatus

VIEWERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.SUPERVISOR})
REVIEW_ROLES = {
    "view": VIEWERS,
    "add": AGENCY_MANAGERS,
    "change": AGENCY_MANAGERS,
    "delete": AGENCY_MANAGERS,
    "approve": frozenset({Role.AGENCY_HEAD}),
}


class ManagementReview(AgencyOwnedModel):
    """One management review meeting of an agency, numbered per agency and year.

    Invariants: held only with assembled inputs of which at least one has content; the inputs do not change
    once it is held; the confirmation of effectiveness is recorded once, by the agency head, on a held review.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=300)
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("chair"))
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("secretary"))
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One person per line: name and position."))
    period_start = models.DateField(_("period reviewed from"))
    period_end = models.DateField(_("period reviewed until"))
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED)
    inputs_assembled_at = models.DateTimeField(_("inputs assembled at"), null=True, blank=True)
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True,
                                  help_text=_("The meeting's conclusion on the suitability, adequacy and "
                                              "effectiveness of the QMS."))
    closed_at = models.DateTimeField(_("minutes issued at"), null=True, blank=True)
    effectiveness_statement = models.TextField(_("statement of effectiveness"), blank=True)
    effectiveness_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                                   blank=True, related_name="+", verbose_name=_("confirmed by"))
    effectiveness_confirmed_at = models.DateTimeField(_("effectiveness confirmed at"), null=True, blank=True)

    permitted_roles = REVIEW_ROLES

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="managementreview_unique_number"),
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                   name="managementreview_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.year} – {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reviews:review_detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        from eiso.reviews.choices import HELD_STATUSES

        return self.status in HELD_STATUSES

    @property
    def held_on(self):
        """The day of the meeting (its recorded time, else the day it was recorded as held)."""
        from django.utils import timezone

        moment = self.meeting_at or self.held_at
        return timezone.localtime(moment).date() if moment else None


class ReviewInput(AgencyOwnedModel):
    """One input of a review (ISO 9001 9.3.2), keyed by its source in `eiso.reviews.inputs.SOURCES`: the lines
    assembled from the data (a list of [label, value]) and the coordinator's comment. Its agency is the
    review's."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="inputs",
                               verbose_name=_("management review"))
    key = models.CharField(_("input"), max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    lines = models.JSONField(_("figures"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    assembled_at = models.DateTimeField(_("assembled at"), null=True, blank=True)

    permitted_roles = REVIEW_ROLES

    class Meta:
        verbose_name = _("review input")
        verbose_name_plural = _("review inputs")
        ordering = ["review", "order"]
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="reviewinput_unique_key")]

    def __str__(self) -> str:
        return f"{self.review}: {self.key}"

    def get_absolute_url(self):
        return self.review.get_absolute_url()

    @property
    def source(self):
        from eiso.reviews.inputs import SOURCES_BY_KEY

        return SOURCES_BY_KEY.get(self.key)

    @property
    def has_content(self) -> bool:
        return bool(self.lines) or bool(self.comment.strip())


class ReviewAction(AgencyOwnedModel):
    """A decision or action of a review (ISO 9001 9.3.3), with an owner and a due date; tracked until done and
    reported at the next review (input a). Its agency is the review's."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="actions",
                               verbose_name=_("management review"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewActionKind.choices)
    description = models.TextField(_("decision or action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ReviewActionStatus.choices,
                              default=ReviewActionStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows that the action was done."))

    permitted_roles = REVIEW_ROLES

    class Meta:
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.review.number:02d}/{self.review.year}: {self.description[:60]}"

    def get_absolute_url(self):
        return self.review.get_absolute_url()
