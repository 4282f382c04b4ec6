"""Two-factor sign-in (TOTP): who must use it, enrolment, sign-in with a code or a backup code, throttling, reset,
and that no page or API operation is reachable with the password alone."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from eiso.accounts.services import api_token_create
from eiso.accounts.two_factor import API_PAGES, EXEMPT_PREFIXES, reset, second_factor_required
from eiso.core.errors import PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import Role
from tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory, user_with_role
from tests.permission_matrix.harness import walk_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]


@pytest.fixture
def two_factor_on():
    with override_settings(EISO_TWO_FACTOR_REQUIRED=True):
        yield


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def sign_in(client, user) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step must succeed"


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Sign in with the password and set up an authenticator through the pages; returns it and the backup codes."""
    sign_in(client, user)
    setup = client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 200, setup
    return TOTPDevice.objects.get(pk=device.pk), re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


@pytest.mark.parametrize("role", [Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.SUPERVISOR, Role.NATIONAL_SUPERVISOR,
                                  "admin"])
def test_heads_coordinators_supervisors_and_administrators_must_use_it(world, role):
    user = world.users.get(str(role)) or user_with_role(role, world.dost)
    assert second_factor_required(user)


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.CONSULTANT])
def test_other_roles_are_not_asked_unless_they_enrol(world, client, role):
    user = world.users[str(role)]
    assert not second_factor_required(user)
    sign_in(client, user)
    assert client.get(reverse("core:home")).status_code == 200
    # once they set it up themselves, they are asked for it too
    enrol(client, user)
    assert second_factor_required(user)
    fresh = Client()
    sign_in(fresh, user)
    assert fresh.get(reverse("core:home")).url.startswith(reverse("accounts:two_factor"))


def test_setting_it_off_asks_nobody_without_an_authenticator(world):
    with override_settings(EISO_TWO_FACTOR_REQUIRED=False):
        assert not second_factor_required(world.users[str(Role.ISO_COORDINATOR)])
        assert not second_factor_required(world.users["admin"])


def test_first_sign_in_sets_up_the_authenticator_then_shows_backup_codes(world, client):
    user = world.users[str(Role.ISO_COORDINATOR)]
    sign_in(client, user)
    # the password alone leads to the second step, keeping where the person was going
    home = client.get("/documents/")
    assert home.status_code == 302 and home.url == f"{reverse('accounts:two_factor')}?next=%2Fdocuments%2F"
    setup = client.get(home.url, follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    page = setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert 'src="data:image/svg+xml' in page  # the QR code is drawn by the app, no external service
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', page).group(1)
    assert device.config_url.split("secret=")[1].startswith(secret)
    # a wrong code is refused and turns nothing on
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000" if code_for(device) != "000000"
                                                                else "111111"})
    assert wrong.status_code == 200 and 'class="error"' in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/documents/").status_code == 302
    # the right code turns it on, shows ten backup codes once, and the session may go on
    done = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device), "next": "/documents/"})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert 'href="/documents/"' in done.content.decode()
    assert client.get("/documents/").status_code == 200
    assert AuditLogEntry.objects.filter(object_id=str(user.pk), actor=user, action="update").exclude(note="").exists()


def test_next_sign_in_asks_for_the_code_and_accepts_only_a_right_one(world, client):
    user = world.users[str(Role.AGENCY_HEAD)]
    device, _codes = enrol(client, user)
    other = Client()
    sign_in(other, user)
    assert other.get(reverse("core:home")).url.startswith(reverse("accounts:two_factor"))
    ask = other.get(reverse("accounts:two_factor"))
    assert ask.status_code == 200 and 'autocomplete="one-time-code"' in ask.content.decode()
    # the code just used to enrol cannot be replayed
    replay = other.post(reverse("accounts:two_factor"), {"code": code_for(device), "next": "/"})
    assert replay.status_code == 200
    assert other.get(reverse("core:home")).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    # the next time step's code (within the app's tolerance of one step) is accepted
    ok = other.post(reverse("accounts:two_factor"), {"code": code_for(device, drift=1), "next": "/documents/"})
    assert ok.status_code == 302 and ok.url == "/documents/"
    assert other.get(reverse("core:home")).status_code == 200


def test_wrong_codes_slow_down_guessing(world, client):
    """django-otp throttles a device after a failure: even the right code is refused for a while (guessing a
    6-digit code needs about 500,000 tries)."""
    user = world.users[str(Role.ISO_COORDINATOR)]
    device, _codes = enrol(client, user)
    other = Client()
    sign_in(other, user)
    right = code_for(device, drift=1)
    for guess in ("123456", "654321", "111111"):
        if guess != right:
            other.post(reverse("accounts:two_factor"), {"code": guess})
    refused = other.post(reverse("accounts:two_factor"), {"code": right})
    assert refused.status_code == 200
    assert other.get(reverse("core:home")).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count >= 1


