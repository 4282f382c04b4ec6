"""Writing mapped records: compare, save, record changes, report."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from eiso.catalog.choices import ImportStatus
from eiso.catalog.importer.constants import (
    CHUNK_SIZE,
    COMMIT_EVERY,
    ERROR,
    IDENTITY_FIELDS,
    LEVEL_FLAGS,
    META_FIELDS,
    NEVER_BLANK,
    READ_ERRORS,
    REPORT_LIMIT,
    SHARED_FIELDS,
    SIGNIFICANT,
    WARNING,
    RecordError,
)
from eiso.catalog.importer.mapping import (
    MappedRecord,
    _blank,
    _case_summary,
    _plain,
    _same,
    map_payload,
)
from eiso.catalog.importer.reading import (
    SourceItem,
    expand_paths,
    key_code,
    read_file,
    record_key,
    scan_file,
)
from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase, ProcedureChange
from eiso.core.text import fold

logger = logging.getLogger(__name__)


class ProcedureIndex:
    """The stored procedures a chunk of records may touch, found the way the national database identifies
    a procedure: by its id (`source_id`, shared by a catalogue line and the detail record), else by code (a
    record without an id, or a procedure stored without one). A record whose code belongs to a procedure
    with another id is another procedure: `find` returns it as the conflict, and the record is created."""

    def __init__(self, procedures: Iterable[Procedure] = ()):
        self.by_id: dict = {}
        self.by_code: dict = defaultdict(list)
        self.by_pk: dict = {}
        for procedure in procedures:
            self.add(procedure)

    @classmethod
    def load(cls, records: Iterable[MappedRecord]) -> ProcedureIndex:
        codes, ids = set(), set()
        for record in records:
            codes.add(record.code)
            if record.source_id:
                ids.add(record.source_id)
        return cls(Procedure.objects.filter(Q(code__in=codes) | Q(source_id__in=ids)).select_related("field"))

    def add(self, procedure: Procedure) -> None:
        self.discard(procedure.pk)
        self.by_pk[procedure.pk] = procedure
        if procedure.source_id:
            self.by_id[procedure.source_id] = procedure
        self.by_code[procedure.code].append(procedure)

    def discard(self, pk) -> None:
        old = self.by_pk.pop(pk, None)
        if old is None:
            return
        if self.by_id.get(old.source_id) is old:
            del self.by_id[old.source_id]
        self.by_code[old.code] = [p for p in self.by_code[old.code] if p is not old]

    def find(self, record: MappedRecord) -> tuple[Procedure | None, Procedure | None]:
        """(the stored procedure of this record or None, the procedure of another id holding its code)."""
        if record.source_id and record.source_id in self.by_id:
            return self.by_id[record.source_id], None
        same_code = self.by_code.get(record.code, [])
        for procedure in same_code:
            if not record.source_id or not procedure.source_id:
                return procedure, None
        return None, (same_code[0] if same_code else None)


class CatalogImporter:
    """Imports files into the catalogue, keeping counts and the report on `run`."""

    def __init__(self, run: ImportRun, progress: Callable[[int, int | None], None] | None = None):
        self.run = run
        self.progress = progress
        self.counts = {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "failed": 0, "warnings": 0}
        self.report: list[dict] = []
        self.dropped = 0
        self._flushed_report = 0
        self.fields = {f.name: f for f in Field.objects.all()}
        self._pending: list = []  # new procedures of the current group: (item, record, values)
        self._pending_codes: set = set()

    # report -------------------------------------------------------------------------------------------

    def problem(self, *, file: str, line, code: str, level: str, kind: str, message: str) -> None:
        if level == WARNING:
            self.counts["warnings"] += 1
        if len(self.report) >= REPORT_LIMIT:
            self.dropped += 1
            return
        self.report.append({"file": file, "line": line, "code": code, "level": level, "kind": kind,
                            "message": message})

    def _fail(self, item: SourceItem, code: str, kind: str, message: str) -> None:
        self.counts["failed"] += 1
        self.problem(file=item.file, line=item.line, code=code, level=ERROR, kind=kind, message=message)

    def _final_report(self) -> list[dict]:
        if not self.dropped:
            return self.report
        return self.report + [{"file": "", "line": None, "code": "", "level": WARNING, "kind": "report_truncated",
                               "message": f"{self.dropped} more problems are not listed"}]

    def flush(self) -> None:
        """Write the counts (and the report when it grew) to the ImportRun row; call `progress`."""
        values = dict(self.counts)
        if len(self.report) != self._flushed_report or self.dropped:
            values["report"] = self._final_report()
            self._flushed_report = len(self.report)
        ImportRun.objects.filter(pk=self.run.pk).update(**values)
        for name, value in values.items():
            setattr(self.run, name, value)
        if self.progress is not None:
            self.progress(self.counts["total"], self.run.expected)

    # run ----------------------------------------------------------------------------------------------

    def import_paths(self, paths: Iterable) -> ImportRun:
        files = expand_paths(paths)
        if not files:
            self.problem(file="", line=None, code="", level=ERROR, kind="no_files", message="no file to import")
        scans = [scan_file(path) for path in files]
        counts = [scan.count for scan in scans]
        self.run.expected = None if None in counts else sum(counts)
        ImportRun.objects.filter(pk=self.run.pk).update(expected=self.run.expected)
        batch: list[SourceItem] = []
        for scan in scans:
            if scan.count == 0:
                self.problem(file=scan.path.name, line=None, code="", level=ERROR, kind="no_records",
                             message="no record in this file")
                continue
            ordinal = -1
            try:
                for ordinal, item in enumerate(read_file(scan.path)):
                    if scan.last and not item.error:
                        key = record_key(item.payload)
                        last = scan.last.get(key)
                        if last is not None and last[0] != ordinal:
                            item.payload, item.replaced_by, item.code = None, last[1], key_code(key)
                    batch.append(item)
                    if len(batch) >= CHUNK_SIZE:
                        self.process_chunk(batch)
                        batch = []
            except READ_ERRORS as exc:
                self.process_chunk(batch)
                batch = []
                where = "to the end" if ordinal >= 0 else "at all"
                self.problem(file=scan.path.name, line=None, code="", level=ERROR, kind="unreadable_file",
                             message=f"the file could not be read {where}: {exc}")
        self.process_chunk(batch)
        return self.finish()

    def finish(self) -> ImportRun:
        imported = self.counts["created"] + self.counts["updated"] + self.counts["unchanged"]
        self.run.status = ImportStatus.DONE if imported else ImportStatus.FAILED
        self.run.finished_at = timezone.now()
        for name, value in self.counts.items():
            setattr(self.run, name, value)
        self.run.report = self._final_report()
        self.run.save(update_fields=["status", "finished_at", "report", *self.counts])
        if self.progress is not None:
            self.progress(self.counts["total"], self.run.expected)
        return self.run

    def process_chunk(self, items: list[SourceItem]) -> None:
        if not items:
            return
        mapped: list[tuple[SourceItem, MappedRecord | RecordError | None]] = []
        for item in items:
            if item.replaced_by is not None:
                mapped.append((item, None))
                continue
            if item.error:
                mapped.append((item, RecordError(item.kind, item.error)))
                continue
            try:
                mapped.append((item, map_payload(item.payload)))
            except RecordError as exc:
                mapped.append((item, exc))
            item.payload = None  # the mapped values are all that is needed from here on
        records = [record for _, record in mapped if isinstance(record, MappedRecord)]
        existing = ProcedureIndex.load(records)
        detail_ids = {found.pk for found in (existing.find(r)[0] for r in records if r.is_detail) if found}
        cases: dict = defaultdict(dict)
        for case in ProcedureCase.objects.filter(procedure_id__in=detail_ids):
            cases[case.procedure_id][case.code] = case
        for start in range(0, len(mapped), COMMIT_EVERY):
            with transaction.atomic():
                for item, record in mapped[start:start + COMMIT_EVERY]:
                    self.counts["total"] += 1
                    if record is None:
                        self.problem(file=item.file, line=item.line, code=item.code, level=WARNING,
                                     kind="duplicate_code", message=f"the same code (and id) is on line "
                                     f"{item.replaced_by} of this file: this record is skipped, the later one wins")
                    elif isinstance(record, RecordError):
                        self._fail(item, record.code, record.kind, record.message)
                    else:
                        self.apply(item, record, existing, cases)
                self.create_pending(existing, cases)
            self.flush()

    def apply(self, item: SourceItem, record: MappedRecord, existing: ProcedureIndex, cases: dict) -> None:
        for level, kind, message in record.problems:
            self.problem(file=item.file, line=item.line, code=record.code, level=level, kind=kind, message=message)
        if record.code in self._pending_codes:  # created by an earlier record of this group (other shape)
            self.create_pending(existing, cases)
        values = dict(record.values, field=self._field(record.field_name, record.field_code))
        procedure, other = existing.find(record)
        if procedure is None:
            if other is not None:
                self.problem(file=item.file, line=item.line, code=record.code, level=WARNING, kind="code_conflict",
                             message=f"procedure {other.code} (id {other.source_id}) has the same code but another "
                             f"id ({record.source_id}): both are kept as separate procedures; ask the national "
                             f"database which code is right")
            self._pending.append((item, record, values))
            self._pending_codes.add(record.code)
            return
        plan = self.plan_update(record, values, procedure, cases[procedure.pk])
        if plan is None:
            self.counts["unchanged"] += 1
            return
        try:
            with transaction.atomic():
                self.write_update(procedure, plan, cases[procedure.pk])
        except Exception as exc:  # noqa: BLE001 — one bad record must never stop the others
            self._save_failed(item, record, exc, existing, cases)
            return
        existing.add(procedure)  # its source id may have been filled
        self.counts["updated"] += 1

    def _save_failed(self, item, record, exc, existing, cases) -> None:
        logger.warning("catalogue import: %s line %s (%s) not saved: %s", item.file, item.line, record.code, exc)
        self._fail(item, record.code, "save_failed", f"could not be saved: {exc}")
        stale, _ = existing.find(record)
        stored = Procedure.objects.filter(pk=stale.pk).select_related("field").first() if stale else None
        if stale is not None:
            existing.discard(stale.pk)
        if stored is not None:  # the objects in memory may hold the values that were not saved
            existing.add(stored)
            cases[stored.pk] = {c.code: c for c in stored.cases.all()}

    def _field(self, name: str, code: str):
        """The field named `name`, created when new (in its own savepoint: it stays even if the record fails)."""
        if not name:
            return None
        found = self.fields.get(name)
        if found is None:
            with transaction.atomic():
                found, _ = Field.objects.get_or_create(name=name, defaults={"code": code})
            self.fields[name] = found
        if code and not found.code:
            found.code = code
            with transaction.atomic():
                Field.objects.filter(pk=found.pk, code="").update(code=code)
        return found

    # creating ---------------------------------------------------------------------------------------------

    def create_pending(self, existing: ProcedureIndex, cases: dict) -> None:
        """Insert the new procedures of the group (and their cases) in bulk; if that fails, one by one, so
        that only the records that cannot be saved are lost and reported."""
        pending, self._pending, self._pending_codes = self._pending, [], set()
        if not pending:
            return
        procedures = [self._new_procedure(record, values) for _, record, values in pending]
        try:
            with transaction.atomic():
                Procedure.objects.bulk_create(procedures)
                created_cases = ProcedureCase.objects.bulk_create([
                    ProcedureCase(procedure=procedure, **case)
                    for procedure, (_, record, _) in zip(procedures, pending, strict=True)
                    for case in record.cases or ()
                ])
        except Exception:  # noqa: BLE001 — retried record by record below
            for item, record, values in pending:
                procedure = self._new_procedure(record, values)
                try:
                    with transaction.atomic():
                        procedure.save()
                        created_cases = ProcedureCase.objects.bulk_create(
                            [ProcedureCase(procedure=procedure, **case) for case in record.cases or ()])
                except Exception as exc:  # noqa: BLE001 — one bad record must never stop the others
                    self._save_failed(item, record, exc, existing, cases)
                    continue
                self._created(procedure, created_cases, existing, cases)
            return
        by_procedure = defaultdict(list)
        for case in created_cases:
            by_procedure[case.procedure_id].append(case)
        for procedure in procedures:
            self._created(procedure, by_procedure[procedure.pk], existing, cases)

    @staticmethod
    def _new_procedure(record: MappedRecord, values: dict) -> Procedure:
        procedure = Procedure(code=record.code, **values)
        procedure.search_text = fold(f"{procedure.code} {procedure.name}")  # what Procedure.save() computes
        procedure.imported_at = timezone.now()
        return procedure

    def _created(self, procedure, created_cases, existing: ProcedureIndex, cases) -> None:
        existing.add(procedure)
        cases[procedure.pk] = {case.code: case for case in created_cases}
        self.counts["created"] += 1

    # updating ---------------------------------------------------------------------------------------------

    def plan_update(self, record: MappedRecord, values: dict, procedure: Procedure, stored_cases: dict):
        """What a record changes in a stored procedure, without touching it: (updates, changes, case
        operations), or None when nothing changes."""
        had_detail = procedure.has_detail
        same_source = record.is_detail == had_detail
        updates: dict = {}
        changes: list[ProcedureChange] = []
        for name, new in values.items():
            old = getattr(procedure, name)
            if _same(name, old, new):
                continue
            if _blank(new) and (name in NEVER_BLANK or (record.is_detail and name in SHARED_FIELDS)):
                continue  # a blank never wipes what the other shape brought
            if not record.is_detail and had_detail and (
                name in LEVEL_FLAGS or (name in SHARED_FIELDS and not _blank(old))
            ):
                continue  # a catalogue line only fills the blanks a detail left
            updates[name] = new
            if name not in META_FIELDS and (same_source or (name in IDENTITY_FIELDS and not _blank(old))):
                changes.append(ProcedureChange(procedure=procedure, field_name=name, before=_plain(old),
                                               after=_plain(new), is_significant=name in SIGNIFICANT))
        case_plan = None
        if record.cases is not None:
            case_plan = self.plan_cases(procedure, record.cases, stored_cases, changes, record_changes=had_detail)
        if not updates and case_plan is None:
            return None
        return updates, changes, case_plan

    @staticmethod
    def plan_cases(procedure: Procedure, new_cases: list, stored: dict, changes: list, *, record_changes: bool):
        """Case operations (create, update {case: {field: value}}, remove), compared per case code; None
        when the cases did not change."""
        def change(name, before, after, significant):
            if record_changes:
                changes.append(ProcedureChange(procedure=procedure, field_name=name[:60], before=before, after=after,
                                               is_significant=significant))

        to_create, to_update = [], []
        incoming = {case["code"] for case in new_cases}
        for case in new_cases:
            current = stored.get(case["code"])
            if current is None:
                to_create.append(case)
                change(f"case {case['code']}", None, _case_summary(case), True)
                continue
            dirty = {}
            for name in ("name", "duration", "duration_unit", "dossier_components"):
                old, new = getattr(current, name), case[name]
                if old != new:
                    dirty[name] = new
                    change(f"case {case['code']}: {name}", _plain(old), _plain(new),
                           name in ("duration", "duration_unit"))
            if dirty:
                to_update.append((current, dirty))
        removed = [case for code, case in stored.items() if code not in incoming]
        for case in removed:
            change(f"case {case.code}", _case_summary(vars(case)), None, True)
        if not (to_create or to_update or removed):
            return None
        return to_create, to_update, removed

    @staticmethod
    def write_update(procedure: Procedure, plan, stored_cases: dict) -> None:
        updates, changes, case_plan = plan
        if updates:
            for name, new in updates.items():
                setattr(procedure, name, new)
            procedure.save(update_fields=[*updates, "search_text", "imported_at"])
        if case_plan is not None:
            to_create, to_update, removed = case_plan
            if removed:
                ProcedureCase.objects.filter(pk__in=[c.pk for c in removed]).delete()
                for case in removed:
                    stored_cases.pop(case.code, None)
            for case in ProcedureCase.objects.bulk_create(
                [ProcedureCase(procedure=procedure, **data) for data in to_create]
            ):
                stored_cases[case.code] = case
            for case, dirty in to_update:
                for name, value in dirty.items():
                    setattr(case, name, value)
                case.save(update_fields=list(dirty))
        if changes:
            ProcedureChange.objects.bulk_create(changes)

