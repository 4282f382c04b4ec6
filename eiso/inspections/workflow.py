"""The inspection workflow as data: planned → decided (decide) → minutes signed (sign) → corrective-action report
submitted (submit_report; returned with return_report) → closed (close). Each transition's guards must all pass; a
failing guard's message says what to do first. `services.inspection_transition` is the only code that applies it.

`BY` says who acts: "authority" (the supervisors of the inspected agency's province) or "agency" (the agency head
or ISO coordinator of the inspected agency)."""

from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import today
from eiso.core.workflow import Transition, by_name
from eiso.core.workflow import available as core_available
from eiso.inspections.choices import FindingStatus, PlanStatus, PointResult
from eiso.inspections.choices import InspectionStatus as S


def plan_not_approved(inspection):
    if inspection.plan.status != PlanStatus.APPROVED:
        return _("Approve the inspection plan first: decisions are issued under an approved plan.")
    return None


def decision_incomplete(inspection):
    if inspection.decision_on is None:
        return _("Give the date of the decision.")
    if not inspection.team_lines:
        return _("List the inspection team, one member per line, the team leader first.")
    if not inspection.decision_signer.strip():
        return _("Give the name of the person who signs the decision.")
    if inspection.is_on_site and inspection.on_site_on is None:
        return _("Give the date of the visit: this inspection is made on site.")
    if inspection.on_site_on and inspection.on_site_on < inspection.decision_on:
        return _("The visit cannot take place before the decision: check the dates.")
    return None


def checklist_incomplete(inspection):
    items = list(inspection.checklist.all())
    if not items:
        return _("Prepare the checklist first.")
    missing = sum(1 for item in items if not item.result)
    if missing:
        return _("Inspection points without a result: %(count)s. Record a result for each (or mark it not "
                 "applicable) first.") % {"count": missing}
    return None


def nonconformity_without_finding(inspection):
    with_findings = set(inspection.findings.values_list("point_key", flat=True))
    missing = [item.title or item.key for item in inspection.checklist.all()
               if item.result == PointResult.NOT_CONFORM and item.key not in with_findings]
    if missing:
        return _("Record a finding with the corrective action required for each point that does not conform: "
                 "%(points)s.") % {"points": "; ".join(missing)}
    return None


def minutes_incomplete(inspection):
    if inspection.minutes_signed_on is None:
        return _("Give the date the minutes were signed.")
    if inspection.decision_on and inspection.minutes_signed_on < inspection.decision_on:
        return _("The minutes cannot be signed before the decision: check the dates.")
    if inspection.minutes_signed_on > today():
        return _("The minutes are signed on %(date)s: record them once they are signed.") % {
            "date": inspection.minutes_signed_on.strftime("%d/%m/%Y")}
    if not inspection.participants.strip():
        return _("List the agency's participants, one per line.")
    if not inspection.conclusion.strip():
        return _("Write the conclusion of the inspection.")
    if not inspection.agency_representative.strip():
        return _("Give the name of the agency head who signs the minutes.")
    return None


def no_findings(inspection):
    if not inspection.findings.exists():
        return _("The minutes record no finding: no corrective-action report is due. The supervising authority "
                 "closes the inspection.")
    return None


def actions_missing(inspection):
    missing = inspection.findings.filter(status=FindingStatus.OPEN, action_taken="").count()
    if missing:
        return _("Findings without the action taken: %(count)s. Record the action and its evidence for each "
                 "first.") % {"count": missing}
    return None


def all_findings_closed(inspection):
    if not inspection.findings.filter(status=FindingStatus.OPEN).exists():
        return _("Every finding is closed: close the inspection instead of returning the report.")
    return None


def findings_open(inspection):
    count = inspection.findings.filter(status=FindingStatus.OPEN).count()
    if not count:
        return None
    if inspection.status == S.MINUTES_SIGNED:
        return _("Wait for the agency's corrective-action report: findings not closed: %(count)s.") % {
            "count": count}
    return _("Findings not closed yet: %(count)s. Close them first, or return the report to the agency.") % {
        "count": count}


TRANSITIONS = by_name(
    Transition("decide", _("Issue the decision"), (S.PLANNED,), S.DECIDED, (plan_not_approved, decision_incomplete),
               manual=False),
    Transition("sign", _("Record the signed minutes"), (S.DECIDED,), S.MINUTES_SIGNED,
               (checklist_incomplete, nonconformity_without_finding, minutes_incomplete), manual=False),
    Transition("submit_report", _("Submit the corrective-action report"), (S.MINUTES_SIGNED,), S.REPORT_SUBMITTED,
               (no_findings, actions_missing)),
    Transition("return_report", _("Return the report to the agency"), (S.REPORT_SUBMITTED,), S.MINUTES_SIGNED,
               (all_findings_closed,)),
    Transition("close", _("Close the inspection"), (S.MINUTES_SIGNED, S.REPORT_SUBMITTED), S.CLOSED,
               (findings_open,)),
)

BY = {"decide": "authority", "sign": "authority", "return_report": "authority", "close": "authority",
      "submit_report": "agency"}


def available(status: str) -> list[Transition]:
    return core_available(TRANSITIONS, status)
