"""Writes of an inspection: its decision, checklist, findings, minutes and the agency's corrective-action report (the
plan's writes are in `plans.py`, who may write what in `rights.py`).

Every write runs in a transaction, checks the actor's right first, validates before changing anything and leaves an
audit entry; a refusal raises ApplicationError (PermissionDeniedError for a missing right) and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.dates import add_months
from eiso.core.errors import ApplicationError
from eiso.core.models import AuditAction
from eiso.core.numbering import next_number
from eiso.core.permissions import today
from eiso.core.workflow import transition_check, transition_named
from eiso.inspections import points as art36
from eiso.inspections import rights, workflow
from eiso.inspections.choices import (
    FindingStatus,
    InspectionStatus,
    PointResult,
)
from eiso.inspections.models import (
    Inspection,
    InspectionChecklistItem,
    InspectionFinding,
)

# --- Rules as data -------------------------------------------------------------------------------------------


def report_months() -> int:
    """Calendar months the agency has for its corrective-action report after the signed minutes (DOMAIN: 2)."""
    return int(settings.EISO.get("INSPECTION_REPORT_MONTHS", 2))


DEFAULT_GROUNDS = (
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống "
    "quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ "
    "thống hành chính nhà nước;\n"
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy định "
    "chi tiết thi hành Quyết định số 19/2014/QĐ-TTg;\n"
    "Căn cứ Kế hoạch kiểm tra số {plan} về kiểm tra việc áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng "
    "năm {year};"
)


def default_grounds(inspection: Inspection) -> str:
    plan = inspection.plan
    return DEFAULT_GROUNDS.format(plan=plan.label, year=plan.year)


# --- The decision and the checklist ---------------------------------------------------------------------------

DECISION_FIELDS = ("decision_on", "team", "decision_signer", "decision_signer_position", "on_site_on",
                   "decision_grounds")


@transaction.atomic
def inspection_decide(*, actor, inspection: Inspection, decision_on: dt.date | None, team: str,
                      decision_signer: str, decision_signer_position: str = "", on_site_on: dt.date | None = None,
                      decision_grounds: str = "") -> Inspection:
    """Record the inspection decision (planned → decided) with the next decision number of the authority's year, and
    prepare the checklist; on a decided inspection, correct the decision (its number stays)."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    transition = workflow.TRANSITIONS["decide"]
    if inspection.status not in (InspectionStatus.PLANNED, InspectionStatus.DECIDED):
        raise ApplicationError(_("The minutes are signed: the decision can no longer change."), code="invalid_status")
    before = snapshot(inspection)
    inspection.decision_on = decision_on
    inspection.team = "\n".join(line.strip() for line in (team or "").splitlines() if line.strip())
    inspection.decision_signer = (decision_signer or "").strip()
    inspection.decision_signer_position = (decision_signer_position or "").strip()
    inspection.on_site_on = on_site_on
    inspection.decision_grounds = (decision_grounds or "").strip() or default_grounds(inspection)
    if inspection.status == InspectionStatus.PLANNED:
        transition_check(transition, inspection, refused=_("“%(action)s” is not possible while the inspection is "
                                                           "%(status)s."))
        inspection.decision_number = next_number(
            Inspection.objects.filter(authority_id=inspection.authority_id, year=inspection.year),
            field="decision_number", lock=inspection.authority)
        inspection.status = transition.target
        inspection.decided_at = timezone.now()
    else:
        message = workflow.decision_incomplete(inspection)
        if message:
            raise ApplicationError(message, code="guard_decision_incomplete")
    inspection.full_clean()
    inspection.save()
    audit_record(actor=actor, instance=inspection, action=AuditAction.TRANSITION if before["status"] !=
                 inspection.status else AuditAction.UPDATE, before=before, note=str(transition.label))
    _checklist_fill(inspection)
    return inspection


