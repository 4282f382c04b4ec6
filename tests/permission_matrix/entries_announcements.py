"""Matrix rows: conformity announcements (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

ANNOUNCEMENTS: list[Entry] = []
