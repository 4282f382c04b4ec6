"""Writes of audit programmes and internal audits. Every write runs in a transaction, checks the actor's
right first, validates everything before changing anything and leaves an audit-trail entry. A refusal
raises ApplicationError (PermissionDeniedError for a missing right) and changes nothing. Who may be on a team,
and auditor independence, are the rules of eiso.audits.independence."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits import workflow
from eiso.audits.choices import (
    NONCONFORMITY_GRADES,
    RAISABLE_GRADES,
    AuditStatus,
    ChecklistResult,
    ChecklistSource,
    FindingGrade,
    ProgrammeStatus,
)
from eiso.audits.clause_library import UnknownClauseError, clause_library
from eiso.audits.independence import check_candidates, check_independence
from eiso.audits.models import (
    AuditFinding,
    AuditProgramme,
    AuditScheduleItem,
    ChecklistItem,
    InternalAudit,
    ProgrammeEntry,
)
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.workflow import transition_check, transition_named

NUMBER_FORMAT = "ĐGNB-{year}-{seq:02d}"

# --- Rights -------------------------------------------------------------------------------------------------


def _allowed(user, instance, action: str) -> bool:
    if user is None:
        return True
    return type(instance).objects.restrict(user, action).filter(pk=instance.pk).exists()


def can_manage(user, instance) -> bool:
    """Plan and change programmes and audits: the agency head and the ISO coordinator."""
    return _allowed(user, instance, "change")


def can_add(user, agency) -> bool:
    from eiso.core.permissions import scope_for

    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or agency.pk in scope.agencies_for("add", AuditProgramme.permitted_roles)


def _require_manager(actor, instance) -> None:
    if not can_manage(actor, instance):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator plan internal audits."))


def _require_team_member(actor, audit: InternalAudit) -> None:
    if actor is None:
        return
    if not InternalAudit.objects.restrict(actor, "view").filter(pk=audit.pk).exists() or \
            not audit.is_team_member(actor):
        raise PermissionDeniedError(_("Only the members of the audit team record checklist results and findings."))


# --- Helpers ------------------------------------------------------------------------------------------------


def _clauses(numbers, version: str | None = None, field: str = "clauses") -> list[str]:
    """Normalised, de-duplicated clause numbers, each one in the library (else a clear error)."""
    library = clause_library(version)
    if isinstance(numbers, str):
        numbers = [n for n in numbers.replace(";", ",").replace(" ", ",").split(",")]
    result = []
    for number in numbers or []:
        number = str(number).strip()
        if not number:
            continue
        try:
            clause = library.get(number)
        except UnknownClauseError as error:
            raise ApplicationError(str(error), code="unknown_clause", errors={field: [str(error)]}) from None
        if clause.number not in result:
            result.append(clause.number)
    return result


def _same_agency(agency, obj, field: str) -> None:
    if obj is not None and obj.agency_id != agency.pk:
        message = _("%(object)s belongs to another agency.") % {"object": obj}
        raise ApplicationError(message, code="other_agency", errors={field: [message]})


def _locked_audit(audit) -> InternalAudit:
    return InternalAudit.objects.select_for_update().get(pk=audit.pk)


def _require_status(audit, statuses, message) -> None:
    if audit.status not in statuses:
        raise ApplicationError(message % {"status": audit.get_status_display()}, code="invalid_status")


# --- Programmes ---------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, agency, year: int, title: str = "", objectives: str = "") -> AuditProgramme:
    """A draft programme for the agency's year (one per year)."""
    if not can_add(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator plan internal audits."))
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("Give a year such as 2026."), code="invalid_year",
                               errors={"year": [_("Invalid year.")]})
    if AuditProgramme.objects.filter(agency=agency, year=year).exists():
        message = _("The agency already has an internal audit programme for %(year)s.") % {"year": year}
        raise ApplicationError(message, code="duplicate_year", errors={"year": [message]})
    programme = AuditProgramme(agency=agency, year=year, objectives=objectives.strip(),
                               title=title.strip() or _("Internal audit programme %(year)s") % {"year": year})
    programme.full_clean()
    programme.save()
    audit_record(actor=actor, instance=programme, action=AuditAction.CREATE)
    return programme


def _require_draft(programme) -> None:
    if programme.status != ProgrammeStatus.DRAFT:
        raise ApplicationError(_("The programme is approved: it can no longer be changed."), code="invalid_status")


