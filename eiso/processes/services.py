"""Writes on processes. Editing goes to the document's draft revision (a new one is started when the
current issue is published); submitting freezes the content into the revision; the workflow itself is
the documents app's."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError
from eiso.core.files import DOCUMENT_KINDS, check_upload, safe_name
from eiso.core.models import AuditAction
from eiso.core.services import validate
from eiso.documents import services as document_services
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.processes.choices import ProcessKind, StepDurationUnit
from eiso.processes.models import FormTemplate, Process, ProcessStep
from eiso.processes.selectors import process_problems, process_snapshot

EDITABLE_FIELDS = {
    "title", "purpose", "scope", "references", "definitions", "legal_bases", "conditions", "dossier_components",
    "number_of_sets", "channels", "place_of_receipt", "competent_units", "cooperating_units", "applicants", "fees",
    "result", "content_intro", "records",
}


def _draft_revision(*, actor, process: Process):
    """The revision edits go to: the open draft, or a new one after a published issue."""
    revision = process.document.revisions.filter(status=RevisionStatus.DRAFT).first()
    if revision is not None:
        return revision
    if process.document.revisions.filter(status__in=[RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED]).exists():
        raise ApplicationError(
            _("This process is waiting for review or approval and cannot be edited. Ask for it to be returned."),
            code="process_locked",
        )
    return document_services.revision_start(actor=actor, document=process.document)


@transaction.atomic
def process_create(*, actor, qms, kind: str, code: str, title: str, data: dict | None = None,
                   procedures=(), cases=(), framework_key: str = "") -> Process:
    document = document_services.document_create(
        actor=actor, qms=qms, code=code, title=title, framework_key=framework_key,
        kind=DocumentKind.SYSTEM_PROCEDURE if kind == ProcessKind.SYSTEM else DocumentKind.PROCESS,
    )
    process = Process(agency_id=qms.agency_id, qms=qms, document=document, kind=kind, code=code, title=title,
                      framework_key=framework_key, **{k: v for k, v in (data or {}).items() if k in EDITABLE_FIELDS})
    validate(process)
    process.save()
    process.procedures.set(procedures)
    process.cases.set(cases)
    audit_record(actor=actor, instance=process, action=AuditAction.CREATE)
    return process


@transaction.atomic
def process_update(*, actor, process: Process, data: dict) -> Process:
    process = Process.objects.select_for_update().get(pk=process.pk)
    document_services.document_require(actor, process.document, "change")
    _draft_revision(actor=actor, process=process)
    before = snapshot(process)
    for name, value in data.items():
        if name in EDITABLE_FIELDS:
            setattr(process, name, value)
    validate(process)
    process.save()
    if "title" in data:
        process.document.title = process.title
        process.document.save(update_fields=["title", "search_text", "updated_at"])
    audit_record(actor=actor, instance=process, action=AuditAction.UPDATE, before=before)
    return process


@transaction.atomic
def process_steps_replace(*, actor, process: Process, steps: list[dict]) -> list[ProcessStep]:
    """Replace the step table (the usual way the table is edited). Steps are renumbered B1…Bn in the
    given order. Each step needs an action and a responsible; a duration unit must be known."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    document_services.document_require(actor, process.document, "change")
    _draft_revision(actor=actor, process=process)
    errors = {}
    rows = []
    for index, data in enumerate(steps, start=1):
        unit = data.get("duration_unit") or StepDurationUnit.HOUR
        if unit not in StepDurationUnit.values:
            errors[f"steps.{index}.duration_unit"] = [_("Unknown time unit %(unit)s.") % {"unit": unit}]
        if not (data.get("action") or "").strip():
            errors[f"steps.{index}.action"] = [_("Step B%(order)s needs an action.") % {"order": index}]
        if not ((data.get("responsible") or "").strip() or data.get("responsible_unit")):
            errors[f"steps.{index}.responsible"] = [_("Step B%(order)s has no responsible.") % {"order": index}]
        duration = data.get("duration")
        if duration is not None and duration != "" and float(duration) < 0:
            errors[f"steps.{index}.duration"] = [_("A time cannot be negative.")]
        rows.append(ProcessStep(
            agency_id=process.agency_id, process=process, order=index, action=(data.get("action") or "").strip(),
            responsible=(data.get("responsible") or "").strip(), responsible_unit=data.get("responsible_unit"),
            duration=duration if duration not in ("", None) else None, duration_unit=unit,
            duration_text=data.get("duration_text") or "", forms=list(data.get("forms") or []),
            output=data.get("output") or "", description=data.get("description") or "",
        ))
    for index, row in enumerate(rows, start=1):
        try:
            row.clean_fields(exclude=["process", "agency", "responsible_unit"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(f"steps.{index}.{field}", messages)
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], code="invalid_steps", errors=errors)
    before = {"steps": [(s.order, s.action, str(s.hours)) for s in process.steps.all()]}
    process.steps.all().delete()
    created = ProcessStep.objects.bulk_create(rows)
    after = {"steps": [(s.order, s.action, str(s.hours)) for s in created]}
    audit_record(actor=actor, instance=process, action=AuditAction.UPDATE,
                 before={"steps": str(before["steps"])}, after={"steps": str(after["steps"])})
    return created


