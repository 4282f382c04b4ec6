"""Matrix rows: audits (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

AUDITS: list[Entry] = []
