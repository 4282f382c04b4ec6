"""Writes of the context, the risk matrix, risks and their treatment actions. Every write runs in a
transaction, checks the actor's right first, validates before changing anything, and leaves an audit entry.
A refusal raises ApplicationError (PermissionDeniedError for a missing right) and changes nothing.

`actor=None` is the system (seeding, tests): it may do everything."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import AGENCY_MANAGERS, scope_for, today
from eiso.core.services import text_required
from eiso.core.workflow import transition_check, transition_named
from eiso.organizations.services import member_check
from eiso.risks import workflow
from eiso.risks.choices import (
    TREATMENTS_BY_KIND,
    ContextIssueKind,
    ContextIssueStatus,
    RiskActionStatus,
    RiskKind,
    RiskStatus,
)
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction, RiskMatrix
from eiso.risks.selectors import default_matrix

SCALE_SIZES = range(3, 6)

# --- Rights -------------------------------------------------------------------------------------------------


def can_manage(user, agency) -> bool:
    """The agency head and the ISO coordinator manage the context, the matrix and the risks."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & AGENCY_MANAGERS)


def can_update_action(user, action: RiskAction) -> bool:
    """A treatment action is updated by the managers and by its owner (who must still see the risk)."""
    if user is None or can_manage(user, action.risk.agency):
        return True
    return action.owner_id == user.pk and Risk.objects.restrict(user, "view").filter(pk=action.risk_id).exists()


def require_manager(actor, agency) -> None:
    if not can_manage(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage the context and the "
                                      "risks."))


def _check_member(agency, user, field: str) -> None:
    """A person is required here: the action's owner."""
    if user is None:
        raise ApplicationError(_("Choose who owns the action."), code="owner_required",
                               errors={field: [_("This field is required.")]})
    member_check(agency=agency, user=user, field=field)


def _choice(value: str, choices, field: str) -> str:
    if value not in choices:
        raise ApplicationError(_("Unknown value %(value)s for %(field)s.") % {"value": value, "field": field},
                               code=f"unknown_{field}", errors={field: [_("Choose a value from the list.")]})
    return value


# --- Context issues and interested parties ------------------------------------------------------------------


def _issue_values(kind, description, effect, status, identified_on, reviewed_on) -> dict:
    _choice(kind, ContextIssueKind.values, "kind")
    _choice(status, ContextIssueStatus.values, "status")
    description = text_required(description, "description", _("Describe the issue."))
    if identified_on is None:
        raise ApplicationError(_("Say when the issue was identified."), code="identified_on_required",
                               errors={"identified_on": [_("This field is required.")]})
    if reviewed_on is not None and reviewed_on < identified_on:
        raise ApplicationError(_("The review date is before the date the issue was identified."),
                               code="invalid_dates", errors={"reviewed_on": [_("Enter a later date.")]})
    return {"kind": kind, "description": description, "effect": (effect or "").strip(), "status": status,
            "identified_on": identified_on, "reviewed_on": reviewed_on}


@transaction.atomic
def context_issue_create(*, actor, agency, kind: str, description: str, effect: str = "",
                         status: str = ContextIssueStatus.ACTIVE, identified_on: dt.date | None = None,
                         reviewed_on: dt.date | None = None) -> ContextIssue:
    """Record an internal or external issue of the agency's context (clause 4.1)."""
    require_manager(actor, agency)
    values = _issue_values(kind, description, effect, status, identified_on or today(), reviewed_on)
    issue = ContextIssue(agency=agency, **values)
    issue.full_clean()
    issue.save()
    audit_record(actor=actor, instance=issue, action=AuditAction.CREATE)
    return issue


