"""Every list endpoint has a query budget, and its query count does not grow with the number of rows it lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from eiso.core.middleware import SESSION_KEY
from tests.query_budgets.registry import BUDGETS, NOT_ROW_LISTS, list_endpoint_names, url_names
from tests.query_budgets.rows import Rows

FEW, MORE = 2, 6


def test_every_list_endpoint_has_a_budget():
    # given every list endpoint of eiso.urls
    lists = list_endpoint_names()
    # then each one has a budget entry or a reasoned exclusion
    missing = sorted(lists - {b.name for b in BUDGETS} - set(NOT_ROW_LISTS))
    assert not missing, f"list endpoints without a query budget (tests/query_budgets/registry.py): {missing}"


def test_every_budget_names_a_url_pattern():
    names = url_names()
    stale = sorted({b.name for b in BUDGETS} - names) + sorted(set(NOT_ROW_LISTS) - names)
    assert not stale, f"query budgets for URL patterns that no longer exist: {stale}"
    assert len({b.name for b in BUDGETS}) == len(BUDGETS), "one budget per URL pattern"


def _client(world, budget):
    client = APIClient() if budget.kind == "api" else Client()
    if budget.role is None:
        return client
    client.force_login(world.users[budget.role])
    if budget.role == "admin":  # the administrator works in `own`, chosen with the switcher
        session = client.session
        session[SESSION_KEY] = str(world.own.pk)
        session.save()
    return client


def _count(client, path, context):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, f"{context}: GET {path} answered {response.status_code}"
    return len(captured), [q["sql"] for q in captured.captured_queries], response


@pytest.mark.parametrize("budget", [pytest.param(b, id=b.id) for b in BUDGETS])
def test_query_count_does_not_grow_with_rows(world, budget):
    # given FEW rows in the scope of a role who sees them
    rows = Rows(world=world, made={"role": budget.role})
    for i in range(FEW):
        budget.add(rows, i)
    client = _client(world, budget)
    path = reverse(budget.name, args=budget.args(rows) if budget.args else []) + budget.query
    _count(client, path, budget.id)  # warm the per-process caches (content types, site settings...)
    few, few_sql, few_response = _count(client, path, budget.id)
    # when MORE rows are listed
    for i in range(FEW, MORE):
        budget.add(rows, i)
    more, more_sql, more_response = _count(client, path, budget.id)
    # then the new rows are listed
    shown_few, shown_more = _shown(budget, few_response), _shown(budget, more_response)
    assert budget.marker is None or shown_more - shown_few >= MORE - FEW, (
        f"{budget.id}: {shown_few} rows shown with {FEW} made, {shown_more} with {MORE}: the builder's rows are not in "
        f"the role's list")
    # and the query count is the same (give or take the entry's documented constant)
    assert more - few <= budget.slack, (
        f"{budget.id}: {few} queries with {FEW} rows, {more} with {MORE} (slack {budget.slack}); the queries added:\n"
        + "\n".join(_added(few_sql, more_sql))
    )


def _shown(budget, response) -> int:
    """How many rows the response lists: an API list's count (or length), a page's `budget.marker` occurrences
    (table rows by default)."""
    if budget.kind == "api":
        body = response.json()
        if isinstance(body, dict):
            return body["count"] if "count" in body else len(body["results"])
        return len(body)
    return response.content.decode().count(budget.marker) if budget.marker else 0


def _added(few_sql, more_sql):
    """The statements run more often with more rows (their SQL with the parameters' position), to find the N+1."""
    import re
    from collections import Counter

    def shape(sql):  # the statement without its parameters
        return re.sub(r"'[^']*'|\b\d+\b", "?", sql)

    few, more = Counter(map(shape, few_sql)), Counter(map(shape, more_sql))
    return [f"  {more[sql] - few[sql]}x {sql[:300]}" for sql in more if more[sql] > few[sql]][:10]
