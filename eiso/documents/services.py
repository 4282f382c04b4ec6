"""Writes on controlled documents: create, start a revision, edit a draft, move it through the
workflow; distribute a published revision, confirm having read it, remind those who have not; confirm
a periodic review. Each runs in one transaction, locks the row it changes, and writes the audit trail.
"""

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from eiso.core.files import DOCUMENT_KINDS, IMAGE_KINDS, check_upload, safe_name
from eiso.core.models import AuditAction
from eiso.core.permissions import today
from eiso.core.services import object_create, validate
from eiso.documents.choices import OPEN_STATUSES, RevisionStatus
from eiso.documents.models import Attachment, Document, Revision, RevisionEvent, RevisionRecipient
from eiso.documents.selectors import agency_members, can_manage_documents, org_unit_members, reminders_due
from eiso.documents.workflow import TRANSITIONS
from eiso.organizations.models import RoleAssignment

logger = logging.getLogger(__name__)


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
                        effective_on: dt.date | None = None, content: dict | None = None,
                        amend_content: Callable[[Revision], dict] | None = None) -> Revision:
    """Apply one workflow action. The row is locked, so of two people approving at the same moment one
    succeeds and the other gets a conflict; a refused action changes nothing. `amend_content(revision)`: keys to
    merge into the content once the action's fields are set, in the same write (a published issue cannot be
    changed afterwards)."""
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
    if action == "publish":  # before the save, which refreshes the document's search text from it
        Document.objects.filter(pk=locked.document_id).update(current_revision=locked)
    elif action == "withdraw":
        Document.objects.filter(pk=locked.document_id, current_revision=locked).update(current_revision=None)
    if amend_content is not None:
        locked.content = {**locked.content, **amend_content(locked)}
    locked.save()
    if action == "publish":
        from eiso.legal.services import update_tasks_close_for  # the 3-month rule: publishing closes the tasks

        update_tasks_close_for(actor=actor, revision=locked)
    RevisionEvent.objects.create(agency_id=locked.agency_id, revision=locked, action=action, from_status=from_status,
                                 to_status=locked.status, actor=user, comment=comment)
    audit_record(actor=actor, instance=locked, action=AuditAction.TRANSITION, before=before,
                 note=f"{action}: {comment}" if comment else action)
    return locked


def amendment_log(*, document: Document, pending: Revision | None = None) -> list[dict]:
    """The amendment log printed on the document, generated from its revisions (oldest first). `pending`: a
    revision whose new status is not saved yet (the issue being published writes its own log), taken as it is in
    memory instead of its stored row."""
    stored = [r for r in document.revisions.order_by("number") if pending is None or r.pk != pending.pk]
    revisions = sorted([*stored, pending] if pending is not None else stored, key=lambda r: r.number)
    rows = []
    for index, revision in enumerate((r for r in revisions if r.status not in OPEN_STATUSES), start=1):
        rows.append({
            "no": index, "location": revision.change_location or ("—" if revision.number == 1 else ""),
            "summary": revision.change_summary or (_("First issue") if revision.number == 1 else ""),
            "issue": revision.number, "date": revision.effective_on, "status": revision.status,
            "status_label": revision.get_status_display(),
        })
    return rows


# --- Distribution, acknowledgement and reminders (ISO 9001 7.5.3) ----------------------------------------


def document_manage_require(actor, document: Document, message: str) -> None:
    """Refuse (PermissionDeniedError with `message`) unless the actor may change the document and is the
    head or ISO coordinator of its agency (or a system administrator). `actor=None`: a system job."""
    if actor is None:
        return
    document_require(actor, document, "change")
    if not can_manage_documents(user=actor, agency_id=document.agency_id):
        raise PermissionDeniedError(message)


