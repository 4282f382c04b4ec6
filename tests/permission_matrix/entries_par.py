"""Matrix rows: administrative reform (par index) evidence (pages and API)."""

from __future__ import annotations

from tests.permission_matrix.harness import Entry

PAR: list[Entry] = []
