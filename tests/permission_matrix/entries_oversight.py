"""Matrix rows: provincial oversight: rollout plans, qms stages, dashboards (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

OVERSIGHT: list[Entry] = []
