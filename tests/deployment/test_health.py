"""The health endpoints: liveness never touches the database; readiness reports each part and fails with 503."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_live_answers_without_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_ready_checks_database_and_cache(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"


def test_ready_is_503_when_the_database_fails(client, monkeypatch):
    from eiso.core import health

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_check_database", broken)
    response = client.get("/health/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable: OSError"
    assert body["checks"]["cache"] == "ok"


def test_ready_is_503_until_the_migrations_are_applied_then_stops_loading_them(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from eiso.core import health

    monkeypatch.setattr(health, "_migrated", False)
    plans = []

    def plan(self, targets):
        plans.append(1)
        return [("x", False)] if len(plans) == 1 else []

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan)
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "migrations not applied"
    assert client.get("/health/ready/").status_code == 200
    assert client.get("/health/ready/").status_code == 200
    assert len(plans) == 2  # once applied, the graph is not loaded again by this process


def test_ready_checks_the_broker_when_redis_is_configured(client, settings, monkeypatch):
    from eiso.core import health

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    calls = []

    def refused():
        calls.append(1)
        raise ConnectionError("refused")

    monkeypatch.setattr(health, "_check_broker", refused)
    response = client.get("/health/ready/")
    assert calls == [1]
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable: ConnectionError"


def test_live_refuses_writes(client):
    assert client.post("/health/live/").status_code == 405
