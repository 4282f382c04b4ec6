"""Matrix rows: trainings and consultants (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

TRAININGS: list[Entry] = []