@transaction.atomic
def context_issue_update(*, actor, issue: ContextIssue, kind: str, description: str, effect: str, status: str,
                         identified_on: dt.date, reviewed_on: dt.date | None) -> ContextIssue:
    """Correct an issue, mark it reviewed or no longer relevant (it is kept for the management review)."""
    require_manager(actor, issue.agency)
    issue = ContextIssue.objects.select_for_update().get(pk=issue.pk)
    values = _issue_values(kind, description, effect, status, identified_on, reviewed_on)
    before = snapshot(issue)
    for name, value in values.items():
        setattr(issue, name, value)
    issue.full_clean()
    issue.save()
    audit_record(actor=actor, instance=issue, action=AuditAction.UPDATE, before=before)
    return issue


def _party_values(name, requirements, monitoring) -> dict:
    return {"name": text_required(name, "name", _("Name the interested party.")),
            "requirements": text_required(requirements, "requirements", _("State the party's requirements.")),
            "monitoring": (monitoring or "").strip()}


@transaction.atomic
def interested_party_create(*, actor, agency, name: str, requirements: str, monitoring: str = "") -> InterestedParty:
    """Record an interested party and its requirements (clause 4.2)."""
    require_manager(actor, agency)
    party = InterestedParty(agency=agency, **_party_values(name, requirements, monitoring))
    party.full_clean()
    party.save()
    audit_record(actor=actor, instance=party, action=AuditAction.CREATE)
    return party


@transaction.atomic
def interested_party_update(*, actor, party: InterestedParty, name: str, requirements: str,
                            monitoring: str) -> InterestedParty:
    require_manager(actor, party.agency)
    party = InterestedParty.objects.select_for_update().get(pk=party.pk)
    before = snapshot(party)
    for field, value in _party_values(name, requirements, monitoring).items():
        setattr(party, field, value)
    party.full_clean()
    party.save()
    audit_record(actor=actor, instance=party, action=AuditAction.UPDATE, before=before)
    return party


# --- The risk matrix ----------------------------------------------------------------------------------------


def risk_matrix_ensure(*, agency) -> RiskMatrix:
    """The agency's stored matrix, created with the defaults (5×5, low ≤ 4, medium ≤ 12) on first use; its row
    stays locked until the caller commits. Call inside a transaction."""
    matrix = RiskMatrix.objects.select_for_update().filter(agency=agency).first()
    if matrix is None:
        matrix = default_matrix(agency)
        matrix.save()
        audit_record(actor=None, instance=matrix, action=AuditAction.CREATE, note=_("Created with the defaults."))
    return matrix


def _clean_labels(labels, size: int, field: str, name) -> tuple[list, dict]:
    if isinstance(labels, str):
        labels = labels.splitlines()
    cleaned = [str(label).strip() for label in (labels or []) if str(label).strip()]
    if len(cleaned) != size:
        return cleaned, {field: [_("Give %(size)s labels for the %(scale)s scale, one per step (you gave "
                                   "%(count)s).") % {"size": size, "scale": name, "count": len(cleaned)}]}
    return cleaned, {}


def matrix_errors(*, likelihood_size, consequence_size, likelihood_labels, consequence_labels, low_max,
                  medium_max) -> tuple[dict, dict]:
    """(cleaned values, errors by field) of a matrix configuration."""
    errors: dict = {}
    for field, size in (("likelihood_size", likelihood_size), ("consequence_size", consequence_size)):
        if not isinstance(size, int) or size not in SCALE_SIZES:
            errors[field] = [_("A scale has 3 to 5 steps.")]
    values = {"likelihood_size": likelihood_size, "consequence_size": consequence_size, "low_max": low_max,
              "medium_max": medium_max}
    if not errors:
        values["likelihood_labels"], label_errors = _clean_labels(likelihood_labels, likelihood_size,
                                                                  "likelihood_labels", _("likelihood"))
        errors.update(label_errors)
        values["consequence_labels"], label_errors = _clean_labels(consequence_labels, consequence_size,
                                                                   "consequence_labels", _("consequence"))
        errors.update(label_errors)
        top = likelihood_size * consequence_size
        if not isinstance(low_max, int) or low_max < 1:
            errors["low_max"] = [_("The highest low score is at least 1.")]
        elif not isinstance(medium_max, int) or medium_max <= low_max:
            errors["medium_max"] = [_("The thresholds must increase: the highest medium score must be above the "
                                      "highest low score (%(low)s).") % {"low": low_max}]
        elif medium_max >= top:
            errors["medium_max"] = [_("The highest medium score must be below the highest score of the matrix "
                                      "(%(top)s), or no risk could be high.") % {"top": top}]
    return values, errors


