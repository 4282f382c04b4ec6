"""Matrix rows: feedback (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

FEEDBACK: list[Entry] = []
