"""Streaming importer of the national catalogue of administrative procedures (CSDLQG về TTHC).

Input: `.jsonl` / `.jsonl.gz` files (one record a line), `.json` files (one record, several records one
after the other, or an array of records, read incrementally), or folders holding such files. Two shapes
of record are recognised:

* a **catalogue line** (top-level `code`, `name`, `categories`, `departments`, `departmentPromulgate`,
  `formalityTargetType`, `state`, `type`);
* a **detail record**, as the portal's detail endpoint returns it (`{"code": "OK", "data": {...}}`) or
  the bare `data` object.

Memory does not grow with the size of a file. Each file is read twice, one record at a time: a first
pass counts the records (for the progress bar) and finds the codes that occur more than once (a Bloom
filter of fixed size, 1 MiB, plus the few repeated keys); the second pass imports, in chunks of
`CHUNK_SIZE` records (one query fetches the chunk's existing procedures, one their cases). What is kept
for the whole run is bounded: the repeated keys of a file, the fields (lĩnh vực, a few hundred) and at
most `REPORT_LIMIT` report entries.

Rules:

* One savepoint per written record: a record that cannot be saved is reported and the others are
  kept. Records are committed in groups of `COMMIT_EVERY`, after which the ImportRun row shows the
  progress. The group's new procedures are inserted in bulk (with their cases); if that fails they are
  inserted one by one, each in its savepoint, so only the bad ones are lost (and reported).
* Identity: a record belongs to the procedure with its id (`id`, `source_id` here; a catalogue line and
  the detail record of one procedure share it), else to the procedure with its code. Two records with
  the same code and different ids are two procedures: both are kept, the later one reported as a
  `code_conflict` (the portal serves one such pair, " 1.014325" and "1.014325").
* A record repeated in one file (same shape, code and id): the last one wins, the earlier ones are
  skipped with a warning naming the line of the later one. A catalogue line and a detail record of the
  same procedure are not duplicates: they are merged (rules below).
* "Lose nothing": every record with a code is imported with what is usable; what is not usable is in
  the report (`{file, line, code, level, kind, message}`, level `warning` or `error`).
* A detail record is authoritative for everything it carries, but a blank name, field, promulgating
  body, executing bodies or applicant list never wipes a stored value (a catalogue line may have
  provided it). A catalogue line over a procedure that already has its detail only updates the name,
  state and type, and fills the blanks of the fields both shapes carry; it never touches the level
  flags, cases, channels, legal bases or dossier components. So importing the catalogue and the
  details in either order gives the same data.
* Level flags of a catalogue line (which has none) are inferred from its executing bodies
  (`departments`), see `infer_levels`: commune level when a body mentions "cấp xã", "xã" (not "xã hội",
  not "thị xã"), "phường" or "đặc khu"; province level when a body starts with "Sở", or mentions
  "UBND / Ủy ban nhân dân / HĐND (cấp) tỉnh | thành phố", "cấp tỉnh", "thành phố" (not "thành phố thuộc
  tỉnh") or ends with "tỉnh"; ministry level when it starts with "Bộ" (not "Bộ chỉ huy", "Bộ tư lệnh",
  "Bộ đội"), "Cục" or "Tổng cục". A detail record's own flags (isWard, isProvince, ...) replace them.
* Re-import: mapped values are compared with stored ones; each changed value appends a
  `ProcedureChange` (significant for legal bases and case durations and units). Values coming from the
  other shape (a detail enriching a catalogue-only procedure, a catalogue line filling a blank) are not
  changes, except the identity fields both shapes share (name, field, promulgating body, state, type)
  when a value was already stored. Cases are compared per case code.
"""

from eiso.catalog.importer.constants import UNITS
from eiso.catalog.importer.mapping import infer_levels, map_payload
from eiso.catalog.importer.reading import _read_json, expand_paths, read_file, scan_file
from eiso.catalog.importer.writing import CatalogImporter

__all__ = [
    "UNITS", "CatalogImporter", "_read_json", "expand_paths", "infer_levels", "map_payload", "read_file",
    "scan_file",
]
