"""Writes of nonconformities and corrective actions. Every write runs in a transaction, locks the
nonconformity's row, checks the actor's right, validates before changing anything, and leaves an audit
entry. A refusal raises ApplicationError (PermissionDeniedError for a missing right) and changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for
from eiso.core.workflow import transition_check, transition_named
from eiso.dossiers.choices import OPEN_STATUSES, Outcome
from eiso.improvement import workflow
from eiso.improvement.choices import (
    ActionStatus,
    AnalysisMethod,
    NonconformityGrade,
    NonconformitySource,
    NonconformityStatus,
)
from eiso.improvement.models import RAISERS, CorrectiveAction, Nonconformity, NonconformityCounter
from eiso.organizations.services import member_check

NUMBER_FORMAT = "NC-{year}-{seq:03d}"


# --- Rights -------------------------------------------------------------------------------------------------


def can_raise(user, agency) -> bool:
    """The agency's head, coordinator, staff and auditors raise nonconformities (None: the system)."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & RAISERS)


def can_manage(user, nonconformity: Nonconformity) -> bool:
    """Analyse, plan actions, verify and close: the agency head and the ISO coordinator."""
    if user is None:
        return True
    return Nonconformity.objects.restrict(user, "change").filter(pk=nonconformity.pk).exists()


def can_update_action(user, action: CorrectiveAction) -> bool:
    """A corrective action is updated by the managers and by its owner (who must still see it)."""
    if user is None or can_manage(user, action.nonconformity):
        return True
    return action.owner_id == user.pk and Nonconformity.objects.restrict(user, "view").filter(
        pk=action.nonconformity_id).exists()


def _require_manager(actor, nonconformity) -> None:
    if not can_manage(actor, nonconformity):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage nonconformities."))


def _locked(nonconformity: Nonconformity) -> Nonconformity:
    return Nonconformity.objects.select_for_update().get(pk=nonconformity.pk)


# --- Nonconformities ----------------------------------------------------------------------------------------


def nonconformity_number_next(*, agency, year: int) -> str:
    """The next number of the agency's year; the counter row stays locked until the caller commits, so
    concurrent raises get consecutive numbers and never the same one."""
    counter, _created = NonconformityCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return NUMBER_FORMAT.format(year=year, seq=counter.last)


@transaction.atomic
def nonconformity_raise(*, actor, agency, description: str, source: str = NonconformitySource.OTHER,
                        correction: str = "", grade: str = "", owner=None, dossier=None, process=None,
                        raised_at: dt.datetime | None = None) -> Nonconformity:
    """Record a nonconformity with the next number of the agency's year, in status raised."""
    if not can_raise(actor, agency):
        raise PermissionDeniedError(_("Only the agency's head, ISO coordinator, staff and internal auditors raise "
                                      "nonconformities."))
    if not description.strip():
        raise ApplicationError(_("Describe the nonconformity."), code="description_required",
                               errors={"description": [_("This field is required.")]})
    if source not in NonconformitySource.values:
        raise ApplicationError(_("Unknown source %(source)s.") % {"source": source}, code="unknown_source",
                               errors={"source": [_("Choose a source from the list.")]})
    if grade and grade not in NonconformityGrade.values:
        raise ApplicationError(_("Unknown grade %(grade)s.") % {"grade": grade}, code="unknown_grade",
                               errors={"grade": [_("Choose a grade from the list.")]})
    if dossier is not None and dossier.agency_id != agency.pk:
        raise ApplicationError(_("The dossier belongs to another agency."), code="other_agency",
                               errors={"dossier": [_("Choose a dossier of this agency.")]})
    if process is not None and process.agency_id != agency.pk:
        raise ApplicationError(_("The process belongs to another agency."), code="other_agency",
                               errors={"process": [_("Choose a process of this agency.")]})
    member_check(agency=agency, user=owner, field="owner")
    raised_at = raised_at or timezone.now()
    year = timezone.localtime(raised_at).year
    nonconformity = Nonconformity(
        agency=agency, year=year, number=nonconformity_number_next(agency=agency, year=year), source=source,
        dossier=dossier, process=process, description=description.strip(), correction=correction.strip(),
        grade=grade, raised_by=actor, raised_at=raised_at, owner=owner,
    )
    nonconformity.full_clean()
    nonconformity.save()
    audit_record(actor=actor, instance=nonconformity, action=AuditAction.CREATE)
    return nonconformity


