"""Writes of the yearly inspection plan: its lines (which agency, on site or by documents, when), the share on site and
the approval. Every write runs in a transaction, checks the actor's right first, validates before changing anything
and leaves an audit entry; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError
from eiso.core.models import AuditAction
from eiso.core.numbering import next_number
from eiso.core.permissions import today
from eiso.inspections import rights
from eiso.inspections.choices import InspectionMethod, InspectionStatus, PlanStatus
from eiso.inspections.models import Inspection, InspectionPlan, parse_share
from eiso.inspections.selectors import eligible_agencies
from eiso.organizations.services import authority_required

# --- Plans ---------------------------------------------------------------------------------------------------


def _check_plan_values(values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("This field is required.")]
    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("Write a year such as 2026.")]
    try:
        parse_share(values.get("min_on_site_share"))
    except (ValueError, ZeroDivisionError):
        errors["min_on_site_share"] = [_("Write a share between 0 and 1, such as 1/3, 0.5 or 40%.")]
    issued_on = values.get("issued_on")
    if issued_on and isinstance(year, int) and abs(issued_on.year - year) > 1:
        errors["issued_on"] = [_("The plan is issued in its year or the year before.")]
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else _("Correct the fields shown.")
        raise ApplicationError(message, code="invalid_plan", errors=errors)


@transaction.atomic
def plan_create(*, actor, province, year: int, title: str, issued_on: dt.date | None = None, notes: str = "",
                min_on_site_share: str | None = None) -> InspectionPlan:
    """A draft plan of the province's supervising authority with the next number of its year."""
    rights.require_planner(actor, province.pk)
    authority = authority_required(province)
    from eiso.inspections.models import default_on_site_share

    values = {"year": year, "title": title, "issued_on": issued_on, "notes": notes,
              "min_on_site_share": (min_on_site_share or "").strip() or default_on_site_share()}
    _check_plan_values(values)
    number = next_number(InspectionPlan.objects.filter(agency=authority, year=year), lock=authority)
    plan = InspectionPlan(agency=authority, number=number, year=year, title=title.strip(), issued_on=issued_on,
                          notes=(notes or "").strip(), min_on_site_share=values["min_on_site_share"])
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, instance=plan, action=AuditAction.CREATE)
    return plan


PLAN_EDITABLE = ("title", "issued_on", "notes", "min_on_site_share", "year")


@transaction.atomic
def plan_update(*, actor, plan: InspectionPlan, **changes) -> InspectionPlan:
    """Change a draft plan."""
    rights.require_planner(actor, plan.agency.province_id)
    plan = rights.locked_plan(plan)
    unknown = set(changes) - set(PLAN_EDITABLE)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s.")
                               % {"fields": ", ".join(sorted(unknown))}, code="not_editable")
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("The plan is approved: it can no longer be changed."), code="invalid_status")
    values = {name: getattr(plan, name) for name in PLAN_EDITABLE} | changes
    _check_plan_values(values)
    if values["year"] != plan.year:
        if plan.inspections.exists():
            rights.refuse(_("The plan already has agencies: its year cannot change. Create a plan for the other year."),
                    "year_locked", "year")
        plan.number = next_number(InspectionPlan.objects.filter(agency=plan.agency, year=values["year"]),
                                  lock=plan.agency)
    before = snapshot(plan)
    for name, value in changes.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, instance=plan, action=AuditAction.UPDATE, before=before)
    return plan


def on_site_counts(plan: InspectionPlan) -> tuple[int, int, int]:
    """(on site, total, on-site inspections still needed to reach the plan's minimum share)."""
    total = plan.inspections.count()
    on_site = plan.inspections.filter(method=InspectionMethod.ON_SITE).count()
    needed = math.ceil(plan.on_site_share * total) if total else 0
    return on_site, total, max(needed - on_site, 0)


def approval_refusal(plan: InspectionPlan) -> str | None:
    """Why the plan cannot be approved yet, or None."""
    on_site, total, missing = on_site_counts(plan)
    if not total:
        return _("Add the agencies to inspect first.")
    if missing:
        return _("At least %(share)s of the inspections must be made on site: %(on_site)s of %(total)s are. Change "
                 "%(missing)s more inspections to on site, then approve.") % {
            "share": plan.min_on_site_share, "on_site": on_site, "total": total, "missing": missing}
    return None


@transaction.atomic
def plan_approve(*, actor, plan: InspectionPlan) -> InspectionPlan:
    """Approve a draft plan: refused without agencies or with too few on-site inspections."""
    rights.require_planner(actor, plan.agency.province_id)
    plan = rights.locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("The plan is already approved."), code="invalid_status")
    message = approval_refusal(plan)
    if message:
        raise ApplicationError(message, code="on_site_share" if plan.inspections.exists() else "empty_plan")
    before = snapshot(plan)
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = actor if actor is not None and actor.is_authenticated else None
    if plan.issued_on is None:
        plan.issued_on = today()
    plan.save()
    audit_record(actor=actor, instance=plan, action=AuditAction.TRANSITION, before=before, note=_("Approved"))
    return plan


