"""Matrix rows: compliance (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

COMPLIANCE: list[Entry] = []