@transaction.atomic
def nonconformity_update(*, actor, nonconformity: Nonconformity, description: str, correction: str = "",
                         grade: str = "", owner=None, process=None) -> Nonconformity:
    """Correct what was recorded when the nonconformity was raised (description, immediate correction, grade,
    owner, process): the head and the coordinator, while it is not closed."""
    _require_manager(actor, nonconformity)
    nonconformity = _locked(nonconformity)
    if nonconformity.status == NonconformityStatus.CLOSED:
        raise ApplicationError(_("A closed nonconformity cannot be changed."), code="invalid_status")
    if not (description or "").strip():
        raise ApplicationError(_("Describe the nonconformity."), code="description_required",
                               errors={"description": [_("This field is required.")]})
    if grade and grade not in NonconformityGrade.values:
        raise ApplicationError(_("Unknown grade %(grade)s.") % {"grade": grade}, code="unknown_grade",
                               errors={"grade": [_("Choose a grade from the list.")]})
    if process is not None and process.agency_id != nonconformity.agency_id:
        raise ApplicationError(_("The process belongs to another agency."), code="other_agency",
                               errors={"process": [_("Choose a process of this agency.")]})
    member_check(agency=nonconformity.agency, user=owner, field="owner")
    before = snapshot(nonconformity)
    nonconformity.description = description.strip()
    nonconformity.correction = (correction or "").strip()
    nonconformity.grade = grade or ""
    nonconformity.owner = owner
    nonconformity.process = process
    nonconformity.full_clean()
    nonconformity.save()
    audit_record(actor=actor, instance=nonconformity, action=AuditAction.UPDATE, before=before)
    return nonconformity


def dossier_is_late(dossier, now: dt.datetime | None = None) -> bool:
    """Finished late, or still open after its due moment."""
    if dossier.outcome == Outcome.LATE:
        return True
    now = now or timezone.now()
    return dossier.status in OPEN_STATUSES and dossier.due_at is not None and dossier.due_at < now


@transaction.atomic
def nonconformity_from_late_dossier(*, actor, dossier) -> Nonconformity:
    """Raise a nonconformity for a dossier that was (or still is) late, linked to it and to its process.
    Refused for a dossier that is not late, and while another open nonconformity exists for it."""
    if not dossier_is_late(dossier):
        raise ApplicationError(_("Dossier %(code)s is not late: no nonconformity is raised for it.")
                               % {"code": dossier}, code="dossier_not_late")
    open_one = Nonconformity.objects.filter(dossier=dossier).exclude(status=NonconformityStatus.CLOSED).first()
    if open_one is not None:
        raise ApplicationError(_("Nonconformity %(number)s is already open for dossier %(code)s.")
                               % {"number": open_one.number, "code": dossier}, code="already_raised")
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else "—"
    description = _("Dossier %(code)s (%(procedure)s) was not finished by its due time %(due)s.") % {
        "code": dossier, "procedure": dossier.procedure.name, "due": due}
    return nonconformity_raise(actor=actor, agency=dossier.agency, description=description,
                               source=NonconformitySource.LATE_DOSSIER, dossier=dossier, process=dossier.process)


@transaction.atomic
def nonconformity_analysis_record(*, actor, nonconformity: Nonconformity, method: str, analysis: str,
                                  root_cause: str) -> Nonconformity:
    """Record (or correct) the root-cause analysis; a raised nonconformity becomes analysed."""
    _require_manager(actor, nonconformity)
    nonconformity = _locked(nonconformity)
    if nonconformity.status not in workflow.ANALYSIS_ALLOWED:
        raise ApplicationError(_("The analysis can no longer be changed while the nonconformity is %(status)s.")
                               % {"status": nonconformity.get_status_display()}, code="invalid_status")
    errors = {}
    if method not in AnalysisMethod.values:
        errors["method"] = [_("Choose 5 whys or cause categories.")]
    if not analysis.strip():
        errors["analysis"] = [_("Write the successive whys, or the causes found in each category.")]
    if not root_cause.strip():
        errors["root_cause"] = [_("State the root cause.")]
    if errors:
        raise ApplicationError(_("Complete the root-cause analysis: method, analysis and root cause."),
                               code="analysis_incomplete", errors=errors)
    before = snapshot(nonconformity)
    nonconformity.analysis_method = method
    nonconformity.analysis = analysis.strip()
    nonconformity.root_cause = root_cause.strip()
    nonconformity.analysed_by = actor
    nonconformity.analysed_at = timezone.now()
    nonconformity.save()
    audit_record(actor=actor, instance=nonconformity, action=AuditAction.UPDATE, before=before)
    if nonconformity.status == NonconformityStatus.RAISED:
        nonconformity = _apply(actor, nonconformity, workflow.TRANSITIONS["analyse"])
    return nonconformity


