"""Writes of consultants, their engagements with the province's agencies and the issues reported about their work.

Every write runs in a transaction, checks the actor's right first (PermissionDeniedError), validates before changing
anything and leaves an audit entry. Consultants and engagements are written by the supervisors of the consultant's
province (and administrators); an issue is also reported and resolved by the head or ISO coordinator of the agency
served. Engagements of one consultant with one agency do not overlap.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import AGENCY_MANAGERS, scope_for
from eiso.core.permissions import today as local_today
from eiso.trainings.choices import IssueStatus
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue
from eiso.trainings.services import (
    _clean,
    _errors,
    _refuse_fields,
    _require_authority,
    _require_supervising_authority,
    _text,
    is_authority,
)

CONSULTANT_FIELDS = ("name", "licence_number", "licence_issuer", "licence_issued_on", "licence_valid_until",
                     "address", "phone", "email", "contact_person", "experts", "notes", "is_active")
ENGAGEMENT_FIELDS = ("started_on", "ended_on", "scope_note")


def can_report_issue(user, engagement: ConsultantEngagement) -> bool:
    """The supervisors of the consultant's province, and the head and ISO coordinator of the agency served."""
    if user is None:
        return True
    scope = scope_for(user)
    return (is_authority(user, engagement.consultant.agency)
            or bool(scope.roles_in(engagement.agency_id) & AGENCY_MANAGERS))


def _consultant_errors(values: dict) -> dict:
    errors = {}
    if not _text(values.get("name")):
        errors["name"] = [_("This field is required.")]
    issued, until = values.get("licence_issued_on"), values.get("licence_valid_until")
    if issued and until and issued > until:
        errors["licence_valid_until"] = [_("The licence must end after it was issued.")]
    if (issued or until or _text(values.get("licence_issuer"))) and not _text(values.get("licence_number")):
        errors["licence_number"] = [_("Write the licence number (or leave the licence fields empty).")]
    return errors


def _consultant_values(values: dict) -> dict:
    cleaned = {}
    for name, value in values.items():
        cleaned[name] = _text(value) if isinstance(value, str) else value
    return cleaned


@transaction.atomic
def consultant_create(*, actor, authority, name: str, **fields) -> Consultant:
    """Register a consulting organisation with the province's authority."""
    _require_authority(actor, authority)
    _require_supervising_authority(authority)
    unknown = set(fields) - set(CONSULTANT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
                               code="unknown_fields")
    values = _consultant_values({"name": name, **fields})
    _errors(_consultant_errors(values))
    consultant = Consultant(agency=authority, **values)
    _clean(consultant)
    consultant.save()
    audit_record(actor=actor, instance=consultant, action=AuditAction.CREATE)
    return consultant


@transaction.atomic
def consultant_update(*, actor, consultant: Consultant, **changes) -> Consultant:
    unknown = set(changes) - set(CONSULTANT_FIELDS)
    if unknown:
        _refuse_fields(unknown)
    consultant = Consultant.objects.select_for_update().select_related("agency").get(pk=consultant.pk)
    _require_authority(actor, consultant.agency)
    values = {name: getattr(consultant, name) for name in CONSULTANT_FIELDS} | _consultant_values(changes)
    _errors(_consultant_errors(values))
    before = snapshot(consultant)
    for name, value in values.items():
        setattr(consultant, name, value)
    _clean(consultant)
    consultant.save()
    audit_record(actor=actor, instance=consultant, action=AuditAction.UPDATE, before=before)
    return consultant


# --- Engagements ------------------------------------------------------------------------------------------------


def _engagement_errors(consultant: Consultant, agency, values: dict, *, exclude_pk=None) -> dict:
    errors = {}
    if agency is None:
        errors["agency"] = [_("Choose the agency served.")]
    elif agency.province_id != consultant.agency.province_id:
        errors["agency"] = [_("%(agency)s is not an agency of the province.") % {"agency": agency}]
    start, end = values.get("started_on"), values.get("ended_on")
    if start is None:
        errors["started_on"] = [_("This field is required.")]
    if start and end and start > end:
        errors["ended_on"] = [_("The engagement must end on or after it starts.")]
    if agency is not None and start and not errors:
        others = ConsultantEngagement.objects.filter(consultant=consultant, agency=agency)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        for other in others:
            if other.started_on <= (end or dt.date.max) and start <= (other.ended_on or dt.date.max):
                errors["started_on"] = [_("%(consultant)s already works for %(agency)s from %(date)s: change that "
                                          "engagement instead.") % {"consultant": consultant, "agency": agency,
                                                                    "date": other.started_on.strftime("%d/%m/%Y")}]
                break
    return errors


