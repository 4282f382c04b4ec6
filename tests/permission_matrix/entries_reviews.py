"""Matrix rows: reviews (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

REVIEWS: list[Entry] = []