@transaction.atomic
def form_template_add(*, actor, process: Process, code: str, title: str, file=None) -> FormTemplate:
    document_services.document_require(actor, process.document, "change")
    if process.forms.filter(code=code).exists():
        raise ApplicationError(_("Form %(code)s is already listed.") % {"code": code}, code="duplicate_form")
    form = FormTemplate(agency_id=process.agency_id, process=process, code=code, title=title)
    if file is not None:
        form.file = file
    validate(form)
    form.save()
    audit_record(actor=actor, instance=form, action=AuditAction.CREATE)
    return form


FORM_FILE_MAX_BYTES = 10 * 1024 * 1024


def _check_form_file(file) -> None:
    """Forms are PDF, Office or OpenDocument files, judged by their content, at most 10 MB. The stored name keeps
    the stem and takes the extension of what the file really is (never the uploader's .html or .svg)."""
    kind = check_upload(file, allowed=DOCUMENT_KINDS, max_bytes=FORM_FILE_MAX_BYTES)
    file.name = safe_name(getattr(file, "name", ""), kind)


@transaction.atomic
def form_template_attach(*, actor, process: Process, code: str, title: str, file) -> FormTemplate:
    """Attach the file of a form (replacing the previous file of the same code), or add the form."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    document_services.document_require(actor, process.document, "change")
    _check_form_file(file)
    form = process.forms.filter(code=code).first()
    if form is None:
        return form_template_add(actor=actor, process=process, code=code, title=title or code, file=file)
    before = snapshot(form)
    form.file = file
    if title:
        form.title = title
    validate(form)
    form.save()
    audit_record(actor=actor, instance=form, action=AuditAction.UPDATE, before=before)
    return form


@transaction.atomic
def process_transition(*, actor, process: Process, action: str, comment: str = "", effective_on=None):
    """Move the process's open revision through the workflow. Submitting validates the process and
    freezes its content; publishing makes that snapshot the public, printed version."""
    revision = process.document.revisions.exclude(
        status__in=[RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN]
    ).first() or process.document.current_revision
    if revision is None:
        raise ApplicationError(_("This process has no revision to act on."), code="no_revision")
    content = None
    if action == "submit":
        problems = process_problems(process=process)
        if problems:
            raise ApplicationError(problems[0], code="process_invalid", errors={"process": problems})
        content = process_snapshot(process=process, revision=revision)
    # Keep the frozen content's approval block and issue date in step with the workflow.
    amend = (lambda locked: _approval_part(process=process, revision=locked)) \
        if action in ("approve", "publish", "review") else None
    return document_services.revision_transition(actor=actor, revision=revision, action=action, comment=comment,
                                                 effective_on=effective_on, content=content, amend_content=amend)


def _approval_part(*, process, revision) -> dict:
    fresh = process_snapshot(process=process, revision=revision)
    return {"approval": fresh["approval"], "document": fresh["document"], "amendments": fresh["amendments"]}
