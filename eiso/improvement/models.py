"""Nonconformities and corrective actions (ISO 9001 clause 10.2); citizens' feedback and satisfaction surveys
(clause 9.1.2, the "complaints and customer satisfaction" procedure).

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
    FEEDBACK_PENDING,
    ActionStatus,
    AnalysisMethod,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    NonconformityGrade,
    NonconformitySource,
    NonconformityStatus,
    QuestionKind,
    SurveyStatus,
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


# --- Citizens' feedback (phản ánh, kiến nghị) ------------------------------------------------------------------


class FeedbackCounter(AgencyOwnedModel):
    """The last sequence given to a feedback of one agency in one year (locked while a number is taken)."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="feedbackcounter_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Feedback(AgencyOwnedModel):
    """A feedback or petition of a citizen or business about the agency or one of its procedures.

    Received through the public form or recorded by the agency's people (desk, phone, e-mail); tracked by its
    code `<agency code>-PA-<year>-<sequence>` (unique), answered by a due date counted in working days from
    the receipt. The status moves only through `eiso.improvement.feedback_workflow`. The submitter's phone and
    e-mail are personal data: never shown on a public page, and inside the agency only to those who handle it.
    """

    number = models.CharField(_("tracking code"), max_length=80, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.FEEDBACK)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("procedure"))
    content = models.TextField(_("content"))
    submitter_name = models.CharField(_("name of the submitter"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=FeedbackChannel.choices,
                               default=FeedbackChannel.PUBLIC_FORM)
    received_at = models.DateTimeField(_("received at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    due_on = models.DateField(_("response due date"))
    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.RECEIVED)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("handler"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="feedback_items", verbose_name=_("nonconformity"))

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-number"]
        constraints = [models.UniqueConstraint(fields=["number"], name="feedback_unique_number")]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="feedback_agency_status_due")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:feedback_detail", args=[self.pk])

    def is_overdue_on(self, day) -> bool:
        """Still waiting for the agency's answer after its due date."""
        return self.status in FEEDBACK_PENDING and self.due_on < day

    @property
    def is_answered_on_time(self) -> bool | None:
        """None while not answered; else whether the answer came by the due date."""
        if self.answered_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.answered_at) <= self.due_on


# --- Satisfaction surveys (khảo sát, đánh giá sự hài lòng) -------------------------------------------------------


class SatisfactionSurvey(AgencyOwnedModel):
    """A survey of the agency's citizens over a period. Its questions are set while it is a draft; it takes
    answers only while open (and within its period); closed, it keeps its results."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("introduction"), blank=True,
                                   help_text=_("Shown to the citizens above the questions."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:survey_detail", args=[self.pk])

    def takes_answers_on(self, day) -> bool:
        return (self.status == SurveyStatus.OPEN and self.starts_on <= day
                and (self.ends_on is None or day <= self.ends_on))


class SurveyQuestion(AgencyOwnedModel):
    """One question of a survey: a rating from 1 to 5, yes or no, or free text. Its agency is the survey's."""

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="questions",
                               verbose_name=_("survey"))
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices,
                            default=QuestionKind.RATING)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_required = models.BooleanField(_("answer required"), default=True)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self):
        return self.survey.get_absolute_url()


class SurveyResponse(AgencyOwnedModel):
    """One citizen's answers to a survey, optionally tied to a returned dossier of the agency (verified by its
    code and the last 4 digits of the phone; one response per dossier).

    `rating_average` is the average of its rating answers (None: no rating answered); `is_satisfied` is True
    when that average is at least 4 of 5 (None without ratings) — what satisfaction_counts counts."""

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="responses",
                               verbose_name=_("survey"))
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("dossier"))
    submitted_at = models.DateTimeField(_("submitted at"))
    rating_average = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True,
                                         blank=True)
    is_satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["dossier"], condition=models.Q(dossier__isnull=False),
                                               name="surveyresponse_once_per_dossier")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.submitted_at:%d/%m/%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:survey_results", args=[self.survey_id])


class SurveyAnswer(AgencyOwnedModel):
    """The answer to one question: `rating` (1–5), `is_yes` or `text`, after the question's kind."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("response"))
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("question"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    is_yes = models.BooleanField(_("yes"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    permitted_roles = IMPROVEMENT_ROLES

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="surveyanswer_unique")]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.is_yes or self.text[:40]}"
