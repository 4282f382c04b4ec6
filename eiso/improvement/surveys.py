"""Satisfaction surveys: writes (services) and their results.

A survey is prepared as a draft (title, period, questions), opened to take answers through the public page,
then closed. Questions change only while it is a draft: the answers refer to them. The head and the ISO
coordinator manage surveys; citizens answer without signing in (actor None), once per dossier when they tie
their answers to a returned dossier. Every write runs in a transaction, validates first and is audited; a
refusal raises ApplicationError and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for, today
from eiso.improvement.choices import QuestionKind, SurveyStatus
from eiso.improvement.models import SatisfactionSurvey, SurveyAnswer, SurveyQuestion, SurveyResponse

SATISFIED_FROM = Decimal(4)  # a response is satisfied when the average of its ratings is at least 4 of 5
TEXT_MAX = 2000

# The survey workflow as data: transition -> (sources, target).
TRANSITIONS = {
    "open": ((SurveyStatus.DRAFT,), SurveyStatus.OPEN, gettext_lazy("Open to answers")),
    "close": ((SurveyStatus.OPEN,), SurveyStatus.CLOSED, gettext_lazy("Close")),
}


def can_manage(user, survey_or_agency) -> bool:
    """Managing surveys: the agency head and the ISO coordinator (and administrators)."""
    if user is None:
        return True
    if isinstance(survey_or_agency, SatisfactionSurvey):
        return SatisfactionSurvey.objects.restrict(user, "change").filter(pk=survey_or_agency.pk).exists()
    scope = scope_for(user)
    return scope.is_global or survey_or_agency.pk in scope.agencies_for("add", SatisfactionSurvey.permitted_roles)


def _require_manager(actor, survey) -> None:
    if not can_manage(actor, survey):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage satisfaction surveys."))


def _locked(survey) -> SatisfactionSurvey:
    return SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)


def _check_period(starts_on, ends_on) -> None:
    if starts_on is None:
        raise ApplicationError(_("Give the first day of the survey."), code="invalid",
                               errors={"starts_on": [_("This field is required.")]})
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError(_("The survey cannot end before it starts."), code="invalid_period",
                               errors={"ends_on": [_("Choose a day on or after the first day.")]})


def _check_title(title) -> None:
    if not (title or "").strip():
        raise ApplicationError(_("Give the survey a title."), code="invalid",
                               errors={"title": [_("This field is required.")]})


# --- Surveys and questions ----------------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, actor, agency, title: str, starts_on: dt.date, ends_on: dt.date | None = None,
                  description: str = "") -> SatisfactionSurvey:
    if not can_manage(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage satisfaction surveys."))
    _check_title(title)
    _check_period(starts_on, ends_on)
    survey = SatisfactionSurvey(agency=agency, title=title.strip(), description=(description or "").strip(),
                                starts_on=starts_on, ends_on=ends_on)
    survey.full_clean()
    survey.save()
    audit_record(actor=actor, instance=survey, action=AuditAction.CREATE)
    return survey


@transaction.atomic
def survey_update(*, actor, survey: SatisfactionSurvey, title: str, starts_on: dt.date,
                  ends_on: dt.date | None = None, description: str = "") -> SatisfactionSurvey:
    """Change the title, introduction and period of a survey that is not closed."""
    _require_manager(actor, survey)
    survey = _locked(survey)
    if survey.status == SurveyStatus.CLOSED:
        raise ApplicationError(_("A closed survey keeps its results: it cannot be changed."), code="invalid_status")
    _check_title(title)
    _check_period(starts_on, ends_on)
    before = snapshot(survey)
    survey.title, survey.description = title.strip(), (description or "").strip()
    survey.starts_on, survey.ends_on = starts_on, ends_on
    survey.full_clean()
    survey.save()
    audit_record(actor=actor, instance=survey, action=AuditAction.UPDATE, before=before)
    return survey


@transaction.atomic
def survey_transition(*, actor, survey: SatisfactionSurvey, action: str) -> SatisfactionSurvey:
    """Open a draft (it needs at least one question) or close an open survey."""
    if action not in TRANSITIONS:
        raise ApplicationError(_("Unknown action %(action)s.") % {"action": action}, code="unknown_action")
    _require_manager(actor, survey)
    survey = _locked(survey)
    sources, target, label = TRANSITIONS[action]
    if survey.status not in sources:
        raise ApplicationError(_("“%(action)s” is not possible while the survey is %(status)s.")
                               % {"action": label, "status": survey.get_status_display()}, code="invalid_transition")
    if action == "open" and not survey.questions.exists():
        raise ApplicationError(_("Add at least one question before opening the survey."), code="no_questions")
    before = snapshot(survey)
    survey.status = target
    if target == SurveyStatus.OPEN:
        survey.opened_at = timezone.now()
    else:
        survey.closed_at = timezone.now()
    survey.save()
    audit_record(actor=actor, instance=survey, action=AuditAction.TRANSITION, before=before, note=str(label))
    return survey


def _check_question(text, kind) -> None:
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Write the question.")]
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Choose a rating, yes or no, or free text.")]
    if errors:
        raise ApplicationError(_("Complete the question: its text and the kind of answer."), code="invalid",
                               errors=errors)


def _draft_only(survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ApplicationError(_("Questions change only while the survey is a draft: answers refer to them."),
                               code="invalid_status")


@transaction.atomic
def survey_question_add(*, actor, survey: SatisfactionSurvey, text: str, kind: str = QuestionKind.RATING,
                        order: int | None = None, is_required: bool = True) -> SurveyQuestion:
    _require_manager(actor, survey)
    survey = _locked(survey)
    _draft_only(survey)
    _check_question(text, kind)
    if order is None:
        last = survey.questions.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    question = SurveyQuestion(agency_id=survey.agency_id, survey=survey, text=text.strip(), kind=kind, order=order,
                              is_required=bool(is_required))
    question.full_clean()
    question.save()
    audit_record(actor=actor, instance=question, action=AuditAction.CREATE)
    return question


@transaction.atomic
def survey_question_update(*, actor, question: SurveyQuestion, text: str, kind: str, order: int,
                           is_required: bool) -> SurveyQuestion:
    _require_manager(actor, question.survey)
    _draft_only(_locked(question.survey))
    _check_question(text, kind)
    question = SurveyQuestion.objects.select_for_update().get(pk=question.pk)
    before = snapshot(question)
    question.text, question.kind, question.order, question.is_required = text.strip(), kind, order, bool(is_required)
    question.full_clean()
    question.save()
    audit_record(actor=actor, instance=question, action=AuditAction.UPDATE, before=before)
    return question


@transaction.atomic
def survey_question_delete(*, actor, question: SurveyQuestion) -> None:
    _require_manager(actor, question.survey)
    _draft_only(_locked(question.survey))
    audit_record(actor=actor, instance=question, action=AuditAction.DELETE, before=snapshot(question))
    question.delete()


# --- Answering ----------------------------------------------------------------------------------------------


def open_survey_for(agency) -> SatisfactionSurvey | None:
    """The agency's survey that takes answers today (the most recently started one)."""
    day = today()
    for survey in SatisfactionSurvey.objects.filter(agency=agency, status=SurveyStatus.OPEN,
                                                    starts_on__lte=day).order_by("-starts_on"):
        if survey.takes_answers_on(day):
            return survey
    return None


