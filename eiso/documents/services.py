"""Writes on controlled documents: create, start a revision, edit a draft, move it through the
workflow. Each runs in one transaction, locks the revision row, and writes an event and the audit trail.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import today
from eiso.core.services import object_create, validate
from eiso.documents.choices import OPEN_STATUSES, RevisionStatus
from eiso.documents.models import Document, Revision, RevisionEvent
from eiso.documents.workflow import TRANSITIONS


def document_require(actor, document: Document, action: str) -> None:
    """Refuse (PermissionDeniedError) unless restrict() lets the actor `action` the document;
    processes use it too, since their permissions are their document's."""
    if actor is None:
        return
    if not Document.objects.restrict(actor, action).filter(pk=document.pk).exists():
        raise PermissionDeniedError(
            _("You may not do this on %(document)s. Ask your ISO coordinator or the agency head.")
            % {"document": document.code}
        )


@transaction.atomic
def document_create(*, actor, qms, kind: str, code: str, title: str, content: dict | None = None,
                    framework_key: str = "", owner_unit=None) -> Document:
    """A new document with its first draft revision (issue number 1)."""
    if Document.objects.filter(qms=qms, code=code).exists():
        raise ApplicationError(_("Code %(code)s is already used in this QMS. Choose another code.") % {"code": code},
                               code="duplicate_code", errors={"code": [_("This code is already used.")]})
    document = object_create(actor=actor, model=Document, data={
        "agency_id": qms.agency_id, "qms": qms, "kind": kind, "code": code, "title": title,
        "framework_key": framework_key, "owner_unit": owner_unit,
    })
    Revision.objects.create(agency_id=document.agency_id, document=document, number=1, content=content or {},
                            drafted_by=actor if actor is not None and actor.is_authenticated else None)
    return document


@transaction.atomic
def revision_start(*, actor, document: Document, change_summary: str = "", change_location: str = "") -> Revision:
    """Open the next revision (a draft) of a published document, starting from the current content."""
    document_require(actor, document, "change")
    document = Document.objects.select_for_update().get(pk=document.pk)
    existing = document.revisions.filter(status__in=OPEN_STATUSES).first()
    if existing is not None:
        return existing
    last = document.revisions.order_by("-number").first()
    try:
        with transaction.atomic():
            revision = Revision.objects.create(
                agency_id=document.agency_id, document=document, number=(last.number + 1) if last else 1,
                content=last.content if last else {}, change_summary=change_summary,
                change_location=change_location,
                drafted_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError as exc:
        raise ConflictError() from exc
    audit_record(actor=actor, instance=revision, action=AuditAction.CREATE)
    return revision


@transaction.atomic
def revision_update(*, actor, revision: Revision, content: dict | None = None, change_summary: str | None = None,
                    change_location: str | None = None, effective_on: dt.date | None = None) -> Revision:
    """Edit a draft. Any other status is refused: a published revision never changes."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    document_require(actor, revision.document, "change")
    if revision.status != RevisionStatus.DRAFT:
        raise ApplicationError(
            _("Issue %(number)s is %(status)s and cannot be edited. Start a new revision to change it.")
            % {"number": revision.number, "status": revision.get_status_display()},
            code="revision_not_editable",
        )
    before = snapshot(revision)
    if content is not None:
        revision.content = content
    if change_summary is not None:
        revision.change_summary = change_summary
    if change_location is not None:
        revision.change_location = change_location
    if effective_on is not None:
        revision.effective_on = effective_on
    validate(revision)
    revision.save()
    audit_record(actor=actor, instance=revision, action=AuditAction.UPDATE, before=before)
    return revision


@transaction.atomic
def revision_transition(*, actor, revision: Revision, action: str, comment: str = "",
                        effective_on: dt.date | None = None, content: dict | None = None) -> Revision:
    """Apply one workflow action. The row is locked, so of two people approving at the same moment one
    succeeds and the other gets a conflict; a refused action changes nothing."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError(_("Unknown action %(action)s.") % {"action": action}, code="unknown_action")
    locked = Revision.objects.select_for_update().select_related("document").get(pk=revision.pk)
    document_require(actor, locked.document, transition.permission)
    if locked.status not in transition.sources:
        if revision.status != locked.status:
            raise ConflictError(
                _("Someone else has just changed this revision (it is now %(status)s). Reload the page.")
                % {"status": locked.get_status_display()}
            )
        raise ApplicationError(
            _("A revision that is %(status)s cannot be %(action)s.")
            % {"status": locked.get_status_display(), "action": transition.label},
            code="invalid_transition",
        )
    if transition.comment_required and not comment.strip():
        raise ApplicationError(_("Write a comment saying why."), code="comment_required",
                               errors={"comment": [_("This field is required.")]})
    before = snapshot(locked)
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    from_status = locked.status
    if content is not None and from_status == RevisionStatus.DRAFT:
        locked.content = content
    if action == "review":
        locked.reviewed_by, locked.reviewed_at = user, now
    elif action == "approve":
        if locked.reviewed_by_id is None:
            locked.reviewed_by, locked.reviewed_at = user, now
        locked.approved_by, locked.approved_at = user, now
    elif action == "return":
        locked.reviewed_by = locked.reviewed_at = locked.approved_by = locked.approved_at = None
    elif action == "publish":
        locked.effective_on = effective_on or locked.effective_on or today()
        locked.published_at = now
        previous = locked.document.revisions.filter(status=RevisionStatus.PUBLISHED).exclude(pk=locked.pk)
        for old in previous.select_for_update():
            old.status, old.ended_at = RevisionStatus.SUPERSEDED, now
            old.save(update_fields=["status", "ended_at", "updated_at"])
            RevisionEvent.objects.create(agency_id=old.agency_id, revision=old, action="supersede",
                                         from_status=RevisionStatus.PUBLISHED, to_status=RevisionStatus.SUPERSEDED,
                                         actor=user, comment=_("Superseded by issue %(n)s") % {"n": locked.number})
    elif action == "withdraw":
        locked.ended_at = now
    locked.status = transition.target
    locked.save()
    if action == "publish":
        Document.objects.filter(pk=locked.document_id).update(current_revision=locked)
    elif action == "withdraw":
        Document.objects.filter(pk=locked.document_id, current_revision=locked).update(current_revision=None)
    RevisionEvent.objects.create(agency_id=locked.agency_id, revision=locked, action=action, from_status=from_status,
                                 to_status=locked.status, actor=user, comment=comment)
    audit_record(actor=actor, instance=locked, action=AuditAction.TRANSITION, before=before,
                 note=f"{action}: {comment}" if comment else action)
    return locked


def amendment_log(*, document: Document) -> list[dict]:
    """The amendment log printed on the document, generated from its revisions (oldest first)."""
    rows = []
    for index, revision in enumerate(
        document.revisions.exclude(status__in=OPEN_STATUSES).order_by("number"), start=1
    ):
        rows.append({
            "no": index, "location": revision.change_location or ("—" if revision.number == 1 else ""),
            "summary": revision.change_summary or (_("First issue") if revision.number == 1 else ""),
            "issue": revision.number, "date": revision.effective_on, "status": revision.status,
        })
    return rows
