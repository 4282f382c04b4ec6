"""Matrix rows: periodic reports to the supervising authority (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

REPORTING: list[Entry] = []
