from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    # Not received: no code, no deadline (forms 02 and 03 of the one-stop rules).
    INCOMPLETE = "incomplete", _("incomplete at receipt")
    REJECTED = "rejected", _("refused at receipt")
    # Received: the clock runs from the receipt (or the next working day after the cut-off).
    IN_PROGRESS = "in_progress", _("in progress")
    SUSPENDED = "suspended", _("waiting for the applicant")
    RESULT_READY = "result_ready", _("result ready")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused after review")
    STOPPED = "stopped", _("stopped at the applicant's request")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = (DossierStatus.IN_PROGRESS, DossierStatus.SUSPENDED)
NOT_RECEIVED = (DossierStatus.INCOMPLETE, DossierStatus.REJECTED)
FINISHED = (DossierStatus.RESULT_READY, DossierStatus.RETURNED, DossierStatus.REFUSED)  # "resolved"
CANCELLED = (DossierStatus.STOPPED, DossierStatus.WITHDRAWN)


class Outcome(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("waiting for a supplement")
    FEE = "fee", _("waiting for fees")


class ReturnMethod(models.TextChoices):
    DESK = "desk", _("at the one-stop desk")
    POSTAL = "postal", _("by post")
    ONLINE = "online", _("online")


class Source(models.TextChoices):
    NATIVE = "native", _("received in eISO")
    IMPORTED = "imported", _("imported from the one-stop system")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 3, _("very satisfied")
    SATISFIED = 2, _("satisfied")
    UNSATISFIED = 1, _("not satisfied")
