"""The next number of a yearly (or other) series: decisions of an issuer, reports of a period, minutes of a plan.

Call inside the write's transaction. The owner row (the issuing agency, the plan…) is locked first so that two
writes of the same series wait for each other instead of taking the same number (PostgreSQL; SQLite serialises
writes anyway); a unique constraint on the series stays the last guard.
"""

from __future__ import annotations

from django.db import models


def next_number(series: models.QuerySet, *, field: str = "number", lock: models.Model | None = None) -> int:
    """1 + the highest `field` in `series` (1 for an empty series). `lock`: the row that owns the series."""
    if lock is not None:
        type(lock).objects.select_for_update().filter(pk=lock.pk).exists()
    highest = series.order_by().aggregate(highest=models.Max(field))["highest"]
    return (highest or 0) + 1