@transaction.atomic
def risk_matrix_update(*, actor, agency, likelihood_size: int, consequence_size: int, likelihood_labels,
                       consequence_labels, low_max: int, medium_max: int) -> RiskMatrix:
    """Configure the agency's matrix and recompute the stored levels of its risks. Refused when a scale would
    no longer hold the likelihood or consequence of an existing risk."""
    require_manager(actor, agency)
    values, errors = matrix_errors(likelihood_size=likelihood_size, consequence_size=consequence_size,
                                   likelihood_labels=likelihood_labels, consequence_labels=consequence_labels,
                                   low_max=low_max, medium_max=medium_max)
    if errors:
        raise ApplicationError(_("Correct the matrix: %(problems)s") % {
            "problems": " ".join(str(m) for messages in errors.values() for m in messages)},
            code="invalid_matrix", errors=errors)
    matrix = risk_matrix_ensure(agency=agency)
    risks = Risk.objects.select_for_update().filter(agency=agency)
    beyond = [r for r in risks if max(r.likelihood, r.residual_likelihood or 0) > likelihood_size
              or max(r.consequence, r.residual_consequence or 0) > consequence_size]
    if beyond:
        raise ApplicationError(
            _("%(count)s risks are assessed beyond the new scales (e.g. “%(risk)s”): reassess them first or keep "
              "larger scales.") % {"count": len(beyond), "risk": beyond[0]}, code="risks_beyond_scale",
            errors={"likelihood_size": [_("Existing risks use higher steps.")]})
    before = snapshot(matrix)
    for field, value in values.items():
        setattr(matrix, field, value)
    matrix.full_clean()
    matrix.save()
    audit_record(actor=actor, instance=matrix, action=AuditAction.UPDATE, before=before)
    for risk in risks:
        level = matrix.level_for(risk.likelihood, risk.consequence)
        residual = matrix.level_for(risk.residual_likelihood, risk.residual_consequence)
        if (level, residual) != (risk.level, risk.residual_level):
            Risk.objects.filter(pk=risk.pk).update(level=level, residual_level=residual)
    return matrix


