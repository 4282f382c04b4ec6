"""Sign-in throttling (django-axes), the client address behind proxies, password policy and session expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from eiso.accounts.services import sign_in_paused, sign_in_unlock, user_create
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import Role
from eiso.core.throttle import client_address, client_ip
from tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_too_many_wrong_passwords_pause_that_user_name_from_that_address(world, client):
    staff = world.users["staff"]
    for _i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, staff.username, "wrong-password").status_code == 200
    # the attempt that reaches the limit is refused, and so is the right password afterwards
    assert attempt(client, staff.username, "wrong-password").status_code == 429
    paused = attempt(client, staff.username, PASSWORD)
    assert paused.status_code == 429
    assert "15" in paused.content.decode() and "_auth_user_id" not in client.session
    # a colleague, and the same person from another address, still sign in
    assert attempt(Client(), world.users["auditor"].username, PASSWORD).status_code == 302
    assert attempt(Client(), staff.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_the_pause_ends_after_the_cool_off_and_a_success_resets_the_count(world, client):
    staff = world.users["staff"]
    for _i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, staff.username, "wrong-password")
    assert attempt(client, staff.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
    assert attempt(client, staff.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=staff.username, failures_since_start__gt=0).exists()


def test_the_pause_is_shared_by_every_app_process(world):
    """The counts live in the database, not in a process: a second client (another worker) is refused too."""
    staff = world.users["staff"]
    for _i in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), staff.username, "wrong-password")
    assert AccessAttempt.objects.get(username=staff.username).failures_since_start == settings.AXES_FAILURE_LIMIT
    assert attempt(Client(), staff.username, PASSWORD).status_code == 429


def test_client_address_behind_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    with override_settings(EISO_TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "127.0.0.1"  # no proxy trusted: the header is the client's claim
    with override_settings(EISO_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.9"  # what nginx saw; the forged left entry is ignored
    with override_settings(EISO_TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == "127.0.0.1"  # fewer entries than proxies: the header cannot be trusted
    bare = RequestFactory().get("/")
    del bare.META["REMOTE_ADDR"]
    assert client_address(bare) is None and client_ip(bare) == "unknown"  # a sign-in made in code has no address


@pytest.mark.parametrize("password", ["short1!", "1234567890123", "password1234", "nguyenvana2026"])
def test_weak_passwords_are_refused_with_the_reason(world, password):
    with pytest.raises(ApplicationError) as refused:
        user_create(actor=world.users["admin"], username="nguyenvana2026", password=password, full_name="Nguyễn Văn A")
    assert refused.value.code == "weak_password" and refused.value.errors["password"]


def test_a_session_expires_after_its_age(world, client):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.post(reverse("accounts:login"), {"username": world.users["staff"].username, "password": PASSWORD})
    assert client.get(reverse("core:home")).status_code == 200
    assert 8 * 3600 - 60 < client.session.get_expiry_age() <= 8 * 3600
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(reverse("core:home"))
    assert expired.status_code == 302 and expired.url.startswith(reverse("accounts:login"))


def test_changing_the_password_ends_the_other_sessions(world):
    staff = world.users["staff"]
    office, phone = Client(), Client()
    for c in (office, phone):
        c.post(reverse("accounts:login"), {"username": staff.username, "password": PASSWORD})
    new = "Một-mật-khẩu-mới-2026"
    changed = office.post(reverse("accounts:password_change"),
                          {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert changed.status_code == 302
    assert office.get(reverse("core:home")).status_code == 200
    assert phone.get(reverse("core:home")).status_code == 302


def test_a_manager_unlocks_a_paused_sign_in_before_the_cool_off(world, client):
    staff = world.users["staff"]
    for _i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, staff.username, "wrong-password")
    assert sign_in_paused(staff)
    manager = Client()
    manager.force_login(world.users["iso_coordinator"])
    page = manager.get(reverse("accounts:user_detail", args=[staff.pk])).content.decode()
    assert 'id="sign-in-paused"' in page and reverse("accounts:sign_in_unlock", args=[staff.pk]) in page
    assert manager.post(reverse("accounts:sign_in_unlock", args=[staff.pk])).status_code == 302
    assert not sign_in_paused(staff)
    assert attempt(client, staff.username, PASSWORD).status_code == 302
    assert AuditLogEntry.objects.filter(object_id=str(staff.pk), actor=world.users["iso_coordinator"]).exists()


def test_unlocking_is_refused_to_staff_to_oneself_and_across_agencies(world, client):
    staff = world.users["staff"]
    for _i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, staff.username, "wrong-password")
    with pytest.raises(PermissionDeniedError):
        sign_in_unlock(actor=world.users["auditor"], user=staff)
    with pytest.raises(PermissionDeniedError):
        sign_in_unlock(actor=staff, user=staff)
    foreign = Client()
    foreign_head = UserFactory()
    RoleAssignmentFactory(user=foreign_head, agency=world.foreign, role=Role.AGENCY_HEAD)
    foreign.force_login(foreign_head)
    assert foreign.post(reverse("accounts:sign_in_unlock", args=[staff.pk])).status_code == 404
    assert sign_in_paused(staff)
