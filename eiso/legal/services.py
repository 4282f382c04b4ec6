"""Writes of the legal register and of update tasks (the 3-month rule)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.dates import add_months
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import today
from eiso.core.text import fold
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import Document
from eiso.legal.choices import AFFECTING, CHAINED, RelationKind, UpdateTaskReason, UpdateTaskStatus
from eiso.legal.models import LegalDocument, LegalRelation, UpdateTask, can_record

UPDATE_MONTHS = 3  # Decision 19/2014 Art. 4: update the QMS within 3 months of a change in the law
LIVE_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED, RevisionStatus.PUBLISHED)


def legal_key(normalized_key: str, issuer: str = "") -> str:
    """One row per document: the parser's normalised number, with the issuer for local documents (one
    province's 28/2026/QĐ-UBND is not another province's)."""
    key = normalized_key
    if issuer and ("UBND" in key or "HĐND" in key):
        key = f"{key}@{fold(issuer)}"
    return key[:200]


def _check_chain(source: LegalDocument, target: LegalDocument, kind: str) -> None:
    """Refuse a relation that closes a cycle of replacements or amendments (A replaces B replaces A)."""
    if source.pk == target.pk:
        raise ApplicationError(_("A legal document cannot be related to itself."), code="relation_to_itself")
    if kind not in CHAINED:
        return
    seen, frontier = {target.pk}, [target.pk]
    while frontier:
        ids = list(LegalRelation.objects.filter(source_id__in=frontier, kind__in=CHAINED)
                   .values_list("target_id", flat=True))
        if source.pk in ids:
            raise ApplicationError(
                _("%(target)s already (directly or through others) %(kind)s %(source)s: this relation would make "
                  "a circle. Check the direction of the relation.")
                % {"target": target.number, "source": source.number, "kind": RelationKind(kind).label},
                code="relation_cycle",
            )
        frontier = [i for i in ids if i not in seen]
        seen.update(frontier)


@transaction.atomic
def legal_document_record(*, actor, number: str, doc_type: str = "", title: str = "", issuer: str = "",
                          issued_on: dt.date | None = None, effective_on: dt.date | None = None,
                          expires_on: dt.date | None = None, summary: str = "", url: str = "",
                          relations: list[tuple[str, LegalDocument]] = ()) -> LegalDocument:
    """Record a legal document with its relations; when it amends or replaces a legal basis of QMS
    documents, the update tasks are created (see update_tasks_create)."""
    from eiso.legal.parsing import LegalParseError, parse_reference

    if actor is not None and not can_record(actor):
        raise PermissionDeniedError(_("Only system administrators and supervising authorities record legal "
                                      "documents. Ask your Department of Science and Technology."))
    try:
        parsed = parse_reference(number)
    except LegalParseError as exc:
        raise ApplicationError(
            _("The number %(number)s cannot be read (%(reason)s). Write it as on the document, for example "
              "03/2023/TT-BTP.") % {"number": number, "reason": exc.reason},
            code="invalid_legal_number", errors={"number": [_("Write a number like 03/2023/TT-BTP.")]},
        ) from exc
    if effective_on and issued_on and effective_on < issued_on:
        raise ApplicationError(_("The effective date cannot be before the issue date."), code="invalid_dates",
                               errors={"effective_on": [_("Check this date.")]})
    issuer = issuer or parsed.issuer
    document = LegalDocument(
        doc_type=doc_type or parsed.doc_type, number=parsed.number, key=legal_key(parsed.normalized_key, issuer),
        title=title or parsed.title, issuer=issuer, issued_on=issued_on or parsed.issue_date,
        effective_on=effective_on, expires_on=expires_on, summary=summary, url=url,
    )
    if LegalDocument.objects.filter(key=document.key).exists():
        raise ApplicationError(_("%(number)s is already in the register.") % {"number": document.number},
                               code="duplicate_legal_document", errors={"number": [_("Already recorded.")]})
    document.full_clean(exclude=["key"])
    document.save()
    audit_record(actor=actor, instance=document, action=AuditAction.CREATE)
    for kind, target in relations:
        legal_relation_add(actor=actor, source=document, kind=kind, target=target, create_tasks=False)
    update_tasks_create(actor=actor, legal_document=document)
    return document


@transaction.atomic
def legal_relation_add(*, actor, source: LegalDocument, kind: str, target: LegalDocument,
                       create_tasks: bool = True) -> LegalRelation:
    if actor is not None and not can_record(actor):
        raise PermissionDeniedError(_("Only system administrators and supervising authorities record legal "
                                      "documents. Ask your Department of Science and Technology."))
    if kind not in RelationKind.values:
        raise ApplicationError(_("Unknown relation %(kind)s.") % {"kind": kind}, code="unknown_relation")
    LegalDocument.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).count()
    _check_chain(source, target, kind)
    try:
        with transaction.atomic():
            relation = LegalRelation.objects.create(source=source, kind=kind, target=target)
    except IntegrityError as exc:
        raise ApplicationError(_("This relation is already recorded."), code="duplicate_relation") from exc
    audit_record(actor=actor, instance=source, action=AuditAction.UPDATE,
                 note=f"{kind} {target.number}")
    if create_tasks:
        update_tasks_create(actor=actor, legal_document=source)
    return relation


def affected_documents(targets) -> list[Document]:
    """QMS documents resting on any of `targets`: linked directly, or processes of a procedure whose
    legal bases include it. Documents whose every revision is withdrawn or superseded are left out."""
    return list(
        Document.objects.filter(Q(legal_documents__in=targets) | Q(process__procedures__legal_documents__in=targets))
        .filter(revisions__status__in=LIVE_STATUSES).distinct().select_related("agency")
    )


@transaction.atomic
def update_tasks_create(*, actor, legal_document: LegalDocument) -> list[UpdateTask]:
    """One open task per affected document, due on the effective date + 3 months. Nothing when the
    document has no effective date yet (recording the date later creates them) or no affecting relation;
    never twice for the same document and legal document."""
    if legal_document.effective_on is None:
        return []
    relations = list(legal_document.relations_out.filter(kind__in=AFFECTING).select_related("target"))
    if not relations:
        return []
    created = []
    for document in affected_documents([r.target for r in relations]):
        if UpdateTask.objects.filter(document=document, legal_document=legal_document).exists():
            continue
        bases = [r for r in relations if _rests_on(document, r.target)]
        basis = bases[0] if bases else relations[0]
        task = UpdateTask(
            agency_id=document.agency_id, document=document, reason=UpdateTaskReason.LEGAL_CHANGE,
            legal_document=legal_document, basis=basis.target,
            summary=_("%(new)s %(kind)s %(basis)s, effective %(date)s.") % {
                "new": legal_document, "kind": basis.get_kind_display(), "basis": basis.target,
                "date": legal_document.effective_on.strftime("%d/%m/%Y")},
            starts_on=legal_document.effective_on, due_on=add_months(legal_document.effective_on, UPDATE_MONTHS),
        )
        task.save()
        audit_record(actor=actor, instance=task, action=AuditAction.CREATE)
        created.append(task)
    return created


def _rests_on(document: Document, basis: LegalDocument) -> bool:
    return basis.documents.filter(pk=document.pk).exists() or basis.procedures.filter(
        processes__document=document).exists()


@transaction.atomic
def update_tasks_for_procedure_changes(*, actor, procedures, summaries: dict | None = None,
                                       on: dt.date | None = None) -> list[UpdateTask]:
    """A re-imported catalogue record whose legal bases or deadlines changed: a task for each process
    of each agency implementing the procedure, due 3 months from `on` (today)."""
    start = on or today()
    created = []
    documents = (Document.objects.filter(process__procedures__in=procedures, revisions__status__in=LIVE_STATUSES)
                 .distinct().prefetch_related("process__procedures"))
    wanted = {p.pk for p in procedures}
    for document in documents:
        for procedure in document.process.procedures.all():
            if procedure.pk not in wanted or UpdateTask.objects.filter(
                document=document, procedure=procedure, status=UpdateTaskStatus.OPEN
            ).exists():
                continue
            task = UpdateTask(
                agency_id=document.agency_id, document=document, reason=UpdateTaskReason.CATALOGUE_CHANGE,
                procedure=procedure, starts_on=start, due_on=add_months(start, UPDATE_MONTHS),
                summary=(summaries or {}).get(procedure.pk) or _(
                    "Procedure %(code)s changed in the national catalogue.") % {"code": procedure.code},
            )
            task.save()
            audit_record(actor=actor, instance=task, action=AuditAction.CREATE)
            created.append(task)
    return created


def update_tasks_close_for(*, actor, revision) -> int:
    """A new revision of the document is published: its open tasks are done (called by the workflow)."""
    tasks = list(UpdateTask.objects.select_for_update().filter(document_id=revision.document_id,
                                                                status=UpdateTaskStatus.OPEN))
    user = actor if actor is not None and actor.is_authenticated else None
    for task in tasks:
        before = {"status": task.status}
        task.status, task.closed_at, task.closed_by, task.revision = (
            UpdateTaskStatus.DONE, timezone.now(), user, revision)
        task.save()
        audit_record(actor=actor, instance=task, action=AuditAction.TRANSITION, before=before,
                     note=_("Closed by issue %(n)s") % {"n": revision.number})
    return len(tasks)


@transaction.atomic
def update_task_dismiss(*, actor, task: UpdateTask, justification: str) -> UpdateTask:
    """The coordinator or head decides the change does not affect the document, and says why."""
    locked = UpdateTask.objects.select_for_update().get(pk=task.pk)
    if not UpdateTask.objects.restrict(actor, "change").filter(pk=locked.pk).exists():
        raise PermissionDeniedError(_("Only the agency's ISO coordinator or head can dismiss an update task."))
    if locked.status != UpdateTaskStatus.OPEN:
        raise ApplicationError(_("This task is already %(status)s.") % {"status": locked.get_status_display()},
                               code="task_closed")
    if not justification.strip():
        raise ApplicationError(_("Write why the document does not need an update."), code="justification_required",
                               errors={"justification": [_("This field is required.")]})
    before = {"status": locked.status}
    locked.status, locked.closed_at, locked.closed_by, locked.justification = (
        UpdateTaskStatus.DISMISSED, timezone.now(), actor, justification.strip())
    locked.save()
    audit_record(actor=actor, instance=locked, action=AuditAction.TRANSITION, before=before,
                 note=f"dismiss: {justification.strip()}")
    return locked


def _find_in_register(number: str) -> LegalDocument:
    from eiso.legal.parsing import LegalParseError, parse_reference

    try:
        parsed = parse_reference(number)
    except LegalParseError as exc:
        raise ApplicationError(
            _("The number %(number)s cannot be read (%(reason)s). Write it as on the document, for example "
              "03/2023/TT-BTP.") % {"number": number, "reason": exc.reason}, code="invalid_legal_number") from exc
    key = parsed.normalized_key
    found = (LegalDocument.objects.filter(Q(key=key) | Q(key__startswith=f"{key}@") | Q(number=parsed.number))
             .order_by("pk").first())
    if found is None:
        raise ApplicationError(
            _("%(number)s is not in the legal register. Ask your Department of Science and Technology to record "
              "it, then link it.") % {"number": number}, code="legal_document_unknown")
    return found


@transaction.atomic
def document_legal_basis_add(*, actor, document: Document, number: str) -> LegalDocument:
    """Link a QMS document to a legal basis of the register (found by its number)."""
    from eiso.documents.services import document_require

    document_require(actor, document, "change")
    legal = _find_in_register(number)
    legal.documents.add(document)
    audit_record(actor=actor, instance=document, action=AuditAction.UPDATE, note=f"legal basis + {legal.number}")
    return legal


@transaction.atomic
def document_legal_basis_remove(*, actor, document: Document, legal_document: LegalDocument) -> None:
    from eiso.documents.services import document_require

    document_require(actor, document, "change")
    legal_document.documents.remove(document)
    audit_record(actor=actor, instance=document, action=AuditAction.UPDATE,
                 note=f"legal basis - {legal_document.number}")