def _apply(actor, nonconformity: Nonconformity, transition: workflow.Transition, note: str = "") -> Nonconformity:
    """Check the source status and every guard, then move; nothing is written when one fails."""
    transition_check(transition, nonconformity,
                     refused=_("“%(action)s” is not possible while the nonconformity is %(status)s."))
    before = snapshot(nonconformity)
    nonconformity.status = transition.target
    if transition.target == NonconformityStatus.CLOSED:
        nonconformity.closed_at = timezone.now()
    nonconformity.save()
    audit_record(actor=actor, instance=nonconformity, action=AuditAction.TRANSITION, before=before,
                 note=note or str(transition.label))
    return nonconformity


@transaction.atomic
def nonconformity_transition(*, actor, nonconformity: Nonconformity, action: str, note: str = "") -> Nonconformity:
    """Apply one of the workflow's manual transitions (analyse, start_actions, submit_verification, close)."""
    transition = transition_named(workflow.TRANSITIONS, action)
    _require_manager(actor, nonconformity)
    return _apply(actor, _locked(nonconformity), transition, note)


@transaction.atomic
def nonconformity_verify(*, actor, nonconformity: Nonconformity, is_effective: bool,
                         comment: str = "") -> Nonconformity:
    """Record the verification of effectiveness. Effective: the nonconformity may be closed. Not effective:
    it goes back to the corrective actions (a comment saying why is required)."""
    _require_manager(actor, nonconformity)
    nonconformity = _locked(nonconformity)
    if nonconformity.status != NonconformityStatus.VERIFICATION:
        raise ApplicationError(_("Send the nonconformity for verification first (every action done)."),
                               code="invalid_status")
    if not is_effective and not comment.strip():
        raise ApplicationError(_("Say why the actions were not effective."), code="comment_required",
                               errors={"comment": [_("This field is required.")]})
    before = snapshot(nonconformity)
    nonconformity.is_effective = bool(is_effective)
    nonconformity.verification_comment = comment.strip()
    nonconformity.verified_by = actor
    nonconformity.verified_at = timezone.now()
    nonconformity.save()
    audit_record(actor=actor, instance=nonconformity, action=AuditAction.UPDATE, before=before)
    if not is_effective:
        nonconformity = _apply(actor, nonconformity, workflow.TRANSITIONS["reopen"], note=comment.strip())
    return nonconformity


# --- Corrective actions -------------------------------------------------------------------------------------


@transaction.atomic
def corrective_action_add(*, actor, nonconformity: Nonconformity, description: str, owner,
                          due_on: dt.date) -> CorrectiveAction:
    """Plan a corrective action: only after the root-cause analysis, and before the verification."""
    _require_manager(actor, nonconformity)
    nonconformity = _locked(nonconformity)
    if nonconformity.status not in workflow.ACTIONS_ALLOWED:
        if nonconformity.status == NonconformityStatus.RAISED:
            message = _("Record the root-cause analysis before planning corrective actions.")
        else:
            message = _("Actions cannot be added while the nonconformity is %(status)s.") % {
                "status": nonconformity.get_status_display()}
        raise ApplicationError(message, code="invalid_status")
    if not description.strip():
        raise ApplicationError(_("Describe the action."), code="description_required",
                               errors={"description": [_("This field is required.")]})
    if owner is None:
        raise ApplicationError(_("Choose who owns the action."), code="owner_required",
                               errors={"owner": [_("This field is required.")]})
    member_check(agency=nonconformity.agency, user=owner, field="owner")
    action = CorrectiveAction(agency_id=nonconformity.agency_id, nonconformity=nonconformity,
                              description=description.strip(), owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.CREATE)
    return action


@transaction.atomic
def corrective_action_done(*, actor, action: CorrectiveAction, evidence: str) -> CorrectiveAction:
    """Mark an action done with the evidence that shows it (the managers, or the action's owner)."""
    if not can_update_action(actor, action):
        raise PermissionDeniedError(_("Only the action's owner, the agency head and the ISO coordinator update it."))
    _locked(action.nonconformity)
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status == ActionStatus.DONE:
        raise ApplicationError(_("This action is already done."), code="already_done")
    if action.nonconformity.status == NonconformityStatus.CLOSED:
        raise ApplicationError(_("The nonconformity is closed."), code="invalid_status")
    if not evidence.strip():
        raise ApplicationError(_("Say what shows that the action was done."), code="evidence_required",
                               errors={"evidence": [_("This field is required.")]})
    before = snapshot(action)
    action.status = ActionStatus.DONE
    action.done_at = timezone.now()
    action.evidence = evidence.strip()
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.UPDATE, before=before)
    return action