def _check_planning(plan, *, method, planned_month, planned_on) -> None:
    errors = {}
    if method not in InspectionMethod.values:
        errors["method"] = [_("Choose on site or by documents.")]
    if planned_month is not None and not (isinstance(planned_month, int) and 1 <= planned_month <= 12):
        errors["planned_month"] = [_("Choose a month from 1 to 12.")]
    if planned_on is not None and planned_on.year != plan.year:
        errors["planned_on"] = [_("Choose a date in %(year)s, the plan's year.") % {"year": plan.year}]
    if errors:
        message = next(iter(errors.values()))[0]
        raise ApplicationError(message, code="invalid_line", errors=errors)


def _new_line(plan, agency, *, method, planned_month, planned_on) -> Inspection:
    inspection = Inspection(agency=agency, plan=plan, authority_id=plan.agency_id, year=plan.year, method=method,
                            planned_month=planned_month or (planned_on.month if planned_on else None),
                            planned_on=planned_on)
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def plan_line_add(*, actor, plan: InspectionPlan, agency, method: str = InspectionMethod.BY_DOCUMENTS,
                  planned_month: int | None = None, planned_on: dt.date | None = None) -> Inspection:
    """Add an agency of the province to a draft plan."""
    rights.require_planner(actor, plan.agency.province_id)
    plan = rights.locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("The plan is approved: agencies can no longer be added."), code="invalid_status")
    _check_planning(plan, method=method, planned_month=planned_month, planned_on=planned_on)
    if agency is None or not eligible_agencies(plan.agency).filter(pk=agency.pk).exists():
        rights.refuse(_("Choose an agency of the province (the supervising authority does not inspect itself)."),
                "invalid_agency", "agency")
    if plan.inspections.filter(agency=agency).exists():
        rights.refuse(_("%(agency)s is already in the plan.") % {"agency": agency}, "duplicate_agency", "agency")
    inspection = _new_line(plan, agency, method=method, planned_month=planned_month, planned_on=planned_on)
    audit_record(actor=actor, instance=inspection, action=AuditAction.CREATE)
    return inspection


@transaction.atomic
def plan_add_all(*, actor, plan: InspectionPlan, method: str = InspectionMethod.BY_DOCUMENTS,
                 planned_month: int | None = None) -> int:
    """Add every agency of the province that is not in the draft plan yet (DOMAIN: every agency is inspected at
    least by documents each year). Returns how many were added."""
    rights.require_planner(actor, plan.agency.province_id)
    plan = rights.locked_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("The plan is approved: agencies can no longer be added."), code="invalid_status")
    _check_planning(plan, method=method, planned_month=planned_month, planned_on=None)
    added = 0
    for agency in eligible_agencies(plan.agency).exclude(pk__in=plan.inspections.values("agency_id")).order_by("name"):
        inspection = _new_line(plan, agency, method=method, planned_month=planned_month, planned_on=None)
        audit_record(actor=actor, instance=inspection, action=AuditAction.CREATE)
        added += 1
    return added


@transaction.atomic
def inspection_plan_update(*, actor, inspection: Inspection, method: str | None = None,
                           planned_month: int | None = None, planned_on: dt.date | None = None) -> Inspection:
    """Change a line: the method while the plan is a draft; the planned month or date while nothing is decided."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    if inspection.status != InspectionStatus.PLANNED:
        raise ApplicationError(_("The decision is issued: the planning of this inspection can no longer change."),
                               code="invalid_status")
    method = method or inspection.method
    if method != inspection.method and inspection.plan.status != PlanStatus.DRAFT:
        rights.refuse(_("The plan is approved: the method (on site or by documents) can no longer change."),
                "plan_approved", "method")
    _check_planning(inspection.plan, method=method, planned_month=planned_month, planned_on=planned_on)
    before = snapshot(inspection)
    inspection.method = method
    inspection.planned_on = planned_on
    inspection.planned_month = planned_month or (planned_on.month if planned_on else None)
    inspection.full_clean()
    inspection.save()
    audit_record(actor=actor, instance=inspection, action=AuditAction.UPDATE, before=before)
    return inspection


@transaction.atomic
def plan_line_remove(*, actor, inspection: Inspection) -> None:
    """Remove an agency from a draft plan."""
    rights.require_inspector(actor, inspection)
    inspection = rights.locked(inspection)
    if inspection.plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("The plan is approved: agencies can no longer be removed."), code="invalid_status")
    audit_record(actor=actor, instance=inspection, action=AuditAction.DELETE, before=snapshot(inspection))
    inspection.delete()
