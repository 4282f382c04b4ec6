"""The public survey page: answering with the check question, the dossier tie (code + last 4 phone digits, once
only), refusals store nothing, and the link from the dossier lookup."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from eiso.dossiers.models import Dossier
from eiso.improvement import surveys
from eiso.improvement.models import SurveyResponse
from tests.dossiers.conftest import calendar, procedure, process, receive  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def survey(world):
    survey = surveys.survey_create(actor=None, agency=world.own, title="Khảo sát sự hài lòng",
                                   starts_on=timezone.localdate())
    surveys.survey_question_add(actor=None, survey=survey, text="Mức độ hài lòng", kind="rating")
    surveys.survey_question_add(actor=None, survey=survey, text="Được hướng dẫn đầy đủ?", kind="yes_no")
    return surveys.survey_transition(actor=None, survey=survey, action="open")


def filled(client, survey, **changes):
    page = client.get(reverse("portal:survey", args=[survey.pk])).content.decode()
    token = re.search(r'name="challenge_token" value="([^"]+)"', page).group(1)
    a, b = re.search(r"How much is (\d+) plus (\d+)\?", page).groups()
    rating, yes_no = survey.questions.order_by("order")
    data = {f"q_{rating.pk}": "5", f"q_{yes_no.pk}": "yes", "dossier_code": "", "dossier_digits": "",
            "challenge_token": token, "challenge_answer": str(int(a) + int(b)), "website": ""}
    return {**data, **changes}


@pytest.mark.django_db
def test_answer_anonymously(client, survey):
    response = client.post(reverse("portal:survey", args=[survey.pk]), filled(client, survey))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    stored = SurveyResponse.objects.get()
    assert (stored.is_satisfied, stored.dossier, stored.answers.count()) == (True, None, 2)
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_missing_required_answer_or_wrong_challenge_store_nothing(client, survey):
    rating = survey.questions.get(kind="rating")
    missing = client.post(reverse("portal:survey", args=[survey.pk]), filled(client, survey, **{f"q_{rating.pk}": ""}))
    assert missing.status_code == 400
    wrong = filled(client, survey)
    wrong["challenge_answer"] = "99"
    assert client.post(reverse("portal:survey", args=[survey.pk]), wrong).status_code == 400
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_draft_is_404_and_closed_takes_no_answers(client, world, survey):
    draft = surveys.survey_create(actor=None, agency=world.own, title="Nháp", starts_on=timezone.localdate())
    assert client.get(reverse("portal:survey", args=[draft.pk])).status_code == 404
    data = filled(client, survey)
    surveys.survey_transition(actor=None, survey=survey, action="close")
    assert "does not take answers" in client.get(reverse("portal:survey", args=[survey.pk])).content.decode()
    assert client.post(reverse("portal:survey", args=[survey.pk]), data).status_code == 400
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_dossier_tie_verified_and_once_only(client, survey, receive):  # noqa: F811
    dossier = receive()
    Dossier.objects.filter(pk=dossier.pk).update(status="returned", returned_at=timezone.now())
    url = reverse("portal:survey", args=[survey.pk])
    # wrong digits: refused, nothing stored
    wrong = client.post(url, filled(client, survey, dossier_code=dossier.code, dossier_digits="0000"))
    assert wrong.status_code == 400 and "No dossier matches" in wrong.content.decode()
    assert not SurveyResponse.objects.exists()
    # right digits (phone 0912345678): stored with the dossier
    ok = client.post(url, filled(client, survey, dossier_code=dossier.code, dossier_digits="5678"))
    assert ok.status_code == 200 and SurveyResponse.objects.get().dossier_id == dossier.pk
    # a second time for the same dossier: refused
    again = client.post(url, filled(client, survey, dossier_code=dossier.code, dossier_digits="5678"))
    assert again.status_code == 400 and "already given" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_lookup_links_to_the_open_survey_for_a_returned_dossier(client, survey, receive):  # noqa: F811
    dossier = receive()
    lookup = {"code": dossier.code, "digits": "5678"}
    assert "lookup-survey" not in client.get(reverse("portal:lookup"), lookup).content.decode()
    Dossier.objects.filter(pk=dossier.pk).update(status="returned", returned_at=timezone.now())
    page = client.get(reverse("portal:lookup"), lookup).content.decode()
    assert reverse("portal:survey", args=[survey.pk]) in page
