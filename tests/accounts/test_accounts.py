import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.accounts.models import ApiToken
from eiso.accounts.services import api_token_create, api_token_revoke, user_create
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import Role
from tests.factories import PASSWORD, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_expired_consultant_cannot_sign_in_and_is_told_why(client, world):
    # given a consultant whose contract ended yesterday
    consultant = UserFactory()
    RoleAssignmentFactory(user=consultant, agency=world.own, role=Role.CONSULTANT,
                          valid_until=dt.date.today() - dt.timedelta(days=1))
    # when
    response = client.post(reverse("accounts:login"), {"username": consultant.username, "password": PASSWORD})
    # then
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y") in response.content.decode()


def test_active_user_signs_in(client, world):
    response = client.post(reverse("accounts:login"),
                           {"username": world.users["staff"].username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["staff"].pk)


def test_expired_consultant_token_is_refused(api_client, world):
    consultant = UserFactory()
    RoleAssignmentFactory(user=consultant, agency=world.own, role=Role.CONSULTANT,
                          valid_until=dt.date.today() - dt.timedelta(days=1))
    _token, raw = api_token_create(user=consultant, name="tool")
    response = api_client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "code", "errors"}


def test_token_authenticates_until_revoked(api_client, world):
    user = world.users["iso_coordinator"]
    token, raw = api_token_create(user=user, name="một cửa")
    assert ApiToken.objects.get(pk=token.pk).key_hash != raw  # only the hash is stored
    ok = api_client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200
    api_token_revoke(user=user, token=token)
    refused = api_client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 401


def test_expired_token_is_refused(api_client, world):
    token, raw = api_token_create(user=world.users["staff"], name="x",
                                  expires_at=timezone.now() + dt.timedelta(minutes=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert api_client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_another_users_token_cannot_be_revoked(world):
    token, _raw = api_token_create(user=world.users["staff"], name="x")
    with pytest.raises(PermissionDeniedError):
        api_token_revoke(user=world.users["auditor"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_create_token_command_prints_a_working_token(api_client, world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_token", world.users["staff"].username, "--name", "cli", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("eiso_")
    assert api_client.get("/api/v1/admin-units/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_user_create_checks_password_and_rights(world):
    with pytest.raises(ApplicationError) as exc:
        user_create(actor=world.users["iso_coordinator"], username="new", password="123")
    assert exc.value.code == "weak_password"
    with pytest.raises(PermissionDeniedError):
        user_create(actor=world.users["staff"], username="new", password=PASSWORD)
    with pytest.raises(PermissionDeniedError):
        user_create(actor=world.users["iso_coordinator"], username="root2", password=PASSWORD, is_superuser=True)
    user = user_create(actor=world.users["iso_coordinator"], username="new", password=PASSWORD, full_name="Mới")
    assert user.check_password(PASSWORD)
    with pytest.raises(ApplicationError) as exc:
        user_create(actor=world.users["iso_coordinator"], username="NEW", password=PASSWORD)
    assert exc.value.code == "duplicate_username"


def test_agency_switcher_only_switches_to_own_agencies(client, world):
    coordinator = world.users["iso_coordinator"]
    RoleAssignmentFactory(user=coordinator, agency=world.sibling, role=Role.AUDITOR)
    client.force_login(coordinator)
    response = client.post(reverse("core:switch_agency"), {"agency": str(world.sibling.pk)})
    assert response.status_code == 302
    assert world.sibling.name in client.get(reverse("core:home")).content.decode()
    refused = client.post(reverse("core:switch_agency"), {"agency": str(world.foreign.pk)})
    assert refused.status_code == 404
    assert client.session["eiso_agency_id"] == str(world.sibling.pk)


def test_coordinator_edits_and_deactivates_own_staff_but_not_others(world, client):
    from eiso.accounts.services import user_update

    coordinator, staff = world.users["iso_coordinator"], world.users["staff"]
    user_update(actor=coordinator, user=staff, data={"position": "Công chức Tư pháp - Hộ tịch", "is_active": False})
    staff.refresh_from_db()
    assert (staff.position, staff.is_active) == ("Công chức Tư pháp - Hộ tịch", False)
    # a deactivated person cannot sign in
    assert client.post(reverse("accounts:login"), {"username": staff.username, "password": PASSWORD}).status_code == 200
    assert "_auth_user_id" not in client.session
    with pytest.raises(PermissionDeniedError):
        user_update(actor=coordinator, user=world.users["supervisor"], data={"is_active": False})
    with pytest.raises(PermissionDeniedError):
        user_update(actor=coordinator, user=world.users["admin"], data={"is_active": False})
    with pytest.raises(ApplicationError):
        user_update(actor=coordinator, user=coordinator, data={"is_active": False})
    world.users["supervisor"].refresh_from_db()
    assert world.users["supervisor"].is_active


def test_user_pages_for_a_coordinator(client, world):
    client.force_login(world.users["iso_coordinator"])
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert world.users["staff"].username in listing
    assert world.users["supervisor"].username not in listing
    response = client.post(reverse("accounts:user_add"), {"username": "moi", "full_name": "Người Mới",
                                                          "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("accounts:role_add"), {"user": "moi", "agency": str(world.own.pk),
                                                          "role": "staff", "is_recursive": "on"})
    assert response.status_code == 302
    assert world.own.name in client.get(response["Location"]).content.decode()
    refused = client.post(reverse("accounts:role_add"), {"user": "moi", "agency": str(world.sibling.pk),
                                                         "role": "staff"})
    assert refused.status_code == 200  # form redisplayed with the error
    from eiso.organizations.models import RoleAssignment

    assert not RoleAssignment.objects.filter(user__username="moi", agency=world.sibling).exists()
