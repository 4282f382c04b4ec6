"""The public dossier lookup: code + last 4 digits, one answer for a wrong code and wrong digits, nothing personal
on the page, a per-address limit, no caching, and the citizen's rating once the result was returned."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from eiso.dossiers.choices import DossierStatus, Source
from eiso.dossiers.models import Dossier
from eiso.dossiers.services import dossier_notify, dossier_return, dossier_step_complete
from tests.dossiers import conftest as dossier_fixtures
from tests.dossiers.conftest import APPLICANT, at, frozen
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# The dossiers' fixtures (a procedure of 3 working days, own's process, the holidays, receive()).
calendar, procedure, process, receive = (dossier_fixtures.calendar, dossier_fixtures.procedure,
                                         dossier_fixtures.process, dossier_fixtures.receive)

LOOKUP = reverse("portal:lookup")
RATE = reverse("portal:lookup_rate")
NOT_FOUND = "No dossier matches this code and these digits. Check the receipt."


@pytest.fixture(autouse=True)
def english(client):
    cache.clear()  # the throttle's counters
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def look_up(client, code, digits="5678"):
    return client.get(LOOKUP, {"code": code, "digits": digits})


def returned(world, receive):
    """A dossier received Wed 25/11/2026 08:00, ready at 11:00 (early), the applicant told, the result returned."""
    dossier = receive("2026-11-25 08:00")
    for when in ("2026-11-25 09:00", "2026-11-25 10:00", "2026-11-25 11:00"):
        step = dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)
        with frozen(when):
            dossier = dossier_step_complete(actor=world.users["iso_coordinator"], step=step)
    with frozen("2026-11-25 14:00"):
        dossier_notify(actor=world.users["staff"], dossier=dossier, comment="Đã gọi 0912 345 678, hẹn chiều nhận")
        return dossier_return(actor=world.users["staff"], dossier=dossier, method="desk")


def test_a_received_dossier_is_found_with_the_right_digits(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    response = look_up(client, dossier.code)
    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.code in page and world.own.name in page and "Thủ tục đăng ký kết hôn" in page
    assert "In progress" in page
    assert "30/11/2026" in page  # the appointment, 3 working days later
    assert "08:00 25/11/2026" in page  # received
    assert "Classification" not in page and 'id="lookup-rate"' not in page
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in page or "noindex" in response["X-Robots-Tag"]


def test_the_page_shows_nothing_personal(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    page = look_up(client, dossier.code).content.decode()
    for secret in (APPLICANT["phone"], APPLICANT["id_number"], "Tổ 5", APPLICANT["name"],
                   world.users["staff"].full_name, world.users["staff"].username):
        assert secret not in page


def test_the_digits_of_the_id_number_when_no_phone_was_given(world, receive, client):
    dossier = receive("2026-11-25 08:00", applicant={**APPLICANT, "phone": ""})
    assert NOT_FOUND in look_up(client, dossier.code, "5678").content.decode()
    assert dossier.code in look_up(client, dossier.code, "1234").content.decode()


def test_a_wrong_code_and_wrong_digits_get_the_same_answer(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    wrong_digits, wrong_code = look_up(client, dossier.code, "0000"), look_up(client, dossier.code + "9")
    for response in (wrong_digits, wrong_code):
        assert response.status_code == 200
        page = response.content.decode()
        assert NOT_FOUND in page and 'id="lookup-result"' not in page
        assert "no-store" in response["Cache-Control"]


def test_fewer_than_4_digits_is_a_form_error(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    response = look_up(client, dossier.code, "678")
    assert response.status_code == 200
    assert response.context["form"].errors["digits"]
    assert 'id="lookup-result"' not in response.content.decode()
    assert look_up(client, dossier.code, "56a8").context["form"].errors["digits"]


def test_a_receipt_links_with_the_code_only(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    response = client.get(LOOKUP, {"code": dossier.code})
    page = response.content.decode()
    assert response.status_code == 200 and f'value="{dossier.code}"' in page
    assert not response.context["form"].is_bound and 'id="lookup-result"' not in page


@override_settings(EISO={**settings.EISO, "DOSSIER_LOOKUP_PER_MINUTE": 3})
def test_above_the_limit_the_address_waits_a_minute(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    for _ in range(3):
        assert look_up(client, dossier.code, "0000").status_code == 200
    response = look_up(client, dossier.code)  # even the right digits
    assert response.status_code == 429
    page = response.content.decode()
    assert "Try again in a minute" in page and 'id="lookup-result"' not in page
    assert "no-store" in response["Cache-Control"]
    assert client.post(RATE, {"code": dossier.code, "digits": "5678", "rating": 3}).status_code == 429
    other = client.get(LOOKUP, {"code": dossier.code, "digits": "5678"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200 and dossier.code in other.content.decode()  # per address


def test_a_returned_dossier_is_rated_once(world, receive, client):
    dossier = returned(world, receive)
    page = look_up(client, dossier.code).content.decode()
    assert 'id="lookup-rate"' in page and "csrfmiddlewaretoken" in page
    assert "Returned" in page and "Early" in page and "14:00 25/11/2026" in page  # classification, returned
    assert "hẹn chiều nhận" not in page and "0912 345 678" not in page  # the officer's note stays internal
    for officer in (world.users["staff"], world.users["iso_coordinator"]):
        assert officer.full_name not in page
    response = client.post(RATE, {"code": dossier.code, "digits": "5678", "rating": 2, "comment": "Nhanh gọn"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Thank you: your rating was recorded." in response.content.decode()
    dossier.refresh_from_db()
    assert (dossier.rating, dossier.rating_comment) == (2, "Nhanh gọn")
    again = client.post(RATE, {"code": dossier.code, "digits": "5678", "rating": 1, "comment": "Chậm"})
    assert "This dossier has already been rated. Thank you." in again.content.decode()
    dossier.refresh_from_db()
    assert (dossier.rating, dossier.rating_comment) == (2, "Nhanh gọn")
    assert 'id="lookup-rate"' not in look_up(client, dossier.code).content.decode()


def test_a_rating_needs_the_right_digits_and_a_choice(world, receive, client):
    dossier = returned(world, receive)
    wrong = client.post(RATE, {"code": dossier.code, "digits": "0000", "rating": 3})
    assert NOT_FOUND in wrong.content.decode()
    none = client.post(RATE, {"code": dossier.code, "digits": "5678", "rating": ""})
    assert none.context["rate_form"].errors["rating"]
    assert Dossier.objects.get(pk=dossier.pk).rating is None


def test_a_dossier_in_progress_cannot_be_rated(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    response = client.post(RATE, {"code": dossier.code, "digits": "5678", "rating": 3})
    assert "You can rate a dossier once its result has been returned." in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).rating is None
    assert client.get(RATE).status_code == 405


def test_the_rating_form_carries_a_csrf_token(world, receive, client):
    from django.test import Client

    dossier = returned(world, receive)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(RATE, {"code": dossier.code, "digits": "5678", "rating": 3}).status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).rating is None


def test_an_imported_dossier_shows_the_synthesised_history(world, procedure, client):
    dossier = Dossier.objects.create(
        agency=world.own, code="HS-IMP-1", procedure=procedure, source=Source.IMPORTED,
        status=DossierStatus.RETURNED, applicant_name="Trần Thị Bình", applicant_phone="0987654321",
        submitted_at=at("2026-11-25 09:00"), received_at=at("2026-11-25 09:00"),
        due_at=at("2026-11-30 09:00"), appointment_at=at("2026-11-30 09:00"),
        finished_at=at("2026-11-27 11:00"), outcome="early", returned_at=at("2026-11-28 08:00"))
    assert not dossier.events.exists()
    response = look_up(client, "HS-IMP-1", "4321")
    history = [(line.at, line.label) for line in response.context["history"]]
    assert history == [(at("2026-11-25 09:00"), "Received"), (at("2026-11-27 11:00"), "Result ready"),
                       (at("2026-11-28 08:00"), "Result returned")]
    page = response.content.decode()
    assert "11:00 27/11/2026" in page and "08:00 28/11/2026" in page and "Trần Thị Bình" not in page


def test_the_apology_s_new_appointment_is_explained(world, receive, client):
    from eiso.dossiers.services import dossier_apologise

    dossier = receive("2026-11-25 08:00")
    with frozen("2026-11-26 08:00"):
        dossier_apologise(actor=world.users["staff"], dossier=dossier, reason="Cần xác minh thêm",
                          new_appointment=at("2026-12-03 08:00"))
    page = look_up(client, dossier.code).content.decode()
    assert "08:00 03/12/2026" in page and "Moved by an apology letter of 26/11/2026." in page


def test_no_login_and_another_agency_s_user_alike(world, receive, client):
    dossier = receive("2026-11-25 08:00")
    anonymous = look_up(client, dossier.code).content.decode()
    assert dossier.code in anonymous
    client.force_login(user_with_role("staff", world.foreign))
    logged_in = look_up(client, dossier.code)
    assert logged_in.status_code == 200 and dossier.code in logged_in.content.decode()
    assert APPLICANT["phone"] not in logged_in.content.decode()


def test_the_public_index_links_to_the_lookup(world, client):
    assert f'href="{LOOKUP}"' in client.get(reverse("portal:index")).content.decode()


def test_personal_numbers_in_a_public_comment_are_blanked_on_the_page_and_in_the_api(world, receive, client):
    from eiso.dossiers.services import dossier_pause

    dossier = receive("2026-11-25 08:00")
    with frozen("2026-11-25 09:00"):
        dossier_pause(actor=world.users["staff"], dossier=dossier, kind="fee",
                      reason="Nộp lệ phí 1.500.000 đồng; liên hệ 0912 345 678 hoặc CCCD 001090001234")
    page = look_up(client, dossier.code).content.decode()
    api = client.get(reverse("dossier-lookup"), {"code": dossier.code, "digits": "5678"}).json()
    comment = next(line["comment"] for line in api["history"] if line["comment"])
    for shown in (page, comment):
        assert "1.500.000" in shown and "0912 345 678" not in shown and "001090001234" not in shown