def _parse(question: SurveyQuestion, raw) -> tuple[dict | None, str | None]:
    """(the answer's fields, None) or (None, an error message); (None, None) when left empty."""
    value = raw.strip() if isinstance(raw, str) else raw
    if value in (None, ""):
        return None, None
    if question.kind == QuestionKind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            return None, _("Choose a rating from 1 to 5.")
        return {"rating": rating}, None
    if question.kind == QuestionKind.YES_NO:
        if value in (True, "yes", "true", "1", 1):
            return {"is_yes": True}, None
        if value in (False, "no", "false", "0", 0):
            return {"is_yes": False}, None
        return None, _("Answer yes or no.")
    text = str(value)
    if len(text) > TEXT_MAX:
        return None, _("Write at most %(max)s characters.") % {"max": TEXT_MAX}
    return {"text": text}, None


def rating_average(ratings: list[int]) -> Decimal | None:
    if not ratings:
        return None
    return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def survey_answer(*, survey: SatisfactionSurvey, answers: dict, dossier=None,
                  submitted_at: dt.datetime | None = None) -> SurveyResponse:
    """Record one citizen's answers. `answers` maps a question id (str or UUID) to the raw answer (1–5, yes/no,
    text). `dossier`, already verified by the caller (its code and the last 4 digits of the phone), must be a
    returned dossier of the survey's agency that was not used for another response. Errors are keyed by
    question id."""
    from eiso.dossiers.choices import DossierStatus

    survey = SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)
    if not survey.takes_answers_on(today()):
        raise ApplicationError(_("This survey does not take answers now."), code="survey_not_open")
    if dossier is not None:
        if dossier.agency_id != survey.agency_id:
            raise ApplicationError(_("The dossier was handled by another agency."), code="other_agency",
                                   errors={"dossier": [_("Give a dossier handled by this agency.")]})
        if dossier.status != DossierStatus.RETURNED:
            raise ApplicationError(_("The survey takes dossiers whose result was returned."), code="not_returned",
                                   errors={"dossier": [_("The result of this dossier has not been returned yet.")]})
        if SurveyResponse.objects.filter(dossier=dossier).exists():
            raise ApplicationError(_("Answers were already given for this dossier."), code="already_answered",
                                   errors={"dossier": [_("Answers were already given for this dossier.")]})
    keyed = {str(key): value for key, value in (answers or {}).items()}
    questions = list(survey.questions.all())
    parsed, errors = [], {}
    for question in questions:
        fields, error = _parse(question, keyed.get(str(question.pk)))
        if error:
            errors[str(question.pk)] = [error]
        elif fields is None and question.is_required:
            errors[str(question.pk)] = [_("This question needs an answer.")]
        elif fields is not None:
            parsed.append((question, fields))
    if errors:
        raise ApplicationError(_("Answer the questions marked as required, as asked."), code="invalid",
                               errors=errors)
    if not parsed:
        raise ApplicationError(_("Answer at least one question."), code="empty")
    average = rating_average([f["rating"] for _q, f in parsed if "rating" in f])
    response = SurveyResponse(agency_id=survey.agency_id, survey=survey, dossier=dossier,
                              submitted_at=submitted_at or timezone.now(), rating_average=average,
                              is_satisfied=None if average is None else average >= SATISFIED_FROM)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:  # the same dossier answered at the same moment
        raise ApplicationError(_("Answers were already given for this dossier."), code="already_answered",
                               errors={"dossier": [_("Answers were already given for this dossier.")]}) from exc
    SurveyAnswer.objects.bulk_create([SurveyAnswer(agency_id=survey.agency_id, response=response, question=q, **f)
                                      for q, f in parsed])
    audit_record(actor=None, instance=response, action=AuditAction.CREATE)
    return response