@transaction.atomic
def programme_update(*, actor, programme: AuditProgramme, title: str, objectives: str = "") -> AuditProgramme:
    _require_manager(actor, programme)
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    if not title.strip():
        raise ApplicationError(_("Give the programme a title."), code="title_required",
                               errors={"title": [_("This field is required.")]})
    before = snapshot(programme)
    programme.title, programme.objectives = title.strip(), objectives.strip()
    programme.save()
    audit_record(actor=actor, instance=programme, action=AuditAction.UPDATE, before=before)
    return programme


@transaction.atomic
def programme_entry_add(*, actor, programme: AuditProgramme, planned_month: int, process=None, org_unit=None,
                        clauses=(), auditor=None, notes: str = "") -> ProgrammeEntry:
    """Add a line to a draft programme: what (a process and/or a unit, clauses), when (month), by whom."""
    _require_manager(actor, programme)
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    agency = programme.agency
    if process is None and org_unit is None:
        message = _("Choose the process or the internal unit to audit.")
        raise ApplicationError(message, code="scope_required", errors={"process": [message]})
    if not planned_month or not 1 <= int(planned_month) <= 12:
        raise ApplicationError(_("Choose a month from 1 to 12."), code="invalid_month",
                               errors={"planned_month": [_("Choose a month from 1 to 12.")]})
    _same_agency(agency, process, "process")
    _same_agency(agency, org_unit, "org_unit")
    numbers = _clauses(clauses)
    if auditor is not None:
        check_candidates(agency, [auditor], "auditor")
        check_independence(agency, [auditor], [process] if process else [], [org_unit] if org_unit else [],
                            "auditor")
    entry = ProgrammeEntry(agency=agency, programme=programme, process=process, org_unit=org_unit, clauses=numbers,
                           planned_month=int(planned_month), auditor=auditor, notes=notes.strip())
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, instance=entry, action=AuditAction.CREATE)
    return entry


@transaction.atomic
def programme_entry_delete(*, actor, entry: ProgrammeEntry) -> None:
    _require_manager(actor, entry)
    _require_draft(AuditProgramme.objects.select_for_update().get(pk=entry.programme_id))
    audit_record(actor=actor, instance=entry, action=AuditAction.DELETE, before=snapshot(entry))
    entry.delete()


@transaction.atomic
def programme_approve(*, actor, programme: AuditProgramme) -> AuditProgramme:
    """The agency head approves the draft programme (it needs at least one entry)."""
    if not _allowed(actor, programme, "approve"):
        raise PermissionDeniedError(_("Only the agency head approves the internal audit programme."))
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    if not programme.entries.exists():
        raise ApplicationError(_("Add at least one line (what is audited, when, by whom) before approving."),
                               code="no_entries")
    before = snapshot(programme)
    programme.status = ProgrammeStatus.APPROVED
    programme.approved_by = actor
    programme.approved_at = timezone.now()
    programme.save()
    audit_record(actor=actor, instance=programme, action=AuditAction.TRANSITION, before=before,
                 note=_("Approved"))
    return programme


@transaction.atomic
def programme_copy_year(*, actor, agency, from_year: int, to_year: int) -> AuditProgramme:
    """Start `to_year` from `from_year`'s programme: a new draft with the same lines (auditors kept).
    Refused when there is no programme to copy or `to_year` already has one."""
    source = AuditProgramme.objects.filter(agency=agency, year=from_year).first()
    if source is None:
        raise ApplicationError(_("There is no internal audit programme for %(year)s to copy.") % {"year": from_year},
                               code="no_source")
    title = source.title.replace(str(from_year), str(to_year))
    if title == source.title:
        title = _("Internal audit programme %(year)s") % {"year": to_year}
    programme = programme_create(actor=actor, agency=agency, year=to_year, title=title, objectives=source.objectives)
    for entry in source.entries.all():
        copy = ProgrammeEntry(agency=agency, programme=programme, process=entry.process, org_unit=entry.org_unit,
                              clauses=list(entry.clauses), planned_month=entry.planned_month, auditor=entry.auditor,
                              notes=entry.notes)
        copy.save()
        audit_record(actor=actor, instance=copy, action=AuditAction.CREATE)
    return programme


# --- Internal audits: the plan ------------------------------------------------------------------------------


