"""Importing dossiers exported by a provincial one-stop system (Hệ thống thông tin giải quyết TTHC cấp tỉnh)
as `Dossier` rows of one agency with `source=imported`. Columns and Vietnamese value mapping: docs/dossier-import.md.

    read_csv(file) -> Iterator[dict]      (import_files.py; UTF-8, with or without BOM; "," ";" or tab)
    read_json(file) -> Iterator[dict]     (import_files.py; a JSON array of objects)
    dossiers_import(*, agency, rows, actor=None, source="", batch_size=1000, progress=None) -> ImportReport

Each row read from a file carries its line in the file under "_line" (a row given without it is numbered by its
position, 1 for the first).

Rules:

* Identity: the code within the agency. A known code is updated when something differs and reported unchanged
  otherwise, so importing the same file twice changes nothing. A code of a dossier received in eISO (source
  native) is refused, never overwritten. A code repeated in a file: the later row updates what the earlier made.
* A bad row (missing required value, unknown procedure, unreadable or impossible date, unknown status or channel,
  a status that needs `finished` without it, a value too long) is rejected with its line, code and reason, and
  skipped; every other row goes in.
* Rows are written in batches, each in its own transaction: one query finds the batch's stored dossiers (with
  their clock stops, and their steps when the rows bring steps), then bulk inserts and updates, and one
  `tallies_add` with the sum of the batch's differences. Procedures, cases, processes and units are cached for the
  run; the working calendar and the agency's office hours are read once. If writing a batch fails in the
  database, its rows are written one by one, so only the rows that cannot be saved are lost (and reported).
* Statistics: every created or changed dossier adds `difference(before, after)` of its contribution to the
  `DossierTally` rows, computed by `eiso.dossiers.tallies.contribution` with the working hours used measured on
  the calendar and stops already in hand (no query per row).
* One audit entry per run, on the agency, with the counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.calendars.services import office_schedule_for, working_calendar
from eiso.catalog.choices import Channel, DurationUnit
from eiso.core.audit import audit_record
from eiso.core.errors import ApplicationError
from eiso.core.models import AuditAction
from eiso.core.text import fold
from eiso.dossiers.choices import FINISHED, OPEN_STATUSES, DossierStatus, Source
from eiso.dossiers.clock import classify
from eiso.dossiers.import_files import (  # read_csv, read_json, ImportReport: re-exported, the importer's interface
    CHANNEL_WORDS,
    COLUMNS,
    LINE_KEY,
    MAX_LENGTHS,
    REQUIRED,
    STATUS_WORDS,
    STEP_MAX_RESPONSIBLE,
    ImportReport,
    Rejection,
    RowError,
    cell_text,
    column_name,
    parse_moment,
    read_csv,  # noqa: F401
    read_json,  # noqa: F401
    word_key,
    word_table,
)
from eiso.dossiers.models import Dossier, DossierPause, DossierStep, dossier_search_text
from eiso.dossiers.services import _require, process_for
from eiso.dossiers.tallies import contribution, measured_hours, tallies_add

BATCH_SIZE = 1000

# The Dossier fields an import sets (compared with the stored values to tell an update from "unchanged").
FIELDS = ("procedure_id", "case_id", "process_id", "status", "channel", "applicant_name", "applicant_id_number",
          "applicant_phone", "submitted_at", "received_at", "counted_from", "duration", "duration_unit", "due_at",
          "appointment_at", "finished_at", "outcome", "returned_at")
KNOWN_UNITS = (DurationUnit.WORKING_DAY, DurationUnit.HOUR, DurationUnit.DAY, DurationUnit.MONTH)


# --- Importing ------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    code: str
    values: dict
    steps: list | None  # None: the row says nothing about steps (they are kept)


@dataclass
class _Batch:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)


class _Importer:
    def __init__(self, agency):
        self.agency = agency
        self.procedures: dict = {}  # code -> [Procedure with ._cases {code: case}], in catalogue order
        self.processes: dict = {}  # (procedure_id, case_id) -> process id or None
        self.units: dict | None = None  # folded name -> OrgUnit id of the agency
        self.calendar = working_calendar()
        self.schedule = office_schedule_for(agency=agency)
        self.statuses = word_table(STATUS_WORDS, DossierStatus)
        self.channels = word_table(CHANNEL_WORDS, Channel)
        self.seen_words: dict = {}  # text as written -> folded key

    # caches ---------------------------------------------------------------------------------------------------

    def load_procedures(self, codes: set) -> None:
        from eiso.catalog.models import Procedure, current_first

        missing = codes - set(self.procedures)
        if not missing:
            return
        found = defaultdict(list)
        for procedure in Procedure.objects.filter(code__in=missing).order_by("code", *current_first()) \
                .prefetch_related("cases"):
            procedure._cases = {case.code: case for case in procedure.cases.all()}
            found[procedure.code].append(procedure)
        for code in missing:
            self.procedures[code] = found.get(code, [])

    def process_id(self, procedure, case):
        key = (procedure.pk, case.pk if case is not None else None)
        if key not in self.processes:
            process = process_for(agency=self.agency, procedure=procedure, case=case)
            self.processes[key] = process.pk if process is not None else None
        return self.processes[key]

    def unit_id(self, name: str):
        if self.units is None:
            from eiso.organizations.models import OrgUnit

            self.units = {fold(n): pk for pk, n in OrgUnit.objects.filter(agency=self.agency).values_list("pk", "name")}
        return self.units.get(fold(name))

    # parsing --------------------------------------------------------------------------------------------------

    def parse(self, line: int, row) -> _Row:
        """The values of a dossier from one row; RowError with the reason when the row is not usable."""
        if not isinstance(row, dict):
            raise RowError(_("The record is not an object with the dossier's columns."))
        get = {column_name(key): value for key, value in row.items() if key != LINE_KEY}
        text = {name: cell_text(get.get(name)) for name in COLUMNS if name != "steps"}
        missing = [name for name in REQUIRED if not text[name]]
        if missing:
            raise RowError(_("Missing required values: %(columns)s.") % {"columns": ", ".join(missing)})
        for name, limit in MAX_LENGTHS.items():
            if len(text[name]) > limit:
                raise RowError(_("%(column)s is longer than %(limit)d characters.") % {"column": name, "limit": limit})
        procedure, case = self.procedure_case(text["procedure_code"], text["case_code"])
        moments = {}
        for name in ("received", "due", "finished", "returned"):
            if text[name]:
                moments[name] = self.moment(name, text[name])
        received, due = moments["received"], moments["due"]
        finished, returned = moments.get("finished"), moments.get("returned")
        status = self.status(text["status"], finished, returned)
        channel = self.channel(text["channel"])
        if due < received:
            raise RowError(_("due is before received."))
        if finished is not None and finished < received:
            raise RowError(_("finished is before received."))
        if returned is not None and returned < received:
            raise RowError(_("returned is before received."))
        if status in OPEN_STATUSES and (finished or returned):
            raise RowError(_("Status %(status)s is an open dossier: it cannot have finished or returned.")
                           % {"status": status})
        if status not in OPEN_STATUSES and finished is None:
            raise RowError(_("Status %(status)s needs finished (when the result was ready or the dossier ended).")
                           % {"status": status})
        if returned is not None and returned < finished:
            raise RowError(_("returned is before finished."))
        duration, unit = None, ""
        if case is not None and case.duration and case.duration_unit in KNOWN_UNITS:
            duration, unit = Decimal(case.duration), case.duration_unit
        values = {
            "procedure_id": procedure.pk, "case_id": case.pk if case is not None else None,
            "process_id": self.process_id(procedure, case), "status": status, "channel": channel,
            "applicant_name": text["applicant_name"], "applicant_id_number": text["applicant_id_number"],
            "applicant_phone": text["applicant_phone"], "submitted_at": received, "received_at": received,
            "counted_from": received, "duration": duration, "duration_unit": unit, "due_at": due,
            "appointment_at": due, "finished_at": finished,
            "outcome": classify(finished, due) if status in FINISHED else "", "returned_at": returned,
        }
        steps = self.steps(get["steps"]) if get.get("steps") not in (None, "") else None
        return _Row(line, text["code"], values, steps)

    def procedure_case(self, code: str, case_code: str):
        procedures = self.procedures.get(code)
        if procedures is None:
            self.load_procedures({code})
            procedures = self.procedures[code]
        if not procedures:
            raise RowError(_("Unknown procedure code %(code)s: it is not in the catalogue.") % {"code": code})
        if case_code:
            for procedure in procedures:
                if case_code in procedure._cases:
                    return procedure, procedure._cases[case_code]
            return procedures[0], None
        cases = list(procedures[0]._cases.values())
        return procedures[0], cases[0] if len(cases) == 1 else None

    def moment(self, column: str, text: str) -> dt.datetime:
        try:
            return parse_moment(text, end_of_day=column == "due")
        except ValueError:
            raise RowError(_("%(column)s: “%(value)s” is not a date and time (write 25/11/2026 09:00 or "
                             "2026-11-25 09:00).") % {"column": column, "value": text[:40]}) from None

    def status(self, text: str, finished, returned) -> str:
        if not text:
            if returned is not None:
                return DossierStatus.RETURNED
            return DossierStatus.RESULT_READY if finished is not None else DossierStatus.IN_PROGRESS
        status = self.statuses.get(self.word(text))
        if status is None:
            raise RowError(_("Unknown status “%(value)s”.") % {"value": text[:60]})
        return status

    def channel(self, text: str) -> str:
        if not text:
            return Channel.DIRECT
        channel = self.channels.get(self.word(text))
        if channel is None:
            raise RowError(_("Unknown channel “%(value)s” (direct, postal or online).") % {"value": text[:60]})
        return channel

    def word(self, text: str) -> str:
        key = self.seen_words.get(text)
        if key is None:
            key = word_key(text)
            if len(self.seen_words) < 1000:
                self.seen_words[text] = key
        return key

    def steps(self, raw) -> list:
        if isinstance(raw, str):  # a JSON list in a CSV column
            try:
                raw = json.loads(raw)
            except ValueError:
                raise RowError(_("steps must be a list of objects.")) from None
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            raise RowError(_("steps must be a list of objects."))
        steps, orders = [], set()
        for index, item in enumerate(raw, start=1):
            get = {column_name(key): value for key, value in item.items()}
            order = get.get("order")
            try:
                order = index if order in (None, "") else int(order)
            except (TypeError, ValueError):
                order = 0
            if not 1 <= order <= 32767:
                raise RowError(_("Step %(index)d: order must be a whole number from 1.") % {"index": index})
            if order in orders:
                raise RowError(_("Two steps have order %(order)d.") % {"order": order})
            orders.add(order)
            action = cell_text(get.get("action"))
            if not action:
                raise RowError(_("Step %(index)d: action is missing.") % {"index": index})
            moments = {}
            for name in ("started", "due", "finished"):
                value = cell_text(get.get(name))
                if value:
                    try:
                        moments[name] = parse_moment(value, end_of_day=name == "due")
                    except ValueError:
                        raise RowError(_("Step %(index)d: %(column)s “%(value)s” is not a date and time.")
                                       % {"index": index, "column": name, "value": value[:40]}) from None
            started, due, finished = moments.get("started"), moments.get("due"), moments.get("finished")
            if started is not None and finished is not None and finished < started:
                raise RowError(_("Step %(index)d: finished is before started.") % {"index": index})
            unit_name, assignee = cell_text(get.get("unit")), cell_text(get.get("assignee_name"))
            unit_id = self.unit_id(unit_name) if unit_name else None
            responsible = " – ".join(part for part in (assignee, unit_name if unit_id is None else "") if part)
            if len(responsible) > STEP_MAX_RESPONSIBLE:
                raise RowError(_("Step %(index)d: assignee_name and unit are longer than %(limit)d characters.")
                               % {"index": index, "limit": STEP_MAX_RESPONSIBLE})
            steps.append({"order": order, "action": action, "responsible": responsible, "unit_id": unit_id,
                          "started_at": started, "due_at": due, "finished_at": finished,
                          "result": classify(finished, due) if finished is not None and due is not None else ""})
        return sorted(steps, key=lambda step: step["order"])

    # statistics -----------------------------------------------------------------------------------------------

    def contribution(self, dossier, pauses) -> dict:
        """tallies.contribution(dossier), the clock's stops given (no query)."""
        return contribution(dossier, hours_used=lambda d: self.used_hours(d, pauses))

    def used_hours(self, dossier, pauses) -> Decimal:
        """tallies.used_hours with the calendar and office hours read once for the run."""
        return measured_hours(self.calendar, self.schedule, dossier, [(p.started_at, p.ended_at) for p in pauses])

    # writing --------------------------------------------------------------------------------------------------

    def run(self, items: list, report: ImportReport) -> None:
        """Import one batch of (line, row); if the database refuses it, each row on its own (a row the database
        refuses is rejected; any other database error, such as a lost connection, ends the run)."""
        if not items:
            return
        try:
            result = self.write(items)
        except DatabaseError:
            result = _Batch()
            for line, row in items:
                try:
                    one = self.write([(line, row)])
                except (IntegrityError, DataError) as exc:
                    code = cell_text(row.get("code"))[:60] if isinstance(row, dict) else ""
                    result.rejected.append(Rejection(line, code, _("Could not be saved: %(error)s")
                                                     % {"error": str(exc).strip()[:300]}))
                    continue
                result.created += one.created
                result.updated += one.updated
                result.unchanged += one.unchanged
                result.rejected += one.rejected
        report.created += result.created
        report.updated += result.updated
        report.unchanged += result.unchanged
        report.rejected += sorted(result.rejected, key=lambda r: r.line)

    def write(self, items: list) -> _Batch:
        result = _Batch()
        rows: list[_Row] = []
        self.load_procedures({cell_text(row.get("procedure_code")) for _line, row in items if isinstance(row, dict)})
        for line, row in items:
            try:
                rows.append(self.parse(line, row))
            except RowError as exc:
                code = cell_text(row.get("code"))[:60] if isinstance(row, dict) else ""
                result.rejected.append(Rejection(line, code, exc.reason))
        if not rows:
            return result
        with_steps = any(row.steps is not None for row in rows)
        with transaction.atomic():
            # `code != ""` lets the database use the unique (agency, code) index (partial: codes are not blank);
            # ordered by code, so that two imports lock their common rows in the same order.
            stored = Dossier.objects.select_for_update().filter(agency=self.agency, code__in={r.code for r in rows}) \
                .exclude(code="").order_by("code")
            dossiers = {dossier.code: dossier for dossier in stored}
            pauses: dict = defaultdict(list)
            steps: dict = defaultdict(list)
            if dossiers:
                pks = [dossier.pk for dossier in dossiers.values()]
                for pause in DossierPause.objects.filter(dossier_id__in=pks):
                    pauses[pause.dossier_id].append(pause)
                if with_steps:
                    for step in DossierStep.objects.filter(dossier_id__in=pks):
                        steps[step.dossier_id].append(step)
            new: dict = {}  # pk -> Dossier created in this batch
            changed: dict = {}  # pk -> stored Dossier updated in this batch
            changed_fields: set = set()
            new_steps: dict = {}  # pk -> [step values] replacing the dossier's steps
            totals: dict = defaultdict(lambda: defaultdict(Decimal))

            def add(rows_: dict, sign: int) -> None:
                for key, counters in rows_.items():
                    for counter, amount in counters.items():
                        totals[key][counter] += sign * amount

            for row in rows:
                dossier = dossiers.get(row.code)
                if dossier is None:
                    dossier = Dossier(agency=self.agency, code=row.code, source=Source.IMPORTED, **row.values)
                    dossier.search_text = dossier_search_text(dossier)
                    dossiers[row.code], new[dossier.pk], pauses[dossier.pk] = dossier, dossier, []
                    add(self.contribution(dossier, []), 1)
                    if row.steps:
                        new_steps[dossier.pk] = row.steps
                    result.created += 1
                    continue
                if dossier.source != Source.IMPORTED:
                    reason = _("Dossier %(code)s was received in eISO: an import does not overwrite it.")
                    result.rejected.append(Rejection(row.line, row.code, reason % {"code": row.code}))
                    continue
                dirty = [name for name in FIELDS if getattr(dossier, name) != row.values[name]]
                current_steps = new_steps.get(dossier.pk, steps.get(dossier.pk, []))
                steps_differ = row.steps is not None and _step_tuples(current_steps) != _step_tuples(row.steps)
                if not dirty and not steps_differ:
                    result.unchanged += 1
                    continue
                if dirty:
                    add(self.contribution(dossier, pauses[dossier.pk]), -1)
                    for name in dirty:
                        setattr(dossier, name, row.values[name])
                    add(self.contribution(dossier, pauses[dossier.pk]), 1)
                    if dossier.pk not in new:
                        changed[dossier.pk] = dossier
                        changed_fields.update(dirty)
                if steps_differ:
                    new_steps[dossier.pk] = row.steps
                    if dossier.pk not in new:
                        changed[dossier.pk] = dossier
                result.updated += 1

            if new:
                Dossier.objects.bulk_create(list(new.values()))
            if changed:
                now = timezone.now()
                for dossier in changed.values():
                    dossier.updated_at, dossier.search_text = now, dossier_search_text(dossier)
                names = [name.removesuffix("_id") for name in FIELDS if name in changed_fields]
                Dossier.objects.bulk_update(list(changed.values()), [*names, "search_text", "updated_at"])
            replaced = [pk for pk in new_steps if pk not in new]
            if replaced:
                DossierStep.objects.filter(dossier_id__in=replaced).delete()
            if new_steps:
                DossierStep.objects.bulk_create([
                    DossierStep(agency_id=self.agency.pk, dossier_id=pk, **values)
                    for pk, values_list in new_steps.items() for values in values_list
                ])
            tallies_add(agency=self.agency, changes={
                key: {c: a for c, a in counters.items() if a} for key, counters in totals.items()
                if any(counters.values())})
        return result


