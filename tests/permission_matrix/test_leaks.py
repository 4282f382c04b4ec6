"""Lists, counts and search never leak: what a role cannot open never shows up in what it can."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eiso.accounts.services import api_token_create
from eiso.core.models import AuditLogEntry
from eiso.organizations.models import Agency
from tests.permission_matrix.harness import (
    AGENCY_ROLES,
    AUDIT_VIEWERS,
    NON_ADMIN_ROLES,
    PEOPLE_VIEWERS,
    ROLES,
    SCOPES,
    Matrix,
    client_for,
    internal_read,
    user_url,
)
from tests.permission_matrix.matrix import MATRIX

ROW = re.compile(r'<tr[^>]*class="(?:even|odd)')
COUNT = re.compile(r'<p class="count">(\d+)')


def page_rows(response) -> int:
    """Rows of the django-tables2 table of a list page."""
    assert response.status_code == 200
    return len(ROW.findall(response.content.decode()))


def displayed_count(response) -> int:
    """The "N results" line above a list page's table."""
    shown = COUNT.search(response.content.decode())
    assert shown, "the list page shows how many results it found"
    return int(shown.group(1))


def visible_agencies(mx, role) -> set:
    if role == "admin":
        return set(Agency.objects.values_list("pk", flat=True))
    return {mx.world.own.pk, mx.world.sibling.pk, mx.world.dost.pk}


@pytest.mark.parametrize("role", ROLES)
def test_agency_directory_list_count_and_search_exclude_the_other_province(mx, role):
    # given
    page, api = client_for(mx, "page", role), client_for(mx, "api", role)
    foreign = mx.world.foreign
    expected_ids = {str(pk) for pk in visible_agencies(mx, role)}
    sees_foreign = role == "admin"
    # when / then: the page list and its count
    response = page.get(reverse("organizations:agency_list"))
    assert page_rows(response) == displayed_count(response) == len(expected_ids)
    assert (foreign.name in response.content.decode()) is sees_foreign
    # the page search by the foreign agency's exact name (the search box echoes the name: look for the link)
    response = page.get(reverse("organizations:agency_list"), {"q": foreign.name})
    assert page_rows(response) == displayed_count(response) == (1 if sees_foreign else 0)
    assert (foreign.get_absolute_url() in response.content.decode()) is sees_foreign
    # the API list, its count and its search
    body = api.get(reverse("agency-list")).json()
    assert {row["id"] for row in body["results"]} == expected_ids
    assert body["count"] == len(expected_ids)
    body = api.get(reverse("agency-list"), {"q": foreign.name}).json()
    assert body["count"] == (1 if sees_foreign else 0)
    # filtering on the other province finds nothing outside the scope
    body = api.get(reverse("agency-list"), {"province": mx.world.other_province.pk}).json()
    assert body["count"] == (1 if sees_foreign else 0)
    # the sibling agency is found by everyone of the province
    assert api.get(reverse("agency-list"), {"q": mx.world.sibling.name}).json()["count"] == 1
    # the live search (htmx asks for the table alone) filters the same way
    response = page.get(reverse("organizations:agency_list"), {"q": foreign.name}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert page_rows(response) == (1 if sees_foreign else 0)


API_LISTS = [
    # (id, list URL name, marker of the scope's row, policy, agency of a row or None)
    ("org-units", "orgunit-list", lambda mx, s: str(mx.unit[s].pk), internal_read(AGENCY_ROLES), "agency"),
    ("qms", "qms-list", lambda mx, s: str(mx.qms[s].pk), internal_read(AGENCY_ROLES), "agency"),
    (
        "role-assignments",
        "roleassignment-list",
        lambda mx, s: str(mx.assignment[s].pk),
        internal_read(PEOPLE_VIEWERS),
        "agency",
    ),
    ("audit-log", "auditlog-list", lambda mx, s: mx.audit[s].pk, internal_read(AUDIT_VIEWERS), "agency"),
    ("users", "user-list", lambda mx, s: mx.person[s].pk, internal_read(PEOPLE_VIEWERS), None),
]


def allowed_row_agencies(mx, role, policy) -> set[str]:
    """Agencies whose rows the role may get in a list, from the same policy as the detail views."""
    if role == "admin":  # and rows of no agency (the audit trail of national reference data: legal register)
        return {str(pk) for pk in Agency.objects.values_list("pk", flat=True)} | {None}
    if role == "supervisor":
        return {str(a.pk) for a in (mx.world.own, mx.world.sibling, mx.world.dost)}
    return {str(mx.world.own.pk)} if policy(role, "own") == 200 else set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "list_url", "marker", "policy", "agency_key"), [pytest.param(*row, id=row[0]) for row in API_LISTS]
)
def test_api_lists_hold_exactly_the_rows_in_scope(mx, role, name, list_url, marker, policy, agency_key):
    # given
    client = client_for(mx, "api", role)
    # when
    body = client.get(reverse(list_url), {"page_size": 500}).json()
    ids = {row["id"] for row in body["results"]}
    # then: the scope rows the role may see, and only those
    for scope in SCOPES:
        assert (marker(mx, scope) in ids) is (policy(role, scope) == 200), f"{name} {role}: row of {scope}"
    # the count is the count of what is returned, never of what exists
    assert body["count"] == len(body["results"])
    if agency_key:
        rows_agencies = {row[agency_key] for row in body["results"]}
        assert rows_agencies <= allowed_row_agencies(mx, role, policy), f"{name} {role}: rows of other agencies"
        # filtering on the foreign agency returns nothing unless the role may see it
        foreign = client.get(reverse(list_url), {"agency": str(mx.world.foreign.pk)}).json()
        assert (foreign["count"] >= 1) if role == "admin" else (foreign["count"] == 0)