def _scope(agency, processes, org_units, clauses, documents, start_on, end_on):
    processes, org_units, documents = list(processes or []), list(org_units or []), list(documents or [])
    for process in processes:
        _same_agency(agency, process, "processes")
    for unit in org_units:
        _same_agency(agency, unit, "org_units")
    for document in documents:
        _same_agency(agency, document, "documents")
    numbers = _clauses(clauses)
    errors = {}
    if not processes and not org_units:
        errors["processes"] = [_("Choose the processes and/or the internal units audited.")]
    if not numbers:
        errors["clauses"] = [_("Choose the clauses of TCVN ISO 9001:2015 audited.")]
    if start_on and end_on and end_on < start_on:
        errors["end_on"] = [_("The end date is before the start date.")]
    if errors:
        raise ApplicationError(" ".join(e[0] for e in errors.values()), code="invalid_scope", errors=errors)
    return processes, org_units, numbers, documents


@transaction.atomic
def audit_create(*, actor, programme: AuditProgramme, title: str, start_on: dt.date, end_on: dt.date,
                 processes=(), org_units=(), clauses=(), documents=(), objectives: str = "",
                 auditees: str = "") -> InternalAudit:
    """Plan an audit of the programme, numbered ĐGNB-<year>-<sequence> in the programme."""
    _require_manager(actor, programme)
    programme = AuditProgramme.objects.select_for_update().get(pk=programme.pk)
    agency = programme.agency
    if not title.strip():
        raise ApplicationError(_("Give the audit a title."), code="title_required",
                               errors={"title": [_("This field is required.")]})
    processes, org_units, numbers, documents = _scope(agency, processes, org_units, clauses, documents,
                                                      start_on, end_on)
    sequence = (programme.audits.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    audit = InternalAudit(agency=agency, programme=programme, sequence=sequence,
                          number=NUMBER_FORMAT.format(year=programme.year, seq=sequence), title=title.strip(),
                          objectives=objectives.strip(), clauses=numbers, library_version=clause_library().version,
                          auditees=auditees.strip(), start_on=start_on, end_on=end_on)
    audit.full_clean()
    audit.save()
    audit.processes.set(processes)
    audit.org_units.set(org_units)
    audit.documents.set(documents)
    audit_record(actor=actor, instance=audit, action=AuditAction.CREATE)
    return audit


@transaction.atomic
def audit_update(*, actor, audit: InternalAudit, title: str, start_on: dt.date, end_on: dt.date, processes=(),
                 org_units=(), clauses=(), documents=(), objectives: str = "", auditees: str = "") -> InternalAudit:
    """Change a planned audit's plan. The team must stay independent of the new scope."""
    _require_manager(actor, audit)
    audit = _locked_audit(audit)
    _require_status(audit, (AuditStatus.PLANNED,), _("The plan can no longer be changed while the audit is "
                                                     "%(status)s."))
    if not title.strip():
        raise ApplicationError(_("Give the audit a title."), code="title_required",
                               errors={"title": [_("This field is required.")]})
    processes, org_units, numbers, documents = _scope(audit.agency, processes, org_units, clauses, documents,
                                                      start_on, end_on)
    check_independence(audit.agency, audit.team(), processes, org_units, "processes")
    before = snapshot(audit)
    audit.title, audit.objectives, audit.auditees = title.strip(), objectives.strip(), auditees.strip()
    audit.clauses, audit.start_on, audit.end_on = numbers, start_on, end_on
    audit.full_clean()
    audit.save()
    audit.processes.set(processes)
    audit.org_units.set(org_units)
    audit.documents.set(documents)
    audit_record(actor=actor, instance=audit, action=AuditAction.UPDATE, before=before)
    return audit


@transaction.atomic
def audit_team_set(*, actor, audit: InternalAudit, lead_auditor, members=()) -> InternalAudit:
    """Choose the team: the lead auditor and the members, each an auditor or the ISO coordinator of the
    agency, and none of them from a unit whose work is audited."""
    _require_manager(actor, audit)
    audit = _locked_audit(audit)
    _require_status(audit, (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS),
                    _("The team can no longer be changed while the audit is %(status)s."))
    if lead_auditor is None:
        raise ApplicationError(_("Choose the lead auditor."), code="lead_required",
                               errors={"lead_auditor": [_("This field is required.")]})
    members = [m for m in dict.fromkeys(members or []) if m.pk != lead_auditor.pk]
    agency = audit.agency
    check_candidates(agency, [lead_auditor], "lead_auditor")
    check_candidates(agency, members, "members")
    check_independence(agency, [lead_auditor, *members], list(audit.processes.all()), list(audit.org_units.all()),
                        "members")
    before = snapshot(audit)
    audit.lead_auditor = lead_auditor
    audit.save()
    audit.members.set(members)
    audit_record(actor=actor, instance=audit, action=AuditAction.UPDATE, before=before,
                 note=_("Team: %(team)s") % {"team": ", ".join(str(p) for p in [lead_auditor, *members])})
    return audit


@transaction.atomic
def schedule_item_add(*, actor, audit: InternalAudit, on: dt.date, start_time: dt.time, end_time: dt.time,
                      process=None, org_unit=None, clauses=(), activity: str = "", auditors=()) -> AuditScheduleItem:
    """Add a line to the schedule: the auditors must be on the team and independent of what they audit."""
    _require_manager(actor, audit)
    audit = _locked_audit(audit)
    _require_status(audit, (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS),
                    _("The schedule can no longer be changed while the audit is %(status)s."))
    agency = audit.agency
    _same_agency(agency, process, "process")
    _same_agency(agency, org_unit, "org_unit")
    errors = {}
    if process is None and org_unit is None and not activity.strip():
        errors["process"] = [_("Choose the process or the unit audited, or describe the activity (e.g. opening "
                               "meeting).")]
    if end_time <= start_time:
        errors["end_time"] = [_("The end time must be after the start time.")]
    if not audit.start_on <= on <= audit.end_on:
        errors["on"] = [_("Choose a date between %(start)s and %(end)s.") % {
            "start": audit.start_on.strftime("%d/%m/%Y"), "end": audit.end_on.strftime("%d/%m/%Y")}]
    if errors:
        raise ApplicationError(" ".join(e[0] for e in errors.values()), code="invalid_schedule", errors=errors)
    numbers = _clauses(clauses, audit.library_version)
    auditors = list(dict.fromkeys(auditors or []))
    team = {p.pk for p in audit.team()}
    for person in auditors:
        if person.pk not in team:
            message = _("%(person)s is not on the audit team.") % {"person": person}
            raise ApplicationError(message, code="not_on_team", errors={"auditors": [message]})
    check_independence(agency, auditors, [process] if process else [], [org_unit] if org_unit else [], "auditors")
    item = AuditScheduleItem(agency=agency, audit=audit, on=on, start_time=start_time, end_time=end_time,
                             process=process, org_unit=org_unit, clauses=numbers, activity=activity.strip())
    item.full_clean()
    item.save()
    item.auditors.set(auditors)
    audit_record(actor=actor, instance=item, action=AuditAction.CREATE)
    return item


@transaction.atomic
def schedule_item_delete(*, actor, item: AuditScheduleItem) -> None:
    _require_manager(actor, item)
    audit = _locked_audit(item.audit)
    _require_status(audit, (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS),
                    _("The schedule can no longer be changed while the audit is %(status)s."))
    audit_record(actor=actor, instance=item, action=AuditAction.DELETE, before=snapshot(item))
    item.delete()


# --- Checklist ----------------------------------------------------------------------------------------------


def process_questions(process) -> list[tuple[str, str, str]]:
    """(clause, question, evidence to look at) for one process audited: its steps (8.5.1), its forms and
    its records to keep (7.5.3)."""
    questions = []
    for step in process.steps.select_related("responsible_unit").order_by("order"):
        responsible = step.responsible or (step.responsible_unit.name if step.responsible_unit_id else "—")
        time = step.duration_text or (f"{step.duration:g} {step.get_duration_unit_display()}"
                                      if step.duration is not None else "—")
        questions.append(("8.5.1", _("%(process)s, step B%(order)s “%(action)s”: is it done by %(responsible)s "
                                     "within %(time)s, as the process says?") % {
            "process": process.code, "order": step.order, "action": step.action, "responsible": responsible,
            "time": time}, _("Control slips of sampled dossiers.")))
    for form in process.forms.order_by("code"):
        questions.append(("7.5.3", _("%(process)s: is form %(code)s “%(title)s” used in its current version and "
                                     "filled in completely?") % {"process": process.code, "code": form.code,
                                                                 "title": form.title},
                          _("Filled forms of sampled dossiers.")))
    for record in process.records or []:
        name = record.get("name") if isinstance(record, dict) else str(record)
        if not name:
            continue
        questions.append(("7.5.3", _("%(process)s: is the record “%(name)s” kept at %(place)s for %(retention)s?")
                          % {"process": process.code, "name": name,
                             "place": (record.get("place") if isinstance(record, dict) else "") or "—",
                             "retention": (record.get("retention") if isinstance(record, dict) else "") or "—"},
                          _("The records themselves, where they are kept.")))
    return questions


@transaction.atomic
def checklist_build(*, actor, audit: InternalAudit) -> int:
    """(Re)build the checklist of a planned audit: the library's questions of the clauses in scope, then the
    questions from each process audited. Refused once a result has been recorded. Returns the item count."""
    if not (can_manage(actor, audit) or (actor is not None and audit.lead_auditor_id == actor.pk)):
        raise PermissionDeniedError(_("Only the agency head, the ISO coordinator and the lead auditor build the "
                                      "checklist."))
    audit = _locked_audit(audit)
    _require_status(audit, (AuditStatus.PLANNED,), _("The checklist can no longer be rebuilt while the audit is "
                                                     "%(status)s."))
    if audit.checklist.exclude(result="").exists():
        raise ApplicationError(_("Results are already recorded: the checklist is not rebuilt."), code="has_results")
    library = clause_library(audit.library_version)
    rows = [(item.clause.number, None, item.question.text, item.question.evidence, ChecklistSource.LIBRARY)
            for item in library.checklist(audit.clauses)]
    for process in audit.processes.order_by("code"):
        rows += [(clause, process, text, hint, ChecklistSource.PROCESS)
                 for clause, text, hint in process_questions(process)]
    audit.checklist.all().delete()
    ChecklistItem.objects.bulk_create([
        ChecklistItem(agency_id=audit.agency_id, audit=audit, order=index, clause=clause, process=process,
                      question=text, guidance=hint, source=source)
        for index, (clause, process, text, hint, source) in enumerate(rows, start=1)
    ])
    audit_record(actor=actor, instance=audit, action=AuditAction.UPDATE,
                 note=_("Checklist built: %(count)s questions.") % {"count": len(rows)})
    return len(rows)


@transaction.atomic
def checklist_item_record(*, actor, item: ChecklistItem, result: str, evidence: str = "",
                          notes: str = "") -> ChecklistItem:
    """A team member records the result of one question, during the audit."""
    audit = item.audit
    _require_team_member(actor, audit)
    audit = _locked_audit(audit)
    _require_status(audit, (AuditStatus.IN_PROGRESS,), _("Results are recorded while the audit is in progress "
                                                         "(it is %(status)s)."))
    if result not in ChecklistResult.values:
        raise ApplicationError(_("Choose a result: conforming, nonconformity, observation or not applicable."),
                               code="invalid_result", errors={"result": [_("Choose a result from the list.")]})
    if result in (ChecklistResult.NONCONFORMITY, ChecklistResult.OBSERVATION) and not evidence.strip():
        raise ApplicationError(_("Write the evidence that supports this result."), code="evidence_required",
                               errors={"evidence": [_("This field is required.")]})
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    item.result, item.evidence, item.notes = result, evidence.strip(), notes.strip()
    item.recorded_by, item.recorded_at = actor, timezone.now()
    item.save()
    audit_record(actor=actor, instance=item, action=AuditAction.UPDATE, before=before)
    return item


# --- Findings -----------------------------------------------------------------------------------------------


def _raise(actor, finding: AuditFinding):
    from eiso.improvement.services import nonconformity_raise

    description = _("Internal audit %(audit)s, finding %(no)s (clause %(clause)s): %(description)s\nEvidence: "
                    "%(evidence)s") % {"audit": finding.audit.number, "no": finding.sequence,
                                       "clause": finding.clause, "description": finding.description,
                                       "evidence": finding.evidence}
    nonconformity = nonconformity_raise(actor=actor, agency=finding.audit.agency, description=description,
                                        source="audit_finding", grade=finding.grade, process=finding.process)
    finding.nonconformity = nonconformity
    finding.save(update_fields=["nonconformity", "updated_at"])
    return nonconformity


@transaction.atomic
def finding_record(*, actor, audit: InternalAudit, grade: str, clause: str, description: str, evidence: str,
                   process=None, checklist_item: ChecklistItem | None = None) -> AuditFinding:
    """A team member records a finding during the audit. A major or minor nonconformity is raised at once as a
    nonconformity (source: internal audit finding) and linked to the finding."""
    _require_team_member(actor, audit)
    audit = _locked_audit(audit)
    _require_status(audit, (AuditStatus.IN_PROGRESS,), _("Findings are recorded while the audit is in progress "
                                                         "(it is %(status)s)."))
    errors = {}
    if grade not in FindingGrade.values:
        errors["grade"] = [_("Choose a grade from the list.")]
    if not description.strip():
        errors["description"] = [_("Describe the finding.")]
    if not evidence.strip():
        errors["evidence"] = [_("Write the objective evidence.")]
    if errors:
        raise ApplicationError(" ".join(e[0] for e in errors.values()), code="invalid_finding", errors=errors)
    numbers = _clauses([clause], audit.library_version, field="clause")
    if not numbers:
        raise ApplicationError(_("Give the clause of the finding."), code="clause_required",
                               errors={"clause": [_("This field is required.")]})
    if process is not None and not audit.processes.filter(pk=process.pk).exists():
        message = _("Process %(process)s is not in the scope of this audit.") % {"process": process.code}
        raise ApplicationError(message, code="out_of_scope", errors={"process": [message]})
    if checklist_item is not None and checklist_item.audit_id != audit.pk:
        message = _("The checklist question belongs to another audit.")
        raise ApplicationError(message, code="other_audit", errors={"checklist_item": [message]})
    sequence = (audit.findings.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    finding = AuditFinding(agency_id=audit.agency_id, audit=audit, sequence=sequence, grade=grade, clause=numbers[0],
                           process=process, checklist_item=checklist_item, description=description.strip(),
                           evidence=evidence.strip(), recorded_by=actor, recorded_at=timezone.now())
    finding.full_clean()
    finding.save()
    audit_record(actor=actor, instance=finding, action=AuditAction.CREATE)
    if grade in NONCONFORMITY_GRADES:
        _raise(actor, finding)
    return finding


@transaction.atomic
def finding_raise_nonconformity(*, actor, finding: AuditFinding):
    """Raise a nonconformity for a finding not raised yet (an observation, on request): team members and the
    agency's managers."""
    audit = finding.audit
    if not (can_manage(actor, audit) or audit.is_team_member(actor)):
        raise PermissionDeniedError(_("Only the audit team, the agency head and the ISO coordinator raise a "
                                      "nonconformity from a finding."))
    finding = AuditFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.nonconformity_id:
        raise ApplicationError(_("Nonconformity %(number)s is already raised for this finding.")
                               % {"number": finding.nonconformity.number}, code="already_raised")
    if finding.grade not in RAISABLE_GRADES:
        raise ApplicationError(_("An opportunity for improvement is not a nonconformity."), code="not_raisable")
    before = snapshot(finding)
    nonconformity = _raise(actor, finding)
    audit_record(actor=actor, instance=finding, action=AuditAction.UPDATE, before=before,
                 note=_("Raised as nonconformity %(number)s.") % {"number": nonconformity.number})
    return nonconformity


# --- Transitions --------------------------------------------------------------------------------------------


@transaction.atomic
def audit_transition(*, actor, audit: InternalAudit, action: str, conclusions: str | None = None) -> InternalAudit:
    """Start (planned → in progress) or complete (in progress → completed; the conclusions may be given
    here) an audit: the managers and the lead auditor."""
    transition = transition_named(workflow.TRANSITIONS, action)
    if not (can_manage(actor, audit) or (actor is not None and audit.lead_auditor_id == actor.pk)):
        raise PermissionDeniedError(_("Only the agency head, the ISO coordinator and the lead auditor start and "
                                      "complete an audit."))
    audit = _locked_audit(audit)
    before = snapshot(audit)
    if conclusions is not None and conclusions.strip():
        audit.conclusions = conclusions.strip()  # read by the guard of "complete"; saved only if it passes
    transition_check(transition, audit, refused=_("“%(action)s” is not possible while the audit is %(status)s."))
    audit.status = transition.target
    if transition.target == AuditStatus.IN_PROGRESS:
        audit.started_at = timezone.now()
    if transition.target == AuditStatus.COMPLETED:
        from eiso.core.permissions import today

        audit.completed_on = today()
    audit.save()
    audit_record(actor=actor, instance=audit, action=AuditAction.TRANSITION, before=before,
                 note=str(transition.label))
    return audit