def test_a_backup_code_signs_in_once(world, client):
    user = world.users[str(Role.SUPERVISOR)]
    _device, codes = enrol(client, user)
    first, second = Client(), Client()
    sign_in(first, user)
    assert first.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("core:home")).status_code == 200
    sign_in(second, user)
    assert second.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 200
    assert second.get(reverse("core:home")).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_a_password_alone_cannot_replace_the_authenticator(world, client):
    """Someone who has only the password must not enrol their own phone instead of the owner's."""
    user = world.users[str(Role.ISO_COORDINATOR)]
    device, _codes = enrol(client, user)
    intruder = Client()
    sign_in(intruder, user)
    page = intruder.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 302 and page.url.startswith(reverse("accounts:two_factor"))
    forged = intruder.post(reverse("accounts:two_factor_setup"), {"code": "123456"})
    assert forged.status_code == 403
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [device]


def test_the_api_through_a_session_needs_the_second_factor_but_personal_tokens_do_not(world, client):
    user = world.users[str(Role.ISO_COORDINATOR)]
    sign_in(client, user)
    refused = client.get("/api/v1/agencies/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "second_factor_required"
    _token, raw = api_token_create(user=user, name="một cửa")
    assert Client().get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_a_manager_resets_a_lost_authenticator(world, client):
    head = world.users[str(Role.AGENCY_HEAD)]
    coordinator = world.users[str(Role.ISO_COORDINATOR)]
    enrol(client, head)
    manager = Client()
    manager.force_login(coordinator)
    TOTPDevice.objects.create(user=coordinator, name="authenticator", confirmed=True)
    session = manager.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=coordinator).persistent_id
    session.save()
    page = manager.get(reverse("accounts:user_detail", args=[head.pk]))
    assert page.status_code == 200 and reverse("accounts:two_factor_reset", args=[head.pk]) in page.content.decode()
    done = manager.post(reverse("accounts:two_factor_reset", args=[head.pk]))
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=head).exists()
    assert not StaticToken.objects.filter(device__user=head).exists()
    # the head sets it up again at the next sign-in
    again = Client()
    sign_in(again, head)
    assert again.get(reverse("accounts:two_factor"), follow=True).redirect_chain[-1][0].startswith(
        reverse("accounts:two_factor_setup"))


def test_reset_is_refused_to_staff_to_oneself_and_across_agencies(world):
    head = world.users[str(Role.AGENCY_HEAD)]
    TOTPDevice.objects.create(user=head, name="authenticator", confirmed=True)
    foreign_head = UserFactory()
    RoleAssignmentFactory(user=foreign_head, agency=world.foreign, role=Role.AGENCY_HEAD)
    with pytest.raises(PermissionDeniedError):
        reset(actor=world.users[str(Role.STAFF)], user=head)
    with pytest.raises(PermissionDeniedError):
        reset(actor=head, user=head)
    with pytest.raises(PermissionDeniedError):
        reset(actor=foreign_head, user=head)
    assert TOTPDevice.objects.filter(user=head).count() == 1
    client = Client()
    client.force_login(world.users[str(Role.STAFF)])
    assert client.post(reverse("accounts:two_factor_reset", args=[head.pk])).status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=head).count() == 1


def _concrete(route: str) -> str:
    route = re.sub(r"<uuid:[^>]+>", str(uuid.UUID(int=1)), route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route


def test_no_page_or_api_operation_is_reached_with_the_password_alone(world):
    """Every URL pattern of eISO, walked as an ISO coordinator who gave the password but not the code: pages (the
    API's documentation pages too) send them to the second step, the API refuses in its error format; only the exempt
    paths (sign-in and out, the two-factor pages, language, static files, health probes, the public portal) answer
    otherwise."""
    client = Client()
    client.force_login(world.users[str(Role.ISO_COORDINATOR)])
    walked = 0
    for route, name, _callback in walk_urls():
        if "(?P<" in route or route.startswith("^"):
            continue  # regular-expression twins of API routes (format suffixes)
        path = _concrete(route)
        if path.startswith(EXEMPT_PREFIXES):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            walked += 1
            if path.startswith("/api/") and not path.startswith(API_PAGES):
                assert response.status_code == 403, (method, path, name)
                assert response.json()["code"] == "second_factor_required", (method, path)
            else:
                assert response.status_code == 302, (method, path, name, response.status_code)
                assert response.url.startswith(reverse("accounts:two_factor")), (method, path)
    assert walked > 400


def test_the_code_step_shows_nothing_of_the_agency(world, client):
    """Before the code, no menu and no agency switcher: only the sign-out and the language."""
    sign_in(client, world.users[str(Role.ISO_COORDINATOR)])
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'class="sidebar"' not in page and 'id="agency-switcher"' not in page
    assert world.own.name not in page
    verified = Client()
    verified.force_login(world.users[str(Role.STAFF)])  # not asked for a code: the page as usual
    home = verified.get(reverse("core:home")).content.decode()
    assert 'class="sidebar"' in home and 'id="agency-switcher"' in home
