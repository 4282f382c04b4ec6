"""Seed the legal register from the catalogue: each legal basis of each procedure becomes (or finds) a
LegalDocument, linked to the procedure; a basis whose number cannot be read is reported, not guessed.
After a catalogue import, the procedures it changed in a way that matters (legal bases, deadlines) get
update tasks for every process implementing them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.catalog.models import Procedure, ProcedureChange
from eiso.legal.models import LegalDocument
from eiso.legal.parsing import LegalParseError, parse_legal_basis
from eiso.legal.services import legal_key, update_tasks_for_procedure_changes

LOCAL_MARKS = ("UBND", "HĐND")


@transaction.atomic
def legal_register_seed(procedures=None) -> dict:
    """Returns {procedures, bases, created, linked, unreadable: [{procedure, code, name, reason}]}."""
    queryset = Procedure.objects.exclude(legal_bases=[]) if procedures is None else procedures
    known = {d.key: d for d in LegalDocument.objects.all()}
    new: dict = {}
    pairs: set = set()
    result = {"procedures": 0, "bases": 0, "created": 0, "linked": 0, "unreadable": []}
    for procedure in queryset.only("pk", "code", "legal_bases", "promulgating_body").iterator(chunk_size=500):
        result["procedures"] += 1
        for basis in procedure.legal_bases or []:
            result["bases"] += 1
            code, name = basis.get("code") or "", basis.get("name") or ""
            try:
                ref = parse_legal_basis(code, name)
            except LegalParseError as exc:
                result["unreadable"].append({"procedure": procedure.code, "code": code, "name": name[:200],
                                             "reason": exc.reason})
                continue
            local = any(mark in ref.normalized_key for mark in LOCAL_MARKS)
            issuer = procedure.promulgating_body if local and procedure.promulgating_body else ref.issuer
            key = legal_key(ref.normalized_key, issuer if local else "")
            document = known.get(key) or new.get(key)
            if document is None:
                document = new[key] = LegalDocument(
                    doc_type=ref.doc_type, number=ref.number, key=key, title=ref.title, issuer=issuer or "",
                    issued_on=ref.issue_date)
            pairs.add((key, procedure.pk))
    for document in new.values():
        document.save()  # a few hundred: save() computes search_text
    result["created"] = len(new)
    by_key = {**known, **new}
    through = LegalDocument.procedures.through
    links = [through(legaldocument_id=by_key[key].pk, procedure_id=pk) for key, pk in pairs]
    before = through.objects.count()
    through.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)
    result["linked"] = through.objects.count() - before
    return result


def catalogue_import_followup(run) -> dict:
    """After an import: link the imported procedures' legal bases, and open update tasks for the
    processes of procedures whose legal bases or deadlines changed in this run."""
    if run.started_at is None:
        return {}
    imported = Procedure.objects.filter(imported_at__gte=run.started_at).exclude(legal_bases=[])
    seeded = legal_register_seed(imported)
    changes = ProcedureChange.objects.filter(changed_at__gte=run.started_at, is_significant=True)
    summaries: dict = {}
    for change in changes.select_related("procedure"):
        summaries.setdefault(change.procedure_id, []).append(change.field_name)
    procedures = list(Procedure.objects.filter(pk__in=summaries))
    tasks = update_tasks_for_procedure_changes(
        actor=None, procedures=procedures,
        summaries={pk: _("Changed in the national catalogue: %(fields)s") % {"fields": "; ".join(sorted(set(names)))}
                   for pk, names in summaries.items()},
    ) if procedures else []
    return {**seeded, "update_tasks": len(tasks)}
