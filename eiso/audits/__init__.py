"""Internal audit (issue 6, point 3). For now: the ISO 9001 clause library used to build audit checklists
(see clause_library.py and the versioned data in clauses/)."""