def _check_scores(matrix: RiskMatrix, likelihood, consequence, prefix: str = "") -> None:
    errors = {}
    for field, value, size in (("likelihood", likelihood, matrix.likelihood_size),
                               ("consequence", consequence, matrix.consequence_size)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= size:
            errors[prefix + field] = [_("Choose a step from 1 to %(size)s (the agency's risk matrix).")
                                      % {"size": size}]
    if errors:
        raise ApplicationError(
            _("Likelihood and consequence must lie within the agency's risk matrix: likelihood 1 to %(l)s, "
              "consequence 1 to %(c)s.") % {"l": matrix.likelihood_size, "c": matrix.consequence_size},
            code="outside_matrix", errors=errors)


# --- Risks --------------------------------------------------------------------------------------------------


def _risk_values(agency, matrix, *, kind, description, cause, consequence_description, likelihood, consequence,
                 treatment, process, identified_on) -> dict:
    _choice(kind, RiskKind.values, "kind")
    description = text_required(description, "description", _("Describe the risk or opportunity."))
    _check_scores(matrix, likelihood, consequence)
    if treatment and treatment not in TREATMENTS_BY_KIND[kind]:
        allowed = ", ".join(str(t.label) for t in TREATMENTS_BY_KIND[kind])
        raise ApplicationError(_("This treatment option does not suit a %(kind)s: choose one of %(allowed)s.")
                               % {"kind": RiskKind(kind).label, "allowed": allowed}, code="invalid_treatment",
                               errors={"treatment": [_("Choose a treatment option that suits the kind.")]})
    if process is not None and process.agency_id != agency.pk:
        raise ApplicationError(_("The process belongs to another agency."), code="other_agency",
                               errors={"process": [_("Choose a process of this agency.")]})
    return {"kind": kind, "description": description, "cause": (cause or "").strip(),
            "consequence_description": (consequence_description or "").strip(), "likelihood": likelihood,
            "consequence": consequence, "level": matrix.level_for(likelihood, consequence),
            "treatment": treatment or "", "process": process, "identified_on": identified_on or today()}


@transaction.atomic
def risk_create(*, actor, agency, description: str, likelihood: int, consequence: int, kind: str = RiskKind.RISK,
                cause: str = "", consequence_description: str = "", treatment: str = "", process=None,
                identified_on: dt.date | None = None) -> Risk:
    """Record a risk or opportunity assessed on the agency's matrix (created with the defaults on first use);
    its level is computed and stored."""
    require_manager(actor, agency)
    matrix = risk_matrix_ensure(agency=agency)
    values = _risk_values(agency, matrix, kind=kind, description=description, cause=cause,
                          consequence_description=consequence_description, likelihood=likelihood,
                          consequence=consequence, treatment=treatment, process=process, identified_on=identified_on)
    risk = Risk(agency=agency, **values)
    risk.full_clean()
    risk.save()
    audit_record(actor=actor, instance=risk, action=AuditAction.CREATE)
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, description: str, likelihood: int, consequence: int, kind: str,
                cause: str = "", consequence_description: str = "", treatment: str = "", process=None,
                identified_on: dt.date | None = None) -> Risk:
    """Correct the assessment while the risk is open or under treatment; the level is recomputed."""
    require_manager(actor, risk.agency)
    matrix = risk_matrix_ensure(agency=risk.agency)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.status not in workflow.EDIT_ALLOWED:
        raise ApplicationError(_("The assessment can no longer be changed while the risk is %(status)s.")
                               % {"status": risk.get_status_display()}, code="invalid_status")
    if kind != risk.kind and risk.actions.exists():
        raise ApplicationError(_("The kind cannot change once treatment actions are planned."), code="kind_locked",
                               errors={"kind": [_("Keep the kind, or record a new entry.")]})
    values = _risk_values(risk.agency, matrix, kind=kind, description=description, cause=cause,
                          consequence_description=consequence_description, likelihood=likelihood,
                          consequence=consequence, treatment=treatment, process=process,
                          identified_on=identified_on or risk.identified_on)
    if risk.status == RiskStatus.TREATING and not values["treatment"]:
        raise ApplicationError(_("A risk under treatment keeps a treatment option."), code="treatment_required",
                               errors={"treatment": [_("This field is required.")]})
    before = snapshot(risk)
    for field, value in values.items():
        setattr(risk, field, value)
    risk.full_clean()
    risk.save()
    audit_record(actor=actor, instance=risk, action=AuditAction.UPDATE, before=before)
    return risk


def _apply(actor, risk: Risk, transition: workflow.Transition, note: str = "") -> Risk:
    """Check the source status and every guard, then move; nothing is written when one fails."""
    transition_check(transition, risk, refused=_("“%(action)s” is not possible while the risk is %(status)s."))
    before = snapshot(risk)
    risk.status = transition.target
    if transition.target == RiskStatus.CLOSED:
        risk.closed_at = timezone.now()
    risk.save()
    audit_record(actor=actor, instance=risk, action=AuditAction.TRANSITION, before=before,
                 note=note or str(transition.label))
    return risk


@transaction.atomic
def risk_transition(*, actor, risk: Risk, action: str, note: str = "") -> Risk:
    """Apply one of the workflow's manual transitions (start_treatment, close)."""
    transition = transition_named(workflow.TRANSITIONS, action)
    require_manager(actor, risk.agency)
    return _apply(actor, Risk.objects.select_for_update().get(pk=risk.pk), transition, note)


