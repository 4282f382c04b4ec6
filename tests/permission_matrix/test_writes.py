"""Writes with rules of their own."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from eiso.accounts.services import api_token_create
from eiso.organizations.models import OrgUnit, RoleAssignment
from tests.permission_matrix.harness import (
    _HANDLERS,
    AGENCY_ROLES,
    EDITORS,
    NON_ADMIN_ROLES,
    SCOPES,
    assert_api_error_format,
    client_for,
    directory,
    internal_read,
)


@pytest.mark.parametrize("scope", ["sibling", "foreign"])
def test_coordinator_cannot_assign_a_role_in_another_agency_api(mx, scope):
    # given
    client = client_for(mx, "api", "iso_coordinator")
    before = RoleAssignment.objects.count()
    # when
    response = client.post(
        reverse("roleassignment-list"),
        {"user": mx.newcomer.pk, "agency": str(mx.agency[scope].pk), "role": "staff"},
        format="json",
    )
    # then
    assert response.status_code == 403
    assert_api_error_format(response, scope)
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize("scope", ["sibling", "foreign"])
def test_coordinator_cannot_assign_a_role_in_another_agency_page(mx, scope):
    # given: the form offers only the agencies the coordinator manages
    client = client_for(mx, "page", "iso_coordinator")
    before = RoleAssignment.objects.count()
    # when
    response = client.post(
        reverse("accounts:role_add"), {"user": "newcomer", "agency": str(mx.agency[scope].pk), "role": "staff"}
    )
    # then: the form is shown again with an error on the agency, and nothing is created
    assert response.status_code == 200
    assert response.context["form"].errors.get("agency")
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator"])
def test_agency_managers_cannot_grant_supervisor(mx, role):
    # given
    api, page = client_for(mx, "api", role), client_for(mx, "page", role)
    before = RoleAssignment.objects.count()
    own = str(mx.world.own.pk)
    # when
    api_response = api.post(
        reverse("roleassignment-list"), {"user": mx.newcomer.pk, "agency": own, "role": "supervisor"}, format="json"
    )
    page_response = page.post(reverse("accounts:role_add"), {"user": "newcomer", "agency": own, "role": "supervisor"})
    # then
    assert api_response.status_code == 403
    assert page_response.status_code == 200
    assert page_response.context["form"].errors.get("role")
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_creating_an_org_unit_in_an_invisible_agency_looks_like_an_unknown_agency(mx, role):
    # given
    client = client_for(mx, "api", role)
    before = OrgUnit.objects.count()
    # when
    foreign = client.post(reverse("orgunit-list"), {"name": "X", "agency": str(mx.world.foreign.pk)}, format="json")
    unknown = client.post(reverse("orgunit-list"), {"name": "X", "agency": str(uuid.uuid4())}, format="json")
    # then: no oracle on which agencies exist elsewhere
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    assert foreign.status_code == 400
    assert OrgUnit.objects.count() == before


def test_supervisor_cannot_move_an_agency_out_of_the_province(mx):
    # given a supervisor, who may change the agencies of the province
    client = client_for(mx, "api", "supervisor")
    own = mx.world.own
    # when moving one to a commune of another province
    response = client.patch(
        reverse("agency-detail", args=[own.pk]), {"admin_unit": mx.commune["foreign"].pk}, format="json"
    )
    # then the write is refused and nothing moved
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.province_id == mx.world.province.pk


@pytest.mark.parametrize("role", sorted(EDITORS))
def test_org_unit_cannot_be_moved_under_another_agencys_unit(mx, role):
    # given
    client = client_for(mx, "api", role)
    unit = mx.unit["own"]
    # when
    response = client.patch(
        reverse("orgunit-detail", args=[unit.pk]), {"parent": str(mx.unit["sibling"].pk)}, format="json"
    )
    # then
    assert response.status_code == 400
    assert OrgUnit.objects.get(pk=unit.pk).parent_id is None


@pytest.mark.parametrize("role", ["supervisor", "staff"])
def test_a_personal_token_carries_the_same_scope_as_a_session(mx, role):
    # given an API client authenticated by the role's personal token, not by a session
    _token, raw = api_token_create(user=mx.users[role], name="integration")
    client = APIClient()
    client.handler = _HANDLERS.setdefault("api", client.handler)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    policy = internal_read(AGENCY_ROLES)
    for scope in SCOPES:
        # when
        unit = client.get(reverse("orgunit-detail", args=[mx.unit[scope].pk]))
        agency = client.get(reverse("agency-detail", args=[mx.agency[scope].pk]))
        # then
        assert unit.status_code == policy(role, scope), scope
        assert agency.status_code == directory(role, scope), scope
    listed = {row["id"] for row in client.get(reverse("orgunit-list")).json()["results"]}
    assert listed == {str(mx.unit[s].pk) for s in SCOPES if policy(role, s) == 200}
    # a write through the token is refused like through a session, and changes nothing
    response = client.patch(reverse("orgunit-detail", args=[mx.unit["own"].pk]), {"name": "X"}, format="json")
    assert response.status_code == 403
    assert OrgUnit.objects.get(pk=mx.unit["own"].pk).name == mx.unit["own"].name