@transaction.atomic
def engagement_add(*, actor, consultant: Consultant, agency, started_on: dt.date, ended_on: dt.date | None = None,
                   scope_note: str = "") -> ConsultantEngagement:
    """Record that the consultant works (or worked) for one of the province's agencies over a period."""
    consultant = Consultant.objects.select_for_update().select_related("agency").get(pk=consultant.pk)
    _require_authority(actor, consultant.agency)
    values = {"started_on": started_on, "ended_on": ended_on, "scope_note": scope_note}
    _errors(_engagement_errors(consultant, agency, values))
    engagement = ConsultantEngagement(agency=agency, consultant=consultant, started_on=started_on, ended_on=ended_on,
                                      scope_note=_text(scope_note))
    _clean(engagement)
    engagement.save()
    audit_record(actor=actor, instance=engagement, action=AuditAction.CREATE)
    return engagement


@transaction.atomic
def engagement_update(*, actor, engagement: ConsultantEngagement, **changes) -> ConsultantEngagement:
    """Change the period or the scope of an engagement (the consultant and the agency stay)."""
    unknown = set(changes) - set(ENGAGEMENT_FIELDS)
    if unknown:
        _refuse_fields(unknown)
    consultant = Consultant.objects.select_for_update().select_related("agency").get(pk=engagement.consultant_id)
    _require_authority(actor, consultant.agency)
    engagement = ConsultantEngagement.objects.select_related("agency").get(pk=engagement.pk)
    values = {name: getattr(engagement, name) for name in ENGAGEMENT_FIELDS} | changes
    _errors(_engagement_errors(consultant, engagement.agency, values, exclude_pk=engagement.pk))
    before = snapshot(engagement)
    for name, value in values.items():
        setattr(engagement, name, _text(value) if name == "scope_note" else value)
    _clean(engagement)
    engagement.save()
    audit_record(actor=actor, instance=engagement, action=AuditAction.UPDATE, before=before)
    return engagement


@transaction.atomic
def engagement_delete(*, actor, engagement: ConsultantEngagement) -> None:
    """Remove an engagement recorded by mistake (an engagement that ended is kept: set its last day instead)."""
    consultant = Consultant.objects.select_for_update().select_related("agency").get(pk=engagement.consultant_id)
    _require_authority(actor, consultant.agency)
    engagement = ConsultantEngagement.objects.get(pk=engagement.pk)
    audit_record(actor=actor, instance=engagement, action=AuditAction.DELETE, before=snapshot(engagement))
    engagement.delete()


# --- Issues -----------------------------------------------------------------------------------------------------


@transaction.atomic
def issue_report(*, actor, engagement: ConsultantEngagement, description: str,
                 reported_on: dt.date | None = None) -> ConsultantIssue:
    """Report a problem with a consultant's work for the agency of `engagement`."""
    engagement = ConsultantEngagement.objects.select_related("consultant", "consultant__agency", "agency").get(
        pk=engagement.pk)
    if not can_report_issue(actor, engagement):
        raise PermissionDeniedError(_("Issues with a consultant are reported by the supervisors of the province and "
                                      "by the head or ISO coordinator of the agency served."))
    reported_on = reported_on or local_today()
    errors = {}
    if not _text(description):
        errors["description"] = [_("Describe the issue.")]
    if reported_on > local_today():
        errors["reported_on"] = [_("The date cannot be in the future.")]
    _errors(errors)
    issue = ConsultantIssue(agency=engagement.agency, consultant=engagement.consultant, reported_on=reported_on,
                            description=_text(description),
                            reported_by=actor if actor is not None and actor.is_authenticated else None)
    _clean(issue)
    issue.save()
    audit_record(actor=actor, instance=issue, action=AuditAction.CREATE)
    return issue


@transaction.atomic
def issue_resolve(*, actor, issue: ConsultantIssue, resolution: str,
                  resolved_on: dt.date | None = None) -> ConsultantIssue:
    """Record how an open issue was resolved (by the supervisors or the agency's head or ISO coordinator)."""
    issue = ConsultantIssue.objects.select_for_update().get(pk=issue.pk)
    if actor is not None and not ConsultantIssue.objects.restrict(actor, "change").filter(pk=issue.pk).exists():
        raise PermissionDeniedError(_("Issues with a consultant are resolved by the supervisors of the province and "
                                      "by the head or ISO coordinator of the agency served."))
    if issue.status != IssueStatus.OPEN:
        raise ApplicationError(_("This issue is already resolved."), code="invalid_status")
    if not _text(resolution):
        raise ApplicationError(_("Describe how the issue was resolved."), code="invalid",
                               errors={"resolution": [_("This field is required.")]})
    resolved_on = resolved_on or local_today()
    if resolved_on < issue.reported_on:
        raise ApplicationError(_("An issue cannot be resolved before it was reported."), code="invalid",
                               errors={"resolved_on": [_("On or after %(date)s.") % {
                                   "date": issue.reported_on.strftime("%d/%m/%Y")}]})
    before = snapshot(issue)
    issue.status, issue.resolution, issue.resolved_on = IssueStatus.RESOLVED, _text(resolution), resolved_on
    _clean(issue)
    issue.save()
    audit_record(actor=actor, instance=issue, action=AuditAction.TRANSITION, before=before, note=_("Resolved"))
    return issue
