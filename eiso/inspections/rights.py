"""Who writes what of an inspection, and the row locks the writes take.

The supervisors of a province (`scope_for(actor).is_authority_for(province)`, administrators too) write the plans, the
decisions, the checklists, the findings and the minutes, review the findings and close inspections; the inspected
agency's head and ISO coordinator (those who may change its inspection: `restrict(user, "change")`) record the
corrective actions and submit the report. `actor=None` is the system (demo data, commands).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for
from eiso.inspections.models import Inspection, InspectionPlan

# --- Rights --------------------------------------------------------------------------------------------------


def can_plan(user, province_id) -> bool:
    """The supervisors of the province (and administrators; None: the system) write its inspection plans."""
    return user is None or scope_for(user).is_authority_for(province_id)


def is_inspector(user, inspection: Inspection) -> bool:
    """Whether the user writes this inspection for the supervising authority of the inspected agency's province."""
    return user is None or scope_for(user).is_authority_for(inspection.agency.province_id)


def can_report(user, inspection: Inspection) -> bool:
    """Whether the user writes the agency's side (corrective actions, the report): its head or ISO coordinator."""
    if user is None:
        return True
    return Inspection.objects.restrict(user, "change").filter(pk=inspection.pk).exists()


def require_planner(actor, province_id) -> None:
    if not can_plan(actor, province_id):
        raise PermissionDeniedError(_("Only the supervisors of the province's Department of Science and Technology "
                                      "write its inspection plans."))


def require_inspector(actor, inspection) -> None:
    if not is_inspector(actor, inspection):
        raise PermissionDeniedError(_("Only the supervisors of the province's Department of Science and Technology "
                                      "write the inspection."))


def require_reporter(actor, inspection) -> None:
    if not can_report(actor, inspection):
        raise PermissionDeniedError(_("Only the head and the ISO coordinator of the inspected agency record its "
                                      "corrective actions and submit its report."))


def locked_plan(plan) -> InspectionPlan:
    return InspectionPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)


def locked(inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("agency", "plan").get(pk=inspection.pk)


def refuse(message, code, field=None):
    raise ApplicationError(message, code=code, errors={field: [message]} if field else None)