@transaction.atomic
def risk_review(*, actor, risk: Risk, residual_likelihood: int, residual_consequence: int, is_effective: bool,
                comment: str = "", reviewed_on: dt.date | None = None) -> Risk:
    """Record the effectiveness review with the residual assessment, once every action is done. Effective:
    the risk becomes reviewed (it may then be closed). Not effective: it stays under treatment (a comment
    saying why is required) so that more actions can be planned."""
    require_manager(actor, risk.agency)
    matrix = risk_matrix_ensure(agency=risk.agency)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.status not in workflow.REVIEW_ALLOWED:
        raise ApplicationError(_("Start the treatment first: the review follows the treatment actions."),
                               code="invalid_status")
    message = workflow.actions_open(risk)
    if message:
        raise ApplicationError(message, code="guard_actions_open")
    _check_scores(matrix, residual_likelihood, residual_consequence, prefix="residual_")
    if not is_effective and not (comment or "").strip():
        raise ApplicationError(_("Say why the actions were not effective."), code="comment_required",
                               errors={"comment": [_("This field is required.")]})
    reviewed_on = reviewed_on or today()
    if reviewed_on > today():
        raise ApplicationError(_("The review date is in the future."), code="future_date",
                               errors={"reviewed_on": [_("Enter today's date or an earlier one.")]})
    before = snapshot(risk)
    risk.residual_likelihood = residual_likelihood
    risk.residual_consequence = residual_consequence
    risk.residual_level = matrix.level_for(residual_likelihood, residual_consequence)
    risk.is_effective = bool(is_effective)
    risk.review_comment = (comment or "").strip()
    risk.reviewer = actor if actor is not None and actor.is_authenticated else None
    risk.reviewed_on = reviewed_on
    risk.save()
    audit_record(actor=actor, instance=risk, action=AuditAction.UPDATE, before=before)
    if is_effective:
        risk = _apply(actor, risk, workflow.TRANSITIONS["review"])
    return risk


# --- Treatment actions --------------------------------------------------------------------------------------


@transaction.atomic
def risk_action_add(*, actor, risk: Risk, description: str, owner, due_on: dt.date | None) -> RiskAction:
    """Plan a treatment action while the risk is open or under treatment."""
    require_manager(actor, risk.agency)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.status not in workflow.ACTIONS_ALLOWED:
        raise ApplicationError(_("Actions cannot be added while the risk is %(status)s.")
                               % {"status": risk.get_status_display()}, code="invalid_status")
    description = text_required(description, "description", _("Describe the action."))
    _check_member(risk.agency, owner, "owner")
    if due_on is None:
        raise ApplicationError(_("Give the action a due date."), code="due_on_required",
                               errors={"due_on": [_("This field is required.")]})
    action = RiskAction(agency_id=risk.agency_id, risk=risk, description=description, owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.CREATE)
    return action


@transaction.atomic
def risk_action_done(*, actor, action: RiskAction, evidence: str) -> RiskAction:
    """Mark an action done with the evidence that shows it (the managers, or the action's owner)."""
    if not can_update_action(actor, action):
        raise PermissionDeniedError(_("Only the action's owner, the agency head and the ISO coordinator update it."))
    risk = Risk.objects.select_for_update().get(pk=action.risk_id)
    action = RiskAction.objects.select_for_update().get(pk=action.pk)
    if action.status == RiskActionStatus.DONE:
        raise ApplicationError(_("This action is already done."), code="already_done")
    if risk.status == RiskStatus.CLOSED:
        raise ApplicationError(_("The risk is closed."), code="invalid_status")
    evidence = text_required(evidence, "evidence", _("Say what shows that the action was done."))
    before = snapshot(action)
    action.status = RiskActionStatus.DONE
    action.done_at = timezone.now()
    action.evidence = evidence
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.UPDATE, before=before)
    return action