def _checklist_fill(inspection: Inspection) -> int:
    """Create the missing checklist items (one per Art. 36 point) and read the "eISO records show" column again.
    Returns how many items were added."""
    now = timezone.now()
    existing = {item.key: item for item in inspection.checklist.all()}
    states = art36.point_states(agency=inspection.agency, year=inspection.year)
    added = 0
    for order, point in enumerate(art36.points()):
        item = existing.get(point.key)
        met, detail = (states or {}).get(point.key, (None, ""))
        if item is None:
            InspectionChecklistItem.objects.create(
                agency_id=inspection.agency_id, inspection=inspection, key=point.key, order=order,
                title=point.title[:300], records_met=met, records_detail=detail,
                records_at=now if states is not None else None)
            added += 1
        elif states is not None:
            item.order, item.records_met, item.records_detail, item.records_at = order, met, detail, now
            item.save(update_fields=["order", "records_met", "records_detail", "records_at", "updated_at"])
    return added


@transaction.atomic
def checklist_prepare(*, actor, inspection: Inspection) -> Inspection:
    """Add the missing Art. 36 points to the checklist and refresh what eISO's records show (decided inspections:
    results and evidence notes are kept)."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    if inspection.status != InspectionStatus.DECIDED:
        raise ApplicationError(_("The checklist is prepared once the decision is issued, until the minutes are "
                                 "signed."), code="invalid_status")
    before = snapshot(inspection)
    _checklist_fill(inspection)
    audit_record(actor=actor, instance=inspection, action=AuditAction.UPDATE, before=before,
                 note=_("Checklist read from eISO's records"))
    return inspection


@transaction.atomic
def checklist_record(*, actor, inspection: Inspection, results: dict) -> Inspection:
    """Record the team's result and evidence note of checklist points: {key: {"result": ..., "evidence": ...}}
    (a point left out keeps what it had). Refused as a whole when one key or result is unknown."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    if inspection.status != InspectionStatus.DECIDED:
        raise ApplicationError(_("The checklist is recorded after the decision and before the minutes are signed."),
                               code="invalid_status")
    items = {item.key: item for item in inspection.checklist.all()}
    errors = {}
    for key, values in results.items():
        if key not in items:
            errors[key] = [_("Unknown inspection point: prepare the checklist first.")]
        elif (values.get("result") or "") not in ("", *PointResult.values):
            errors[key] = [_("Choose conform, not conform or not applicable.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], code="invalid_checklist", errors=errors)
    for key, values in results.items():
        item = items[key]
        before = snapshot(item)
        item.result = values.get("result") or ""
        item.evidence = (values.get("evidence") if values.get("evidence") is not None else item.evidence).strip()
        if snapshot(item) != before:
            item.save()
            audit_record(actor=actor, instance=item, action=AuditAction.UPDATE, before=before)
    return inspection


# --- Findings ------------------------------------------------------------------------------------------------


@transaction.atomic
def finding_add(*, actor, inspection: Inspection, point_key: str, description: str,
                required_action: str) -> InspectionFinding:
    """Record a finding with the corrective action required (after the decision, before the minutes are signed)."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    if inspection.status != InspectionStatus.DECIDED:
        raise ApplicationError(_("Findings are recorded after the decision and before the minutes are signed."),
                               code="invalid_status")
    errors = {}
    if point_key and point_key not in {point.key for point in art36.points()}:
        errors["point_key"] = [_("Choose an inspection point from the list (or none).")]
    if not (description or "").strip():
        errors["description"] = [_("This field is required.")]
    if not (required_action or "").strip():
        errors["required_action"] = [_("This field is required.")]
    if errors:
        raise ApplicationError(_("Describe the finding and the corrective action required."), code="invalid_finding",
                               errors=errors)
    finding = InspectionFinding(agency_id=inspection.agency_id, inspection=inspection, point_key=point_key or "",
                                description=description.strip(), required_action=required_action.strip())
    finding.full_clean()
    finding.save()
    audit_record(actor=actor, instance=finding, action=AuditAction.CREATE)
    return finding


@transaction.atomic
def finding_remove(*, actor, finding: InspectionFinding) -> None:
    rights.require_inspector(actor, finding.inspection)
    inspection = rights.locked(finding.inspection)
    if inspection.status != InspectionStatus.DECIDED:
        raise ApplicationError(_("The minutes are signed: their findings can no longer be removed."),
                               code="invalid_status")
    audit_record(actor=actor, instance=finding, action=AuditAction.DELETE, before=snapshot(finding))
    finding.delete()


# --- The minutes ---------------------------------------------------------------------------------------------


@transaction.atomic
def minutes_sign(*, actor, inspection: Inspection, signed_on: dt.date | None, place: str, participants: str,
                 conclusion: str, agency_representative: str, agency_representative_position: str = "") -> Inspection:
    """Record the minutes signed by the team leader and the agency head (decided → minutes signed): every point has a
    result and every point that does not conform has a finding. With findings, the corrective-action report is due
    `report_months()` calendar months after the signing day."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    transition = workflow.TRANSITIONS["sign"]
    before = snapshot(inspection)
    inspection.minutes_signed_on = signed_on
    inspection.minutes_place = (place or "").strip()
    inspection.participants = "\n".join(line.strip() for line in (participants or "").splitlines() if line.strip())
    inspection.conclusion = (conclusion or "").strip()
    inspection.agency_representative = (agency_representative or "").strip()
    inspection.agency_representative_position = (agency_representative_position or "").strip()
    transition_check(transition, inspection, refused=_("“%(action)s” is not possible while the inspection is "
                                                       "%(status)s."))
    inspection.status = transition.target
    inspection.report_due_on = (add_months(signed_on, report_months()) if inspection.findings.exists() else None)
    inspection.full_clean()
    inspection.save()
    audit_record(actor=actor, instance=inspection, action=AuditAction.TRANSITION, before=before,
                 note=str(transition.label))
    return inspection


# --- The corrective-action report ------------------------------------------------------------------------------


@transaction.atomic
def finding_action_record(*, actor, finding: InspectionFinding, action_taken: str,
                          evidence: str = "") -> InspectionFinding:
    """The agency records the action taken on a finding and its evidence, before it submits its report."""
    inspection = finding.inspection
    rights.require_reporter(actor, inspection)
    inspection = rights.locked(inspection)
    finding = InspectionFinding.objects.select_for_update().get(pk=finding.pk)
    if inspection.status != InspectionStatus.MINUTES_SIGNED:
        message = (_("The report is submitted: wait for the supervising authority's review.")
                   if inspection.status == InspectionStatus.REPORT_SUBMITTED
                   else _("Corrective actions are recorded after the minutes are signed, until the report is "
                          "submitted."))
        raise ApplicationError(message, code="invalid_status")
    if finding.status == FindingStatus.CLOSED:
        raise ApplicationError(_("This finding is closed."), code="finding_closed")
    if not (action_taken or "").strip():
        rights.refuse(_("Say what was done to correct the finding."), "action_required", "action_taken")
    before = snapshot(finding)
    finding.action_taken = action_taken.strip()
    finding.action_evidence = (evidence or "").strip()
    finding.action_recorded_at = timezone.now()
    finding.save()
    audit_record(actor=actor, instance=finding, action=AuditAction.UPDATE, before=before)
    return finding


@transaction.atomic
def report_submit(*, actor, inspection: Inspection, summary: str = "", on: dt.date | None = None) -> Inspection:
    """The agency submits its corrective-action report (minutes signed → report submitted): every open finding has
    its action. Late submissions are accepted and counted late."""
    rights.require_reporter(actor, inspection)
    inspection = rights.locked(inspection)
    transition = transition_named(workflow.TRANSITIONS, "submit_report")
    transition_check(transition, inspection, refused=_("“%(action)s” is not possible while the inspection is "
                                                       "%(status)s."))
    before = snapshot(inspection)
    day = on or today()
    inspection.status = transition.target
    inspection.report_summary = (summary or "").strip() or inspection.report_summary
    inspection.report_submitted_on = day
    inspection.report_first_submitted_on = inspection.report_first_submitted_on or day
    inspection.report_submitted_by = actor if actor is not None and actor.is_authenticated else None
    inspection.save()
    audit_record(actor=actor, instance=inspection, action=AuditAction.TRANSITION, before=before,
                 note=str(transition.label))
    return inspection


@transaction.atomic
def finding_review(*, actor, finding: InspectionFinding, closed: bool, comment: str = "") -> InspectionFinding:
    """The supervisor reviews a finding of a submitted report: closed, or not yet (with a comment saying why)."""
    rights.require_inspector(actor, finding.inspection)
    inspection = rights.locked(finding.inspection)
    finding = InspectionFinding.objects.select_for_update().get(pk=finding.pk)
    if inspection.status != InspectionStatus.REPORT_SUBMITTED:
        raise ApplicationError(_("Findings are reviewed once the agency has submitted its corrective-action report."),
                               code="invalid_status")
    if not closed and not (comment or "").strip():
        rights.refuse(_("Say why the finding is not closed yet, so that the agency knows what to do."),
                      "comment_required", "comment")
    before = snapshot(finding)
    finding.status = FindingStatus.CLOSED if closed else FindingStatus.OPEN
    finding.review_comment = (comment or "").strip()
    finding.reviewed_at = timezone.now()
    finding.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    finding.save()
    audit_record(actor=actor, instance=finding, action=AuditAction.UPDATE, before=before)
    return finding


@transaction.atomic
def report_return(*, actor, inspection: Inspection, comment: str) -> Inspection:
    """Return the report to the agency (report submitted → minutes signed) while some finding is not closed: the
    agency completes its actions and submits again (its first submission date is kept for the on-time count)."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    transition = transition_named(workflow.TRANSITIONS, "return_report")
    if not (comment or "").strip():
        rights.refuse(_("Say what the agency must still do."), "comment_required", "comment")
    transition_check(transition, inspection, refused=_("“%(action)s” is not possible while the inspection is "
                                                       "%(status)s."))
    before = snapshot(inspection)
    inspection.status = transition.target
    inspection.return_comment = comment.strip()
    inspection.save()
    audit_record(actor=actor, instance=inspection, action=AuditAction.TRANSITION, before=before,
                 note=str(transition.label))
    return inspection


@transaction.atomic
def inspection_close(*, actor, inspection: Inspection) -> Inspection:
    """Close the inspection once every finding is closed (directly after the minutes when there is none)."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    transition = transition_named(workflow.TRANSITIONS, "close")
    transition_check(transition, inspection, refused=_("“%(action)s” is not possible while the inspection is "
                                                       "%(status)s."))
    before = snapshot(inspection)
    inspection.status = transition.target
    inspection.closed_at = timezone.now()
    inspection.closed_by = actor if actor is not None and actor.is_authenticated else None
    inspection.save()
    audit_record(actor=actor, instance=inspection, action=AuditAction.TRANSITION, before=before,
                 note=str(transition.label))
    return inspection


def inspection_transition(*, actor, inspection: Inspection, action: str, comment: str = "",
                          summary: str = "") -> Inspection:
    """The manual transitions by name (the buttons and the API actions): submit_report, return_report, close."""
    transition = transition_named(workflow.TRANSITIONS, action)
    if transition.name == "submit_report":
        return report_submit(actor=actor, inspection=inspection, summary=summary)
    if transition.name == "return_report":
        return report_return(actor=actor, inspection=inspection, comment=comment)
    return inspection_close(actor=actor, inspection=inspection)
