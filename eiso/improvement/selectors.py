"""Reads of the improvement app that other apps use (objectives, reviews, compliance)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eiso.core.permissions import today
from eiso.dossiers.models import DossierTally
from eiso.dossiers.statistics import month_start
from eiso.improvement.choices import FEEDBACK_PENDING, FeedbackKind
from eiso.improvement.models import Feedback, Nonconformity, SatisfactionSurvey, SurveyResponse


def _day_bounds(start: dt.date, end: dt.date) -> dict:
    return {"__date__gte": start, "__date__lte": end}


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}{key}": value for key, value in _day_bounds(start, end).items()})


def survey_satisfaction_counts(*, agency, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(satisfied, answered) among the survey responses submitted from `start` to `end` (days, inclusive). A
    response is answered when it rated at least one question; satisfied when the average of its ratings is at
    least 4 of 5 (`SurveyResponse.is_satisfied`)."""
    totals = SurveyResponse.objects.filter(_between("submitted_at", start, end), agency=agency,
                                           is_satisfied__isnull=False).aggregate(
        answered=Count("pk"), satisfied=Count("pk", filter=Q(is_satisfied=True)))
    return totals["satisfied"] or 0, totals["answered"] or 0


def satisfaction_counts(*, agency, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(satisfied, answered) of the agency's citizens over the period, from two sources added up:

    - the ratings citizens gave to their returned dossiers, over the months from `start` to `end` (counted in
      the dossier tallies; satisfied = "satisfied" or "very satisfied");
    - the satisfaction survey responses submitted from `start` to `end` that rated at least one question;
      satisfied = the average of the response's ratings is at least 4 of 5.

    A dossier rated on the lookup page whose applicant also answered a survey counts twice: two answers."""
    totals = DossierTally.objects.filter(agency=agency, month__gte=month_start(start),
                                         month__lte=month_start(end)).aggregate(r=Sum("ratings"), s=Sum("satisfied"))
    survey_satisfied, survey_answered = survey_satisfaction_counts(agency=agency, start=start, end=end)
    return (totals["s"] or 0) + survey_satisfied, (totals["r"] or 0) + survey_answered


def overdue_feedback(*, agency, on: dt.date | None = None):
    """The agency's feedback still waiting for an answer after its due date."""
    return Feedback.objects.filter(agency=agency, status__in=FEEDBACK_PENDING, due_on__lt=on or today())


def _share(part: int, whole: int) -> str:
    return formats.number_format(part * 100 / whole, 1, use_l10n=True) + " %"


def feedback_review_input(*, agency, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """Lines for the management review (ISO 9001 9.3.2 c: customer satisfaction and feedback) over the period:
    feedback received (by kind), answered on time, still overdue, surveys' and overall satisfaction. Empty when
    the period holds no feedback, no survey response and no rating."""
    lines: list[tuple[str, str]] = []
    received = Feedback.objects.filter(_between("received_at", start, end), agency=agency)
    counts = received.aggregate(
        total=Count("pk"), petitions=Count("pk", filter=Q(kind=FeedbackKind.PETITION)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)))
    if counts["total"]:
        lines.append((_("Feedback and petitions received"),
                      _("%(total)s (feedback: %(feedback)s, petitions: %(petitions)s)") % {
                          "total": counts["total"], "feedback": counts["total"] - counts["petitions"],
                          "petitions": counts["petitions"]}))
        answered = [f for f in received.filter(answered_at__isnull=False).only("answered_at", "due_on")]
        on_time = sum(1 for f in answered if f.is_answered_on_time)
        lines.append((_("Feedback answered on time"),
                      _("%(on_time)s of %(answered)s answered (%(share)s)") % {
                          "on_time": on_time, "answered": len(answered),
                          "share": _share(on_time, len(answered)) if answered else "—"}))
        day = min(end, today())
        overdue = received.filter(status__in=FEEDBACK_PENDING, due_on__lt=day).count()
        lines.append((_("Feedback overdue without an answer"),
                      _("%(count)s on %(day)s") % {"count": overdue, "day": day.strftime("%d/%m/%Y")}))
    responses = SurveyResponse.objects.filter(_between("submitted_at", start, end), agency=agency).count()
    if responses:
        satisfied, rated = survey_satisfaction_counts(agency=agency, start=start, end=end)
        lines.append((_("Satisfaction survey responses"),
                      _("%(responses)s responses; satisfied %(satisfied)s of %(rated)s rated (%(share)s)") % {
                          "responses": responses, "satisfied": satisfied, "rated": rated,
                          "share": _share(satisfied, rated) if rated else "—"}))
    satisfied, answered = satisfaction_counts(agency=agency, start=start, end=end)
    if answered:
        lines.append((_("Citizens' satisfaction (dossier ratings and surveys)"),
                      _("%(share)s satisfied (%(satisfied)s of %(answered)s answers)") % {
                          "share": _share(satisfied, answered), "satisfied": satisfied, "answered": answered}))
    return lines


def evidence_records(*, agency, year: int) -> list[dict]:
    """The year's records of the improvement app for the evidence folder: nonconformities raised, feedback
    received (its tracking code only: no personal data) and satisfaction surveys started in `year`."""
    records = []
    for nonconformity in Nonconformity.objects.filter(agency=agency, year=year).order_by("raised_at"):
        summary = nonconformity.description if len(nonconformity.description) <= 80 else \
            nonconformity.description[:80] + "…"
        records.append({"title": _("Nonconformity %(number)s: %(summary)s") % {
            "number": nonconformity.number, "summary": summary},
            "url": nonconformity.get_absolute_url(), "on": timezone.localdate(nonconformity.raised_at)})
    for feedback in Feedback.objects.filter(agency=agency, year=year).order_by("received_at"):
        records.append({"title": _("Feedback %(number)s (%(kind)s, %(status)s)") % {
            "number": feedback.number, "kind": feedback.get_kind_display(), "status": feedback.get_status_display()},
            "url": feedback.get_absolute_url(), "on": timezone.localdate(feedback.received_at)})
    for survey in SatisfactionSurvey.objects.filter(agency=agency, starts_on__year=year).order_by("starts_on"):
        records.append({"title": _("Satisfaction survey: %(title)s") % {"title": survey.title},
                        "url": survey.get_absolute_url(), "on": survey.starts_on})
    return records



LOOKUP_DIGITS = 4


def feedback_lookup(*, code: str, digits: str) -> Feedback | None:
    """The feedback with this tracking code whose phone ends with `digits`, else None (the same answer for a
    wrong code and wrong digits, so that codes cannot be probed)."""
    from django.utils.crypto import constant_time_compare

    code = (code or "").strip()
    given = "".join(ch for ch in digits or "" if ch.isdigit())
    if not code or len(given) != LOOKUP_DIGITS:
        return None
    feedback = (Feedback.objects.filter(number__iexact=code).select_related("agency", "procedure").first())
    if feedback is None:
        return None
    secret = "".join(ch for ch in feedback.phone if ch.isdigit())[-LOOKUP_DIGITS:]
    if len(secret) == LOOKUP_DIGITS and constant_time_compare(secret, given):
        return feedback
    return None
