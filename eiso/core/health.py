"""Health endpoints for load balancers, orchestrators and monitoring (no login, no session, never cached).

    /health/live/   the process answers (no database, no cache): restart it when this fails.
    /health/ready/  the process can serve: the database answers and its migrations are applied, the cache answers,
                    when Redis is the Celery broker the broker answers, and when files are kept in object storage
                    the bucket answers. 503 with the failing part otherwise: take the process out of the pool until
                    it passes.

Both answer JSON and are exempt from the HTTPS redirect (probes usually speak plain HTTP to the process).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

CACHE_KEY = "eiso:health:ready"


def _json(status: int, payload: dict) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def live(request):
    return _json(200, {"status": "ok"})


# Set once this process has seen every migration applied: migrations are not unapplied under a running process,
# and loading the migration graph costs about 100 ms and 9 MB, too much for a probe every few seconds.
_migrated = False


def _check_database() -> str:
    global _migrated
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    if not _migrated:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "migrations not applied"
        _migrated = True
    return "ok"


def _check_cache() -> str:
    token = str(time.monotonic_ns())
    cache.set(CACHE_KEY, token, timeout=30)
    return "ok" if cache.get(CACHE_KEY) == token else "cache does not keep values"


def _check_broker() -> str:
    from eiso.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_storage() -> str:
    from django.core.files.storage import default_storage

    # HEAD on the bucket: answers when the bucket exists and the app's key may use it (an object's HEAD would answer
    # "no such object" even when the bucket is gone).
    default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
    return "ok"


@never_cache
@require_GET
def ready(request):
    checks = {"database": _check_database, "cache": _check_cache}
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        checks["broker"] = _check_broker
    if getattr(settings, "EISO_S3_BUCKET", ""):
        checks["storage"] = _check_storage
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure of a dependency means "not ready"
            results[name] = f"unavailable: {type(error).__name__}"
    healthy = all(value == "ok" for value in results.values())
    return _json(200 if healthy else 503, {"status": "ok" if healthy else "unavailable", "checks": results})
