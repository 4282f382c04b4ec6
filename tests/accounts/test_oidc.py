"""Optional single sign-on (OpenID Connect): who the provider may sign in, and the sign-in page and redirect when it
is configured. The provider itself (a province's identity server) is not here: its answer — the user-info claims —
is given to the backend directly."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings

from eiso.accounts.oidc import ExistingPersonBackend
from eiso.core.permissions import Role
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PROVIDER = {
    "OIDC_RP_CLIENT_ID": "eiso", "OIDC_RP_CLIENT_SECRET": "s", "OIDC_OP_TOKEN_ENDPOINT": "https://sso.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://sso.example/userinfo", "OIDC_OP_JWKS_ENDPOINT": "https://sso.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256", "OIDC_CREATE_USER": False,
}


def signed_in(claims):
    with override_settings(**PROVIDER):
        backend = ExistingPersonBackend()
        backend.get_userinfo = lambda access_token, id_token, payload: claims
        return backend.get_or_create_user("access", "id", {})


def test_the_provider_signs_in_an_existing_active_person_by_user_name(world):
    staff = world.users[str(Role.STAFF)]
    assert signed_in({"preferred_username": staff.username.upper(), "email": "other@example.vn"}) == staff


def test_it_never_creates_an_account_and_changes_nothing_about_the_person(world):
    users = get_user_model().objects.count()
    assert signed_in({"preferred_username": "nguoi-la", "email": "la@example.vn"}) is None
    assert get_user_model().objects.count() == users
    staff = world.users[str(Role.STAFF)]
    before = (staff.email, staff.full_name)
    signed_in({"preferred_username": staff.username, "email": "doi@example.vn", "name": "Tên Khác"})
    staff.refresh_from_db()
    assert (staff.email, staff.full_name) == before


def test_inactive_people_expired_consultants_and_claims_without_a_name_are_refused(world):
    inactive = UserFactory(is_active=False)
    consultant = UserFactory()
    RoleAssignmentFactory(user=consultant, agency=world.own, role=Role.CONSULTANT,
                          valid_until=dt.date.today() - dt.timedelta(days=1))
    assert signed_in({"preferred_username": inactive.username}) is None
    assert signed_in({"preferred_username": consultant.username}) is None
    with pytest.raises(SuspiciousOperation):
        signed_in({"email": "x@example.vn"})


def test_the_claim_that_names_the_person_is_configurable(world):
    staff = world.users[str(Role.STAFF)]
    with override_settings(EISO_OIDC_USERNAME_CLAIM="cccd"):
        assert signed_in({"cccd": staff.username}) == staff
        with pytest.raises(SuspiciousOperation):
            signed_in({"preferred_username": staff.username})


def test_configured_single_sign_on_shows_on_the_sign_in_page_and_sends_to_the_provider(tmp_path):
    """In a process of its own, since the routes are read from the settings at start-up."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "eiso.settings_test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'sso.sqlite3'}", "EISO_OIDC_CLIENT_ID": "eiso",
           "EISO_OIDC_PROVIDER_NAME": "SSO Lào Cai",
           "EISO_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.laocai.example/auth",
           "EISO_OIDC_TOKEN_ENDPOINT": "https://sso.laocai.example/token",
           "EISO_OIDC_USERINFO_ENDPOINT": "https://sso.laocai.example/userinfo",
           "EISO_OIDC_JWKS_ENDPOINT": "https://sso.laocai.example/jwks"}
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', 'sessions', verbosity=0)\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='127.0.0.1')\n"
        "page = c.get('/accounts/login/?next=/documents/').content.decode()\n"
        "print('SSO-BUTTON' if 'id=\"sso\"' in page and 'SSO Lào Cai' in page else 'NO-BUTTON')\n"
        "r = c.get('/oidc/authenticate/?next=/documents/')\n"
        "print(r.status_code, r['Location'])\n"
        "failed = c.get('/accounts/login/?sso=failed').content.decode()\n"
        "print('FAILED-SHOWN' if 'msg-error' in failed else 'FAILED-HIDDEN')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert "SSO-BUTTON" in lines and "FAILED-SHOWN" in lines
    redirect = next(line for line in lines if line.startswith("302 "))
    assert redirect.startswith("302 https://sso.laocai.example/auth?response_type=code")
    assert "client_id=eiso" in redirect and "code_challenge=" in redirect and "state=" in redirect
