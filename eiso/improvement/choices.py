from django.db import models
from django.utils.translation import gettext_lazy as _


class NonconformitySource(models.TextChoices):
    AUDIT_FINDING = "audit_finding", _("internal audit finding")
    LATE_DOSSIER = "late_dossier", _("late dossier")
    FEEDBACK = "feedback", _("citizen feedback")
    INSPECTION = "inspection", _("inspection")
    OTHER = "other", _("other")


class NonconformityGrade(models.TextChoices):
    MAJOR = "major", _("major nonconformity")
    MINOR = "minor", _("minor nonconformity")
    OBSERVATION = "observation", _("observation")


class NonconformityStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    ANALYSED = "analysed", _("analysed")
    ACTIONS = "actions", _("corrective actions under way")
    VERIFICATION = "verification", _("awaiting verification")
    CLOSED = "closed", _("closed")


class AnalysisMethod(models.TextChoices):
    FIVE_WHYS = "five_whys", _("5 whys")
    CAUSE_CATEGORIES = "cause_categories", _("cause categories (people, method, equipment, environment...)")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class FeedbackKind(models.TextChoices):
    FEEDBACK = "feedback", _("feedback")
    PETITION = "petition", _("petition")


class FeedbackChannel(models.TextChoices):
    PUBLIC_FORM = "public_form", _("public form")
    DESK = "desk", _("at the desk")
    PHONE = "phone", _("by phone")
    EMAIL = "email", _("by e-mail")


# Channels through which the agency's people record a feedback themselves (the public form records its own).
STAFF_CHANNELS = (FeedbackChannel.DESK, FeedbackChannel.PHONE, FeedbackChannel.EMAIL)


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")


# Still waiting for the agency's answer: these count as overdue after the response due date.
FEEDBACK_PENDING = (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("rating from 1 to 5")
    YES_NO = "yes_no", _("yes or no")
    TEXT = "text", _("free text")
