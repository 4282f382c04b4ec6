"""The public feedback form and status page: no login; the check question (right, wrong, expired, replayed), the
honeypot and the rate limit refuse without storing anything; personal data never shown publicly."""

import re
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from eiso.improvement.feedback_services import feedback_respond
from eiso.improvement.models import Feedback


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def solve(html: str) -> tuple[str, str]:
    """(the token, the right answer) read from the page, as a person would."""
    token = re.search(r'name="challenge_token" value="([^"]+)"', html).group(1)
    a, b = re.search(r"How much is (\d+) plus (\d+)\?", html).groups()
    return token, str(int(a) + int(b))


def form_data(client, agency, **changes):
    page = client.get(reverse("portal:feedback") + f"?agency={agency.code}").content.decode()
    token, answer = solve(page)
    data = {"agency": agency.code, "kind": "feedback", "procedure": "", "content": "Cán bộ thu phí sai quy định",
            "submitter_name": "Phạm Văn Dũng", "phone": "0905 123 456", "email": "dung@example.vn",
            "challenge_token": token, "challenge_answer": answer, "website": ""}
    return {**data, **changes}


@pytest.mark.django_db
def test_choose_an_agency_by_name(client, world):
    page = client.get(reverse("portal:feedback") + "?q=cam duong").content.decode()
    assert world.own.name in page and world.sibling.name not in page
    assert client.get(reverse("portal:feedback") + "?agency=KHONG-CO").status_code == 404


@pytest.mark.django_db
def test_submission_gives_code_and_due_date_and_the_status_page_shows_no_personal_data(client, world):
    # when a citizen sends feedback with the right answer
    response = client.post(reverse("portal:feedback"), form_data(client, world.own))
    # then it is stored and the page gives the tracking code and the due date
    feedback = Feedback.objects.get()
    page = response.content.decode()
    assert response.status_code == 200 and feedback.number in page and feedback.due_on.strftime("%d/%m/%Y") in page
    assert (feedback.channel, feedback.agency, feedback.recorded_by) == ("public_form", world.own, None)
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    # and the status page shows the status and the answer, never the name or the contact
    feedback_respond(actor=None, feedback=feedback, response="Đã hoàn trả phí thu sai")
    status = client.get(reverse("portal:feedback_status"), {"code": feedback.number.lower(), "digits": "3456"})
    body = status.content.decode()
    assert "Đã hoàn trả phí thu sai" in body and "Answered" in body
    for private in ("Phạm Văn Dũng", "0905 123 456", "dung@example.vn"):
        assert private not in body
    assert "no-store" in status["Cache-Control"]


@pytest.mark.django_db
def test_wrong_code_and_wrong_digits_get_the_same_answer(client, world):
    client.post(reverse("portal:feedback"), form_data(client, world.own))
    feedback = Feedback.objects.get()
    url = reverse("portal:feedback_status")
    wrong_digits = client.get(url, {"code": feedback.number, "digits": "0000"}).content.decode()
    wrong_code = client.get(url, {"code": feedback.number + "9", "digits": "3456"}).content.decode()
    assert "No feedback matches" in wrong_digits and "No feedback matches" in wrong_code
    assert feedback.content not in wrong_digits and feedback.content not in wrong_code


@pytest.mark.django_db
def test_wrong_answer_keeps_the_form_and_stores_nothing(client, world):
    data = form_data(client, world.own)
    data["challenge_answer"] = str(int(data["challenge_answer"]) + 1)
    response = client.post(reverse("portal:feedback"), data)
    page = response.content.decode()
    assert response.status_code == 400 and "The answer to the check question is wrong" in page
    assert "Cán bộ thu phí sai quy định" in page  # the form is kept
    assert solve(page)[0] != data["challenge_token"]  # with a new question
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_expired_or_replayed_challenge_is_refused(client, world, settings):
    data = form_data(client, world.own)
    with mock.patch("eiso.portal.challenge.max_age", return_value=-1):
        expired = client.post(reverse("portal:feedback"), data)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not Feedback.objects.exists()
    forged = client.post(reverse("portal:feedback"), {**data, "challenge_token": signing.TimestampSigner(
        salt="other").sign("1:1:abc"), "challenge_answer": "2"})
    assert forged.status_code == 400 and not Feedback.objects.exists()
    # one solved question sends one message
    assert client.post(reverse("portal:feedback"), data).status_code == 200
    replay = client.post(reverse("portal:feedback"), data)
    assert replay.status_code == 400 and "already used" in replay.content.decode()
    assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_stores_nothing(client, world):
    response = client.post(reverse("portal:feedback"), form_data(client, world.own, website="http://spam.example"))
    assert response.status_code == 400 and "could not be accepted" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_invalid_input_is_shown_and_nothing_stored(client, world):
    response = client.post(reverse("portal:feedback"), form_data(client, world.own, phone="", content=""))
    page = response.content.decode()
    assert response.status_code == 400 and "This field is required" in page
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_rate_limit_per_address(client, world, settings):
    settings.EISO_FEEDBACK_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("portal:feedback"), form_data(client, world.own)).status_code == 200
    refused = client.post(reverse("portal:feedback"), form_data(client, world.own))
    assert refused.status_code == 429 and "Too many messages" in refused.content.decode()
    assert "Cán bộ thu phí sai quy định" in refused.content.decode()
    assert Feedback.objects.count() == 2
    # another address is not held back
    assert client.post(reverse("portal:feedback"), form_data(client, world.own),
                       REMOTE_ADDR="10.0.0.9").status_code == 200