@transaction.atomic
def revision_distribute(*, actor, revision: Revision, org_units=(), users=(), everyone: bool = False
                        ) -> list[RevisionRecipient]:
    """Distribute a published revision to internal units (every active person holding a role in the unit
    or a unit below it), to people chosen by name, and/or to everyone in the agency. Adds only people who
    do not have it yet and returns the new rows; the first unit that reaches a person is recorded.

    Refused, changing nothing: a revision that is not published; a unit or person of another agency; an
    actor who is not the head or coordinator. The revision row is locked, so two managers distributing
    at once cannot add the same person twice, and a withdrawal waits for the distribution (or the other
    way round)."""
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    document = locked.document
    document_manage_require(actor, document, _(
        "Only the agency head or the ISO coordinator may distribute %(document)s. Ask them to do it."
    ) % {"document": document.code})
    if locked.status != RevisionStatus.PUBLISHED:
        raise ApplicationError(
            _("Issue %(number)s of %(document)s is %(status)s: only the published issue can be distributed. "
              "Publish it first.")
            % {"number": locked.number, "document": document.code, "status": locked.get_status_display()},
            code="revision_not_published",
        )
    org_units, users = list(org_units), list(users)
    if not (org_units or users or everyone):
        raise ApplicationError(_("Choose at least one internal unit or person to send the document to."),
                               code="no_recipients", errors={"org_units": [_("Choose a unit or a person.")]})
    agency = locked.agency
    for unit in org_units:
        if unit.agency_id != locked.agency_id:
            raise ApplicationError(
                _("%(unit)s is not an internal unit of %(agency)s. Choose units of the agency that issued the "
                  "document.") % {"unit": unit, "agency": agency},
                code="foreign_org_unit", errors={"org_units": [_("Not a unit of this agency.")]},
            )
    members = set(agency_members(agency_id=locked.agency_id).values_list("pk", flat=True))
    for person in users:
        if person.pk not in members:
            raise ApplicationError(
                _("%(person)s holds no role in %(agency)s and cannot receive its documents. Choose people of "
                  "the agency, or give them a role first.") % {"person": person, "agency": agency},
                code="not_a_member", errors={"users": [_("Not a member of this agency.")]},
            )
    wanted: dict = {}  # user id -> the unit that reached them (None: chosen by name or everyone)
    for unit in org_units:
        for user_id in org_unit_members(org_unit=unit):
            wanted.setdefault(user_id, unit.pk)
    for person in users:
        wanted.setdefault(person.pk, None)
    if everyone:
        for user_id in sorted(members, key=str):
            wanted.setdefault(user_id, None)
    existing = set(RevisionRecipient.objects.filter(revision=locked).values_list("user_id", flat=True))
    now = timezone.now()
    by = actor if actor is not None and actor.is_authenticated else None
    rows = [
        RevisionRecipient(agency_id=locked.agency_id, revision=locked, user_id=user_id, org_unit_id=unit_id,
                          distributed_at=now, distributed_by=by)
        for user_id, unit_id in wanted.items() if user_id not in existing
    ]
    if rows:
        RevisionRecipient.objects.bulk_create(rows)
        targets = [str(unit) for unit in org_units] + [str(person) for person in users]
        if everyone:
            targets.append("*")
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                     before={"recipients": len(existing)}, after={"recipients": len(existing) + len(rows)},
                     note=f"distribute +{len(rows)}: " + "; ".join(targets))
    return rows


@transaction.atomic
def revision_acknowledge(*, actor, recipient: RevisionRecipient) -> RevisionRecipient:
    """The recipient confirms having read the revision. Only the recipient may; confirming again keeps the
    first time and writes nothing. A superseded or withdrawn revision can still be confirmed: the person
    read what they were given."""
    locked = RevisionRecipient.objects.select_for_update().get(pk=recipient.pk)
    if actor is None or not actor.is_authenticated or locked.user_id != actor.pk:
        raise PermissionDeniedError(
            _("Only %(person)s can confirm having read %(document)s: it was sent to them.")
            % {"person": locked.user, "document": locked.revision.document.code}
        )
    if not RevisionRecipient.objects.restrict(actor, "view").filter(pk=locked.pk).exists():
        raise PermissionDeniedError(_("You no longer hold a role in the agency that sent this document."))
    if locked.acknowledged_at is not None:
        return locked
    before = snapshot(locked)
    locked.acknowledged_at = timezone.now()
    locked.save(update_fields=["acknowledged_at", "updated_at"])
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, before=before, note="acknowledge")
    return locked


def acknowledgement_reminders_send(*, now: dt.datetime | None = None) -> dict:
    """E-mail every person who has not confirmed a revision EISO_ACK_REMINDER_DAYS days after it was
    distributed to them and was not reminded in the last EISO_ACK_REMINDER_DAYS days — one message per
    person listing all such documents — and record the reminder on each row. Run daily (Celery beat,
    `eiso send_document_reminders`); running it twice the same day sends nothing the second time.

    People without an e-mail address are skipped (and counted), not marked as reminded. Each person is
    one transaction in which the rows are locked, re-checked, marked, and the message sent last: a failed
    send rolls the marks back, so the next run tries again (deferring the send to on_commit would instead
    lose the reminder for a whole interval when the mail server is down).

    Returns {"people": e-mailed, "reminders": rows reminded, "no_email": skipped, "failed": sends that
    failed}."""
    now = now or timezone.now()
    days = int(settings.EISO_ACK_REMINDER_DAYS)
    still_member = RoleAssignment.objects.active(on=timezone.localdate(now)).filter(
        user=OuterRef("user"), agency=OuterRef("agency"))

    def due():
        return reminders_due(now=now, interval_days=days).filter(Exists(still_member))

    by_user = defaultdict(list)
    for user_id, pk in due().order_by("user_id", "distributed_at").values_list("user_id", "pk"):
        by_user[user_id].append(pk)
    people = get_user_model().objects.in_bulk(list(by_user))
    counts = {"people": 0, "reminders": 0, "no_email": 0, "failed": 0}
    connection = get_connection()
    for user_id, ids in by_user.items():
        person = people[user_id]
        if not person.email:
            counts["no_email"] += 1
            continue
        try:
            with transaction.atomic():
                rows = list(due().select_for_update(of=("self",)).filter(pk__in=ids)
                            .select_related("revision__document").order_by("distributed_at"))
                if not rows:
                    continue
                for row in rows:
                    before = snapshot(row)
                    row.reminded_at, row.reminder_count = now, row.reminder_count + 1
                    row.save(update_fields=["reminded_at", "reminder_count", "updated_at"])
                    audit_record(actor=None, instance=row, action=AuditAction.UPDATE, before=before, note="reminder")
                _reminder_message(person=person, rows=rows, connection=connection).send()
        except OSError as exc:  # smtplib.SMTPException and socket errors
            logger.warning("acknowledgement reminder to user %s failed: %s", user_id, exc)
            counts["failed"] += 1
            continue
        counts["people"] += 1
        counts["reminders"] += len(rows)
    return counts