@pytest.mark.parametrize("role", ROLES)
def test_org_unit_page_search_never_finds_units_outside_the_scope(mx, role):
    # given
    client = client_for(mx, "page", role)
    for scope in ("sibling", "foreign"):
        # when searching for the other agency's unit by name
        response = client.get(reverse("organizations:orgunit_list"), {"q": mx.unit[scope].name})
        # then (the page lists the current agency's units; the admin's current agency is `own`)
        assert response.status_code == 200
        assert page_rows(response) == 0
        assert mx.unit[scope].get_absolute_url() not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_audit_page_counts_only_entries_in_scope(mx, role):
    # given
    client = client_for(mx, "page", role)
    policy = internal_read(AUDIT_VIEWERS)
    visible = [mx.agency[s] for s in SCOPES if policy(role, s) == 200]
    expected = (
        AuditLogEntry.objects.count() if role == "admin" else AuditLogEntry.objects.filter(agency__in=visible).count()
    )
    # when
    every = client.get(reverse("core:auditlog_list"), {"all": "1"})
    searched = client.get(reverse("core:auditlog_list"), {"all": "1", "object_repr": mx.unit["foreign"].name})
    # then
    assert displayed_count(every) == expected and page_rows(every) == min(expected, 50)  # 50 a page
    assert page_rows(searched) == displayed_count(searched) == (1 if role == "admin" else 0)
    assert (mx.world.foreign.name in every.content.decode()) is (role == "admin")


