"""Matrix rows: inspections by the supervising authority (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

INSPECTIONS: list[Entry] = []