def _reminder_message(*, person, rows: list[RevisionRecipient], connection) -> EmailMessage:
    """The reminder, in the site's language (Vietnamese) whatever the language of the caller."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Dear %(name)s,") % {"name": person}, "",
                 _("These documents were sent to you and you have not yet confirmed having read them:"), ""]
        for row in rows:
            document = row.revision.document
            lines.append(_("- %(code)s %(title)s, issue %(number)s, sent on %(date)s: %(path)s") % {
                "code": document.code, "title": document.title, "number": row.revision.number,
                "date": timezone.localtime(row.distributed_at).strftime("%d/%m/%Y"),
                "path": document.get_absolute_url(),
            })
        lines += ["", _("Read them, then confirm on the page %(path)s.") % {"path": reverse("documents:to_read")},
                  "", _("This message was sent automatically by eISO.")]
        subject = ngettext("eISO: %(count)s document to read", "eISO: %(count)s documents to read",
                           len(rows)) % {"count": len(rows)}
    return EmailMessage(subject=subject, body="\n".join(lines), to=[person.email], connection=connection)


# --- Periodic review ---------------------------------------------------------------------------------------


@transaction.atomic
def document_review_confirm(*, actor, document: Document, comment: str = "") -> Document:
    """The head or coordinator confirms that the document in force was reviewed and is still adequate
    (ISO 9001 7.5.2–7.5.3): records today as `last_reviewed_on`, which restarts the review interval. The
    comment goes to a `periodic_review` event of the published revision and to the audit note. Only a
    document with a published issue can be confirmed."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    document_manage_require(actor, locked, _(
        "Only the agency head or the ISO coordinator may confirm the review of %(document)s. Ask them to do it."
    ) % {"document": locked.code})
    revision = locked.current_revision
    if revision is None or revision.status != RevisionStatus.PUBLISHED:
        raise ApplicationError(
            _("%(document)s has no published issue to review. Publish it first.") % {"document": locked.code},
            code="revision_not_published",
        )
    comment = comment.strip()
    before = snapshot(locked)
    locked.last_reviewed_on = today()
    locked.save(update_fields=["last_reviewed_on", "updated_at"])
    RevisionEvent.objects.create(
        agency_id=locked.agency_id, revision=revision, action="periodic_review", from_status=revision.status,
        to_status=revision.status, actor=actor if actor is not None and actor.is_authenticated else None,
        comment=comment,
    )
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, before=before,
                 note=f"periodic review: {comment}" if comment else "periodic review")
    return locked


@transaction.atomic
def attachment_add(*, actor, document: Document, file) -> Attachment:
    """Attach a file to the document's draft: checked by content (PDF, Office, OpenDocument, PNG/JPEG) and
    size; a published issue never changes, so a change of file starts a new draft first."""
    document_require(actor, document, "change")
    revision = document.revisions.select_for_update().filter(status=RevisionStatus.DRAFT).first()
    if revision is None:
        raise ApplicationError(
            _("Files are added to a draft. Start a new revision of %(document)s (edit it), then attach the file.")
            % {"document": document.code}, code="revision_not_editable")
    kind = check_upload(file, allowed=DOCUMENT_KINDS | IMAGE_KINDS,
                        max_bytes=settings.EISO["ATTACHMENT_MAX_MB"] * 1024 * 1024)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    name = safe_name(getattr(file, "name", ""), kind)
    attachment = Attachment(agency_id=document.agency_id, revision=revision, name=name, kind=kind, size=file.size,
                            sha256=digest.hexdigest(),
                            uploaded_by=actor if actor is not None and actor.is_authenticated else None)
    attachment.file.save(name, file, save=False)
    attachment.save()
    audit_record(actor=actor, instance=attachment, action=AuditAction.CREATE, note=name)
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    attachment = Attachment.objects.select_for_update().select_related("revision__document").get(pk=attachment.pk)
    document_require(actor, attachment.revision.document, "change")
    if attachment.revision.status != RevisionStatus.DRAFT:
        raise ApplicationError(_("A file of an issued revision cannot be removed: it is part of the record."),
                               code="revision_not_editable")
    audit_record(actor=actor, instance=attachment, action=AuditAction.DELETE, note=attachment.name)
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))
