"""Matrix rows: risks (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

RISKS: list[Entry] = []
