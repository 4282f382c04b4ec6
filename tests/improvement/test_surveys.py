"""Satisfaction surveys: drafting and opening, answering (required questions, dossier tie once only), results,
satisfaction_counts with the surveys added to the dossier ratings, pages and API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.catalog.models import Procedure
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.dossiers.models import Dossier, DossierTally
from eiso.improvement import surveys
from eiso.improvement.models import SatisfactionSurvey, SurveyQuestion, SurveyResponse
from eiso.improvement.selectors import evidence_records, feedback_review_input, satisfaction_counts
from tests.conftest import login
from tests.dossiers.conftest import calendar, procedure, process, receive  # noqa: F401 (fixtures)
from tests.factories import user_with_role


def make_survey(world, *, open_it=True):
    survey = surveys.survey_create(actor=world.users["iso_coordinator"], agency=world.own,
                                   title="Khảo sát hài lòng 2026", starts_on=timezone.localdate())
    questions = [
        surveys.survey_question_add(actor=None, survey=survey, text="Thái độ cán bộ", kind="rating"),
        surveys.survey_question_add(actor=None, survey=survey, text="Thời gian giải quyết", kind="rating"),
        surveys.survey_question_add(actor=None, survey=survey, text="Có phải đi lại nhiều lần không?",
                                    kind="yes_no"),
        surveys.survey_question_add(actor=None, survey=survey, text="Góp ý", kind="text", is_required=False),
    ]
    if open_it:
        survey = surveys.survey_transition(actor=world.users["agency_head"], survey=survey, action="open")
    return survey, questions


def answers(questions, *values):
    return {str(q.pk): v for q, v in zip(questions, values, strict=False)}


@pytest.mark.django_db
def test_draft_open_close_and_questions_locked(world):
    head = world.users["agency_head"]
    survey = surveys.survey_create(actor=head, agency=world.own, title="Khảo sát", starts_on=timezone.localdate())
    with pytest.raises(ApplicationError, match="at least one question"):
        surveys.survey_transition(actor=head, survey=survey, action="open")
    question = surveys.survey_question_add(actor=head, survey=survey, text="Hài lòng?", kind="rating")
    assert question.order == 1
    survey = surveys.survey_transition(actor=head, survey=survey, action="open")
    with pytest.raises(ApplicationError, match="only while the survey is a draft"):
        surveys.survey_question_add(actor=head, survey=survey, text="Thêm", kind="text")
    with pytest.raises(ApplicationError):
        surveys.survey_question_delete(actor=head, question=question)
    survey = surveys.survey_transition(actor=head, survey=survey, action="close")
    assert survey.status == "closed"
    assert SurveyQuestion.objects.filter(survey=survey).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "auditor", "supervisor", "consultant"])
def test_only_managers_manage_surveys(world, role):
    with pytest.raises(PermissionDeniedError):
        surveys.survey_create(actor=world.users[role], agency=world.own, title="x", starts_on=timezone.localdate())
    assert not SatisfactionSurvey.objects.exists()


@pytest.mark.django_db
def test_invalid_period_refused(world):
    with pytest.raises(ApplicationError) as error:
        surveys.survey_create(actor=None, agency=world.own, title="x", starts_on=dt.date(2026, 5, 1),
                              ends_on=dt.date(2026, 4, 1))
    assert "ends_on" in error.value.errors and not SatisfactionSurvey.objects.exists()


@pytest.mark.django_db
def test_answer_and_results(world):
    survey, questions = make_survey(world)
    first = surveys.survey_answer(survey=survey, answers=answers(questions, "5", "4", "no", "Rất tốt"))
    second = surveys.survey_answer(survey=survey, answers=answers(questions, "2", "3", "yes"))
    assert (first.rating_average, first.is_satisfied) == (Decimal("4.50"), True)
    assert (second.rating_average, second.is_satisfied) == (Decimal("2.50"), False)
    results = surveys.survey_results(survey)
    assert (results.responses, results.rated, results.satisfied, results.satisfied_share) == (2, 2, 1, Decimal("50.0"))
    staff_attitude, duration, visits, comments = results.questions
    assert staff_attitude.average == Decimal("3.50") and staff_attitude.distribution[4] == (5, 1)
    assert (visits.yes, visits.yes_share) == (1, Decimal("50.0"))
    assert comments.texts == ["Rất tốt"]


@pytest.mark.django_db
@pytest.mark.parametrize("values", [("", "4", "yes"), ("6", "4", "yes"), ("5", "4", "maybe")])
def test_invalid_answers_store_nothing(world, values):
    survey, questions = make_survey(world)
    with pytest.raises(ApplicationError) as error:
        surveys.survey_answer(survey=survey, answers=answers(questions, *values))
    assert error.value.errors
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_a_draft_or_closed_survey_takes_no_answers(world):
    survey, questions = make_survey(world, open_it=False)
    with pytest.raises(ApplicationError, match="does not take answers"):
        surveys.survey_answer(survey=survey, answers=answers(questions, "5", "5", "no"))
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_dossier_tie_once_only_and_returned_only(world, receive):  # noqa: F811
    survey, questions = make_survey(world)
    dossier = receive()
    values = answers(questions, "5", "5", "no")
    with pytest.raises(ApplicationError, match="returned"):
        surveys.survey_answer(survey=survey, answers=values, dossier=dossier)
    Dossier.objects.filter(pk=dossier.pk).update(status="returned")
    dossier.refresh_from_db()
    response = surveys.survey_answer(survey=survey, answers=values, dossier=dossier)
    assert response.dossier == dossier
    with pytest.raises(ApplicationError, match="already given"):
        surveys.survey_answer(survey=survey, answers=values, dossier=dossier)
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_satisfaction_counts_add_survey_responses_to_dossier_ratings(world):
    # given dossier ratings this month: 3 answered, 2 satisfied
    today = timezone.localdate()
    rated = Procedure.objects.create(code="1.000002", name="Chứng thực bản sao")
    DossierTally.objects.create(agency=world.own, procedure=rated, month=today.replace(day=1), ratings=3,
                                satisfied=2)
    assert satisfaction_counts(agency=world.own, start=today, end=today) == (2, 3)
    # when three survey responses come: satisfied, not satisfied, and one without any rating (not counted)
    survey, questions = make_survey(world)
    surveys.survey_answer(survey=survey, answers=answers(questions, "4", "4", "no"))
    surveys.survey_answer(survey=survey, answers=answers(questions, "3", "4", "no"))
    text_only = SurveyResponse.objects.create(agency=world.own, survey=survey, submitted_at=timezone.now())
    # then
    assert satisfaction_counts(agency=world.own, start=today, end=today) == (3, 5)
    assert satisfaction_counts(agency=world.sibling, start=today, end=today) == (0, 0)
    # and responses outside the period do not count
    SurveyResponse.objects.exclude(pk=text_only.pk).update(submitted_at=timezone.now() - dt.timedelta(days=40))
    assert satisfaction_counts(agency=world.own, start=today, end=today) == (2, 3)
    lines = dict(feedback_review_input(agency=world.own, start=today, end=today))
    assert lines["Citizens' satisfaction (dossier ratings and surveys)"].startswith("66")
    assert {r["url"] for r in evidence_records(agency=world.own, year=today.year)} == {survey.get_absolute_url()}


@pytest.mark.django_db
def test_pages(client, world):
    head = world.users["agency_head"]
    login(client, head)
    response = client.post(reverse("improvement:survey_add"), {"title": "Khảo sát quý II",
                                                               "starts_on": timezone.localdate().isoformat()})
    survey = SatisfactionSurvey.objects.get()
    assert response["Location"] == survey.get_absolute_url()
    client.post(reverse("improvement:survey_question_add", args=[survey.pk]),
                {"text": "Mức độ hài lòng chung", "kind": "rating", "is_required": "on"})
    client.post(reverse("improvement:survey_transition", args=[survey.pk]), {"action": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    question = survey.questions.get()
    surveys.survey_answer(survey=survey, answers={str(question.pk): 5})
    login(client, world.users["auditor"])
    page = client.get(reverse("improvement:survey_results", args=[survey.pk])).content.decode()
    assert "Mức độ hài lòng chung" in page and "5.00" in page
    outsider = user_with_role("agency_head", world.foreign)
    login(client, outsider)
    assert client.get(survey.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_api(api_client, world):
    api_client.force_authenticate(world.users["iso_coordinator"])
    created = api_client.post(reverse("satisfactionsurvey-list"), {
        "agency": str(world.own.pk), "title": "Khảo sát API", "starts_on": timezone.localdate().isoformat()},
        format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api_client.post(reverse("satisfactionsurvey-transition", args=[pk]), {"action": "open"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "no_questions"
    question = api_client.post(reverse("surveyquestion-list"), {"survey": pk, "text": "Hài lòng?", "kind": "rating"},
                               format="json")
    assert question.status_code == 201, question.json()
    question_url = reverse("surveyquestion-detail", args=[question.json()["id"]])
    changed = api_client.patch(question_url, {"text": "Bạn hài lòng?"}, format="json")
    assert changed.json()["text"] == "Bạn hài lòng?"
    opened = api_client.post(reverse("satisfactionsurvey-transition", args=[pk]), {"action": "open"}, format="json")
    assert opened.json()["status"] == "open"
    survey = SatisfactionSurvey.objects.get(pk=pk)
    surveys.survey_answer(survey=survey, answers={question.json()["id"]: 4})
    results = api_client.get(reverse("satisfactionsurvey-results", args=[pk])).json()
    assert (results["responses"], results["satisfied"], results["questions"][0]["average"]) == (1, 1, "4.00")
    locked = api_client.delete(reverse("surveyquestion-detail", args=[question.json()["id"]]))
    assert locked.status_code == 400 and SurveyQuestion.objects.count() == 1