# --- Results ------------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    average: Decimal | None = None  # rating questions
    distribution: list = field(default_factory=list)  # rating questions: [(1, n), ..., (5, n)]
    yes: int = 0  # yes/no questions
    yes_share: Decimal | None = None  # percent
    texts: list = field(default_factory=list)  # free-text questions: the latest answers


@dataclass
class SurveyResults:
    responses: int
    rated: int  # responses with at least one rating
    satisfied: int
    satisfied_share: Decimal | None  # percent of the rated responses
    questions: list


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def survey_results(survey: SatisfactionSurvey, *, texts: int = 20) -> SurveyResults:
    """Per question: how many answered, the average rating and its distribution, the share of yes, the latest
    free-text answers; overall: the share of satisfied responses (average rating ≥ 4 of 5) among those rated."""
    responses = SurveyResponse.objects.filter(survey=survey)
    rated = responses.filter(is_satisfied__isnull=False)
    rated_count = rated.count()
    satisfied = rated.filter(is_satisfied=True).count()
    results = []
    for question in survey.questions.all():
        answers = SurveyAnswer.objects.filter(question=question)
        result = QuestionResult(question=question, answered=answers.count())
        if question.kind == QuestionKind.RATING:
            ratings = list(answers.exclude(rating=None).values_list("rating", flat=True))
            result.average = rating_average(ratings)
            result.distribution = [(n, ratings.count(n)) for n in range(1, 6)]
        elif question.kind == QuestionKind.YES_NO:
            result.yes = answers.filter(is_yes=True).count()
            result.yes_share = percent(result.yes, result.answered)
        else:
            result.texts = list(answers.exclude(text="").order_by("-response__submitted_at")
                                .values_list("text", flat=True)[:texts])
        results.append(result)
    return SurveyResults(responses=responses.count(), rated=rated_count, satisfied=satisfied,
                         satisfied_share=percent(satisfied, rated_count), questions=results)