def _step_tuples(steps) -> list:
    def get(step, name):
        return step[name] if isinstance(step, dict) else getattr(step, name)

    names = ("order", "action", "responsible", "unit_id", "started_at", "due_at", "finished_at", "result")
    return sorted(tuple(get(step, name) for name in names) for step in steps)


def dossiers_import(*, agency, rows: Iterable[dict], actor=None, source: str = "", batch_size: int = BATCH_SIZE,
                    progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import dossier records (dicts with the columns of docs/dossier-import.md) into `agency`'s dossiers with
    source "imported". `actor` (None for a system job) must be allowed to handle the agency's dossiers. `source`
    (a file name) goes into the audit entry; `progress(rows_done)` is called after each batch. An ApplicationError
    raised by the reader (a file that cannot be read further) ends the run after the batches already written."""
    if actor is not None:
        _require(actor, agency.pk)
    importer = _Importer(agency)
    report = ImportReport()
    batch: list = []
    done = 0
    try:
        for index, row in enumerate(rows, start=1):
            line = row.get(LINE_KEY) if isinstance(row, dict) else None
            batch.append((line or index, row))
            if len(batch) >= batch_size:
                importer.run(batch, report)
                done += len(batch)
                batch = []
                if progress is not None:
                    progress(done)
        importer.run(batch, report)
        if batch and progress is not None:
            progress(done + len(batch))
    except ApplicationError:
        importer.run(batch, report)
        _audit(actor, agency, report, source, interrupted=True)
        raise
    _audit(actor, agency, report, source)
    return report


def _audit(actor, agency, report: ImportReport, source: str, *, interrupted: bool = False) -> None:
    if interrupted and not report.total:
        return
    after = {f"dossiers_{name}": value for name, value in report.counts().items()}
    if source:
        after["source"] = source
    note = "import_dossiers" + (" (interrupted)" if interrupted else "")
    audit_record(actor=actor, instance=agency, action=AuditAction.UPDATE, before={}, after=after, note=note)
