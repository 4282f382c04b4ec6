"""Every URL pattern has a row, and every row holds for every role, scope and the anonymous visitor."""

from __future__ import annotations

import pytest

from tests.permission_matrix.harness import (
    LOGIN_URL,
    ROLES,
    SCOPES,
    assert_api_error_format,
    check_cell,
    client_for,
    fresh_cell,
    send,
    url_pattern_names,
)
from tests.permission_matrix.matrix import MATRIX


def test_every_url_pattern_has_a_matrix_entry():
    # given every named pattern of eiso.urls
    names = url_pattern_names()
    # then each one has a row in the matrix: a new endpoint must say who may use it
    missing = sorted(names - {e.name for e in MATRIX})
    assert not missing, f"URL patterns without a permission-matrix entry: {missing}"


def test_every_matrix_entry_names_a_url_pattern():
    stale = sorted({e.name for e in MATRIX} - url_pattern_names())
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"
    assert len({e.name for e in MATRIX}) == len(MATRIX), "one matrix entry per URL pattern"


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in MATRIX if e.scoped])
def test_matrix_by_role_and_scope(mx, entry):
    """Every role on every scope's object, each cell from the same world (see fresh_cell): one world per entry
    instead of one per cell; every mismatch is reported with its role and scope."""
    failures = []
    for scope in SCOPES:
        for role in ROLES:
            with fresh_cell(mx):
                failures += check_cell(mx, entry, role, scope)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in MATRIX if not e.scoped])
def test_matrix_every_role(mx, entry):
    """Endpoints without an object in a scope: every role, each from the same world."""
    failures = []
    for role in ROLES:
        with fresh_cell(mx):
            failures += check_cell(mx, entry, role, "own")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in MATRIX])
def test_matrix_anonymous(mx, entry):
    for check in entry.checks:
        # given an anonymous visitor
        client = client_for(mx, entry.kind, None)
        path = entry.path(mx, "staff", "own") + check.query
        before = check.state(mx, "staff", "own") if check.state else None
        # when
        response = send(client, entry.kind, check.method, path, check.data(mx, "staff", "own") if check.data else None)
        # then
        context = f"anonymous {check.method.upper()} {path}"
        if entry.anonymous is not None:
            assert response.status_code == entry.anonymous, f"{context}: got {response.status_code}"
        elif entry.kind == "page":
            assert response.status_code == 302, f"{context}: got {response.status_code}"
            assert response["Location"].startswith(LOGIN_URL), f"{context}: redirects to {response['Location']}"
        else:
            assert response.status_code == 401, f"{context}: got {response.status_code}"
            assert_api_error_format(response, context)
            assert response.json()["code"] == "not_authenticated", context
            assert response["WWW-Authenticate"].startswith("Bearer"), context
        if check.state:
            assert check.state(mx, "staff", "own") == before, f"{context}: changed data"
