"""The cache of the working calendar and office hours, shared by every process through Django's cache.

Cached values are keyed by a version token kept in the cache itself (no module-level state). Any write
to CalendarDay or OfficeHours (services, admin, shell: see signals.py) replaces the token twice:

* at once with a *dirty* token, under which nothing is cached: readers inside the writing
  transaction see its uncommitted rows and must not publish them (the transaction may roll back,
  as every test does);
* after commit with a clean token, so readers rebuild from the committed rows.

A dirty token left by a rolled-back transaction expires after DIRTY_SECONDS. Tokens are random, not
counters, so a cache that lost the token can never fall back to an old version.
"""

import time
import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "eiso:calendars:version"
TIMEOUT = 6 * 3600  # upper bound on staleness for per-process caches (locmem in development)
DIRTY_PREFIX = "dirty:"
DIRTY_SECONDS = 60


def _clean_token() -> str:
    return uuid.uuid4().hex


def _is_dirty(version: str) -> bool:
    return version.startswith(DIRTY_PREFIX)


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _clean_token(), timeout=None)
        version = cache.get(VERSION_KEY) or f"{DIRTY_PREFIX}{time.time():.0f}:uncached"
    elif _is_dirty(version) and time.time() - float(version.split(":")[1]) > DIRTY_SECONDS:
        version = _clean_token()
        cache.set(VERSION_KEY, version, timeout=None)
    return version


def _publish() -> None:
    cache.set(VERSION_KEY, _clean_token(), timeout=None)


def calendar_changed() -> None:
    """Call after writing calendar rows (signals.py does it for every save and delete)."""
    cache.set(VERSION_KEY, f"{DIRTY_PREFIX}{time.time():.0f}:{uuid.uuid4().hex}", timeout=None)
    transaction.on_commit(_publish, robust=True)


def cached(name: str, build):
    """The value cached under `name` for the current version, built by `build()` when missing."""
    version = current_version()
    if _is_dirty(version):
        return build()
    key = f"eiso:calendars:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TIMEOUT)
    return value