@pytest.mark.parametrize("role", ["admin", "supervisor", "agency_head", "iso_coordinator"])
def test_people_page_search_never_finds_people_outside_the_scope(mx, role):
    # given
    client = client_for(mx, "page", role)
    policy = internal_read(PEOPLE_VIEWERS)
    for scope in SCOPES:
        # when
        response = client.get(reverse("accounts:user_list"), {"q": mx.person[scope].username})
        # then
        visible = policy(role, scope) == 200
        assert page_rows(response) == (1 if visible else 0), scope
        assert (user_url(mx, scope) in response.content.decode()) is visible, scope


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_page_shows_anything_outside_the_scope(mx, role):
    # given the pages a signed-in user can reach, on their own and on the sibling agency
    client = client_for(mx, "page", role)
    pages = [
        reverse("core:home"),
        reverse("core:auditlog_list") + "?all=1",
        reverse("accounts:token_list"),
        reverse("organizations:agency_list"),
        reverse("organizations:orgunit_list"),
        reverse("calendars:calendar"),
        reverse("calendars:deadline"),
        mx.world.own.get_absolute_url(),
        mx.world.sibling.get_absolute_url(),
        mx.unit["own"].get_absolute_url(),
        reverse("organizations:adminunit_detail", args=[mx.world.foreign.admin_unit_id]),
        reverse("accounts:user_list"),
        reverse("accounts:user_detail", args=[mx.person["own"].pk]),
    ]
    markers = outside_markers(mx, role) | {"foreign person's token": mx.token(role, "foreign").name}
    for page in pages:
        # when
        response = client.get(page)
        # then
        assert response.status_code in (200, 403, 404), page
        body = response.content.decode()
        leaked = [label for label, text in markers.items() if text in body]
        assert not leaked, f"{page} shows {leaked}"


@pytest.mark.parametrize("role", ROLES)
def test_token_lists_hold_only_the_users_own_tokens(mx, role):
    # given a second token of the user, and tokens of other people
    client = client_for(mx, "api", role)
    extra, _raw = api_token_create(user=mx.users[role], name="second")
    mine = {str(mx.tokens[mx.users[role].pk].pk), str(extra.pk)}
    # when
    body = client.get(reverse("apitoken-list")).json()
    # then
    assert {row["id"] for row in body["results"]} == mine
    assert body["count"] == 2


@pytest.mark.parametrize("role", ["supervisor", "agency_head"])
def test_list_pages_display_the_count_of_what_they_list(mx, role):
    # given list pages that hold rows for this role
    client = client_for(mx, "page", role)
    pages = [
        reverse("organizations:agency_list"),
        reverse("core:auditlog_list") + "?all=1",
        reverse("accounts:user_list"),
        reverse("organizations:adminunit_list"),
    ]
    for page in pages:
        # when
        response = client.get(page)
        # then the "N results" line counts the rows of the scope (never more, never 0 for a full list)
        assert displayed_count(response) == page_rows(response) > 0, page


def outside_markers(mx: Matrix, role: str) -> dict[str, str]:
    """Text that must never reach `role`: everything of the other province and, except for the
    supervisor, the sibling agency's internals (its directory entry is public to the province)."""
    markers = {
        "foreign agency name": mx.world.foreign.name,
        "foreign agency id": str(mx.world.foreign.pk),
        "foreign unit name": mx.unit["foreign"].name,
        "foreign unit id": str(mx.unit["foreign"].pk),
        "foreign QMS": mx.qms["foreign"].name,
        "foreign person": mx.person["foreign"].username,
        "foreign person's name": mx.person["foreign"].full_name,
    }
    if role != "supervisor":
        markers |= {
            "sibling unit id": str(mx.unit["sibling"].pk),
            "sibling QMS": mx.qms["sibling"].name,
            "sibling person's name": mx.person["sibling"].full_name,
        }
    return markers


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_browsable_api_never_shows_objects_outside_the_scope(mx, role):
    # given the HTML rendering (DRF's browsable API, with its forms and filter forms) of every API
    # endpoint that answers GET, on the role's own objects
    client = client_for(mx, "api", role)
    markers = outside_markers(mx, role)
    leaks = {}
    for entry in MATRIX:
        if entry.kind != "api" or entry.anonymous is not None or not any(c.method == "get" for c in entry.checks):
            continue
        path = entry.path(mx, role, "own")
        # when
        response = client.get(path, HTTP_ACCEPT="text/html")
        # then
        body = response.content.decode()
        found = [label for label, text in markers.items() if text in body]
        if found:
            leaks[path] = found
    assert not leaks, f"the browsable API shows {role} objects outside the scope: {leaks}"
