"""Writes of provincial oversight. Each runs in one transaction, checks the actor's right first (the supervising
authority of the province; an administrator; `actor=None` for system jobs and the demo), validates before
changing anything and leaves an audit entry; a refusal raises ApplicationError (PermissionDeniedError for a
missing right) and changes nothing.

Rollout plans and their parts are written by the supervisors of the plan's province. Targets are recorded in the
plan's audit trail (their `agency` is the targeted agency, whose people must not see the plan). Stages are
confirmed, and conversions recorded, by the supervising authority of the agency's province.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for
from eiso.core.permissions import today as local_today
from eiso.core.services import text_required, validate
from eiso.oversight.choices import MilestoneKind, Stage
from eiso.oversight.levels import LEVEL_KEYS, level_condition
from eiso.oversight.models import AgencyStage, RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget

PLAN_FIELDS = ("number", "issued_on", "issuer", "title", "period_start", "period_end", "notes")
EARLIEST_CONVERSION = dt.date(2015, 9, 15)  # ISO 9001:2015 was published on 15 September 2015


def _is_authority(actor, province_id) -> bool:
    return actor is None or scope_for(actor).is_authority_for(province_id)


def _require_authority(actor, province_id, message) -> None:
    if not _is_authority(actor, province_id):
        raise PermissionDeniedError(message)


def _require_plan_writer(actor, plan: RolloutPlan) -> None:
    _require_authority(actor, plan.agency.province_id,
                       _("Only the supervisors of the province's Department of Science and Technology change its "
                         "rollout plans."))


def _required(value, field: str):
    if value in (None, ""):
        raise ApplicationError(_("Complete the required fields."), code=f"{field}_required",
                               errors={field: [_("This field is required.")]})
    return value


# --- Rollout plans --------------------------------------------------------------------------------------------


def _plan_values(data: dict) -> dict:
    values = {name: data.get(name) for name in PLAN_FIELDS}
    for name in ("number", "issuer", "title"):
        values[name] = text_required(values[name] or "", name, _("Give the plan's number, issuer and title."))
    for name in ("issued_on", "period_start", "period_end"):
        _required(values[name], name)
    values["notes"] = (values["notes"] or "").strip()
    if values["period_start"] > values["period_end"]:
        raise ApplicationError(_("The period must end on or after its start."), code="period_reversed",
                               errors={"period_end": [_("Choose a day on or after the start.")]})
    return values


def _unique_number(plan: RolloutPlan) -> None:
    taken = RolloutPlan.objects.filter(agency=plan.agency, number__iexact=plan.number,
                                       issued_on__year=plan.issued_on.year).exclude(pk=plan.pk)
    if taken.exists():
        raise ApplicationError(
            _("A plan numbered %(number)s was already issued in %(year)s. Check the number.")
            % {"number": plan.number, "year": plan.issued_on.year}, code="duplicate_number",
            errors={"number": [_("Already used this year.")]})


@transaction.atomic
def rollout_plan_create(*, actor, province, data: dict) -> RolloutPlan:
    """Record a rollout plan of `province`, kept by its supervising authority."""
    from eiso.organizations.services import authority_required

    _require_authority(actor, province.pk, _("Only the supervisors of the province's Department of Science and "
                                             "Technology record its rollout plans."))
    plan = RolloutPlan(agency=authority_required(province), **_plan_values(data))
    validate(plan)
    _unique_number(plan)
    plan.save()
    audit_record(actor=actor, instance=plan, action=AuditAction.CREATE)
    return plan


def _locked_plan(plan: RolloutPlan) -> RolloutPlan:
    return RolloutPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)


@transaction.atomic
def rollout_plan_update(*, actor, plan: RolloutPlan, data: dict) -> RolloutPlan:
    plan = _locked_plan(plan)
    _require_plan_writer(actor, plan)
    before = snapshot(plan)
    for name, value in _plan_values({**{n: getattr(plan, n) for n in PLAN_FIELDS}, **data}).items():
        setattr(plan, name, value)
    validate(plan)
    _unique_number(plan)
    outside = plan.milestones.exclude(planned_on__range=(plan.period_start, plan.period_end)).count()
    if outside:
        raise ApplicationError(_("%(count)s milestones are planned outside the new period: move them first.")
                               % {"count": outside}, code="milestones_outside",
                               errors={"period_start": [_("The milestones must stay within the period.")]})
    plan.save()
    audit_record(actor=actor, instance=plan, action=AuditAction.UPDATE, before=before)
    return plan


@transaction.atomic
def rollout_plan_delete(*, actor, plan: RolloutPlan) -> None:
    """Delete a plan recorded by mistake, with its milestones, budget lines and targets."""
    plan = _locked_plan(plan)
    _require_plan_writer(actor, plan)
    before = snapshot(plan)
    note = _("With %(milestones)s milestones, %(lines)s budget lines and %(targets)s target agencies.") % {
        "milestones": plan.milestones.count(), "lines": plan.budget_lines.count(), "targets": plan.targets.count()}
    audit_record(actor=actor, instance=plan, action=AuditAction.DELETE, before=before, note=note)
    plan.delete()


# --- Milestones -----------------------------------------------------------------------------------------------


def _milestone_checks(milestone: RolloutMilestone, today: dt.date) -> None:
    if milestone.kind not in MilestoneKind.values:
        raise ApplicationError(_("Choose the step of the plan."), code="invalid_kind",
                               errors={"kind": [_("Choose one of the steps.")]})
    _required(milestone.planned_on, "planned_on")
    plan = milestone.plan
    if not plan.period_start <= milestone.planned_on <= plan.period_end:
        raise ApplicationError(
            _("The planned date must be within the plan's period (%(start)s – %(end)s).")
            % {"start": plan.period_start.strftime("%d/%m/%Y"), "end": plan.period_end.strftime("%d/%m/%Y")},
            code="outside_period", errors={"planned_on": [_("Choose a day within the plan's period.")]})
    if milestone.done_on is not None and milestone.done_on > today:
        raise ApplicationError(_("The day it was done cannot be in the future."), code="future_date",
                               errors={"done_on": [_("Choose today or an earlier day.")]})
    if milestone.done_notes and milestone.done_on is None:
        raise ApplicationError(_("Give the day the step was done, or leave the notes on completion empty."),
                               code="done_on_required", errors={"done_on": [_("This field is required.")]})


@transaction.atomic
def rollout_milestone_add(*, actor, plan: RolloutPlan, kind: str, planned_on: dt.date, title: str = "",
                          today: dt.date | None = None) -> RolloutMilestone:
    plan = _locked_plan(plan)
    _require_plan_writer(actor, plan)
    milestone = RolloutMilestone(agency=plan.agency, plan=plan, kind=kind, planned_on=planned_on,
                                 title=(title or "").strip())
    _milestone_checks(milestone, today or local_today())
    validate(milestone)
    milestone.save()
    audit_record(actor=actor, instance=milestone, action=AuditAction.CREATE)
    return milestone


@transaction.atomic
def rollout_milestone_update(*, actor, milestone: RolloutMilestone, data: dict,
                             today: dt.date | None = None) -> RolloutMilestone:
    """Change a milestone (`data`: any of kind, title, planned_on, done_on, done_notes); a done date marks the
    step done for the whole plan."""
    milestone = RolloutMilestone.objects.select_for_update().select_related("plan__agency").get(pk=milestone.pk)
    _require_plan_writer(actor, milestone.plan)
    before = snapshot(milestone)
    for name in ("kind", "title", "planned_on", "done_on", "done_notes"):
        if name in data:
            value = data[name]
            setattr(milestone, name, value.strip() if isinstance(value, str) else value)
    _milestone_checks(milestone, today or local_today())
    validate(milestone)
    milestone.save()
    audit_record(actor=actor, instance=milestone, action=AuditAction.UPDATE, before=before)
    return milestone


@transaction.atomic
def rollout_milestone_delete(*, actor, milestone: RolloutMilestone) -> None:
    milestone = RolloutMilestone.objects.select_related("plan__agency").get(pk=milestone.pk)
    _require_plan_writer(actor, milestone.plan)
    audit_record(actor=actor, instance=milestone, action=AuditAction.DELETE, before=snapshot(milestone))
    milestone.delete()


# --- Budget lines ---------------------------------------------------------------------------------------------


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(".", "").replace(" ", "")) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.to_integral_value() or amount <= 0:
        raise ApplicationError(_("Give the amount in đồng, a whole number more than 0 (e.g. 45000000)."),
                               code="invalid_amount", errors={"amount": [_("A whole number of đồng, more than 0.")]})
    return amount


@transaction.atomic
def rollout_budget_line_add(*, actor, plan: RolloutPlan, item: str, amount, source: str = "",
                            note: str = "") -> RolloutBudgetLine:
    plan = _locked_plan(plan)
    _require_plan_writer(actor, plan)
    line = RolloutBudgetLine(agency=plan.agency, plan=plan,
                             item=text_required(item, "item", _("Say what the money is for.")),
                             amount=_amount(amount), source=(source or "").strip(), note=(note or "").strip())
    validate(line)
    line.save()
    audit_record(actor=actor, instance=line, action=AuditAction.CREATE)
    return line


@transaction.atomic
def rollout_budget_line_delete(*, actor, line: RolloutBudgetLine) -> None:
    line = RolloutBudgetLine.objects.select_related("plan__agency").get(pk=line.pk)
    _require_plan_writer(actor, line.plan)
    audit_record(actor=actor, instance=line, action=AuditAction.DELETE, before=snapshot(line))
    line.delete()


# --- Targets --------------------------------------------------------------------------------------------------


def _consultant(plan: RolloutPlan, consultant):
    if consultant is not None and consultant.agency_id != plan.agency_id:
        raise ApplicationError(_("Choose a consultant registered by the province's Department of Science and "
                                 "Technology."), code="foreign_consultant",
                               errors={"consultant": [_("Choose one of the province's consultants.")]})
    return consultant


def _names(agencies) -> str:
    names = [str(agency) for agency in agencies]
    shown = "; ".join(names[:10])
    return shown + (_(" and %(count)s more") % {"count": len(names) - 10} if len(names) > 10 else "")


@transaction.atomic
def rollout_targets_add(*, actor, plan: RolloutPlan, agencies=(), level: str = "", consultant=None,
                        note: str = "", today: dt.date | None = None) -> list[RolloutTarget]:
    """Add agencies to the plan's targets: those given, and every agency of `level` of the plan's province (e.g.
    every commune People's Committee). Agencies already targeted are skipped; an agency of another province is
    refused. Returns the targets added."""
    from eiso.organizations.models import Agency

    today = today or local_today()
    plan = _locked_plan(plan)
    _require_plan_writer(actor, plan)
    consultant = _consultant(plan, consultant)
    agencies = list(agencies)
    outside = [agency for agency in agencies if agency.province_id != plan.agency.province_id]
    if outside:
        raise ApplicationError(_("Only agencies of %(province)s can be targets of this plan, not: %(names)s.")
                               % {"province": plan.agency.province, "names": _names(outside)},
                               code="outside_province", errors={"agencies": [_("Choose agencies of the province.")]})
    if level:
        if level not in LEVEL_KEYS:
            raise ApplicationError(_("Choose a level among: %(levels)s.") % {"levels": ", ".join(LEVEL_KEYS)},
                                   code="invalid_level", errors={"level": [_("Choose one of the levels.")]})
        agencies += list(Agency.objects.filter(province_id=plan.agency.province_id).valid_on(today)
                         .filter(level_condition(level)).order_by("name"))
    if not agencies:
        raise ApplicationError(_("Choose the agencies to add, or a level (for example every commune People's "
                                 "Committee of the province)."), code="nothing_chosen",
                               errors={"agencies": [_("Choose at least one agency.")]})
    taken = set(plan.targets.values_list("agency_id", flat=True))
    added, seen = [], set()
    for agency in agencies:
        if agency.pk in taken or agency.pk in seen:
            continue
        seen.add(agency.pk)
        target = RolloutTarget(plan=plan, agency=agency, consultant=consultant, note=(note or "").strip())
        validate(target, exclude=["plan", "agency"])
        added.append(target)
    if not added:
        raise ApplicationError(_("These agencies are already targets of the plan."), code="already_targeted",
                               errors={"agencies": [_("Already targets of the plan.")]})
    RolloutTarget.objects.bulk_create(added)
    before = snapshot(plan)
    audit_record(actor=actor, instance=plan, action=AuditAction.UPDATE, before=before,
                 note=_("Target agencies added (%(count)s): %(names)s")
                 % {"count": len(added), "names": _names(t.agency for t in added)})
    return added


@transaction.atomic
def rollout_target_update(*, actor, target: RolloutTarget, consultant=None, note: str = "") -> RolloutTarget:
    """Assign (or remove: None) the target's consultant and change its note."""
    # of=self: PostgreSQL locks no row on the nullable side of the consultant's outer join
    target = (RolloutTarget.objects.select_for_update(of=("self",))
              .select_related("plan__agency", "agency", "consultant").get(pk=target.pk))
    _require_plan_writer(actor, target.plan)
    previous = target.consultant
    target.consultant = _consultant(target.plan, consultant)
    target.note = (note or "").strip()
    validate(target)
    target.save()
    audit_record(actor=actor, instance=target.plan, action=AuditAction.UPDATE, before=snapshot(target.plan),
                 note=_("Target %(agency)s: consultant %(before)s → %(after)s; note: %(note)s")
                 % {"agency": target.agency, "before": previous or "—", "after": target.consultant or "—",
                    "note": target.note or "—"})
    return target


@transaction.atomic
def rollout_target_remove(*, actor, target: RolloutTarget) -> None:
    target = RolloutTarget.objects.select_related("plan__agency", "agency").get(pk=target.pk)
    _require_plan_writer(actor, target.plan)
    plan, agency = target.plan, target.agency
    target.delete()
    audit_record(actor=actor, instance=plan, action=AuditAction.UPDATE, before=snapshot(plan),
                 note=_("Target agency removed: %(agency)s") % {"agency": agency})


# --- Stages ---------------------------------------------------------------------------------------------------


def _stage_record(agency) -> tuple[AgencyStage, bool]:
    """The agency's record, locked (a new unsaved one when it has none), and whether it exists."""
    from eiso.organizations.models import Agency

    Agency.objects.select_for_update().filter(pk=agency.pk).exists()  # two confirmations wait for each other
    record = AgencyStage.objects.select_for_update().filter(agency=agency).first()
    return (record, True) if record is not None else (AgencyStage(agency=agency), False)


def _require_stage_writer(actor, agency) -> None:
    _require_authority(actor, agency.province_id,
                       _("Only the supervisors of the province's Department of Science and Technology confirm the "
                         "stage of its agencies' QMS."))


def _save_stage(actor, record: AgencyStage, before: dict | None) -> AgencyStage:
    """Save and audit: `before` is None for a new record."""
    validate(record)
    record.save()
    if before is None:
        audit_record(actor=actor, instance=record, action=AuditAction.CREATE)
    else:
        audit_record(actor=actor, instance=record, action=AuditAction.UPDATE, before=before)
    return record


@transaction.atomic
def stage_confirm(*, actor, agency, stage: str | None, note: str = "") -> AgencyStage:
    """Confirm the stage of the agency's QMS (`stage`), or clear the confirmation (None or "": the stage derived
    from the records stands again). The note says what the confirmation rests on (an inspection, a report)."""
    _require_stage_writer(actor, agency)
    stage = stage or ""
    if stage and stage not in Stage.values:
        raise ApplicationError(_("Choose a stage among: %(stages)s.") % {"stages": ", ".join(Stage.values)},
                               code="invalid_stage", errors={"stage": [_("Choose one of the stages.")]})
    note = (note or "").strip()
    if stage and not note:
        raise ApplicationError(_("Say what the confirmation rests on (for example the inspection of dd/mm/yyyy)."),
                               code="note_required", errors={"note": [_("This field is required.")]})
    record, existing = _stage_record(agency)
    if existing and record.confirmed_stage == stage and (not stage or record.note == note):
        message = (_("This stage is already confirmed with this note.") if stage
                   else _("No stage is confirmed: the stage derived from the records already stands."))
        raise ApplicationError(message, code="unchanged", errors={"stage": [_("Choose another stage.")]})
    if not existing and not stage:
        raise ApplicationError(_("No stage is confirmed: the stage derived from the records already stands."),
                               code="unchanged", errors={"stage": [_("Choose another stage.")]})
    before = snapshot(record) if existing else None
    record.confirmed_stage = stage
    record.note = note
    record.confirmed_by = actor if stage and actor is not None else None
    record.confirmed_at = timezone.now() if stage else None
    return _save_stage(actor, record, before)


@transaction.atomic
def stage_conversion_record(*, actor, agency, had_2008_system: bool, converted_on: dt.date | None,
                            today: dt.date | None = None) -> AgencyStage:
    """Record whether the agency had a TCVN ISO 9001:2008 system and the day it converted to TCVN ISO 9001:2015
    (None: not yet)."""
    _require_stage_writer(actor, agency)
    today = today or local_today()
    if converted_on is not None:
        if not had_2008_system:
            raise ApplicationError(_("Only an agency that had a TCVN ISO 9001:2008 system converts to TCVN ISO "
                                     "9001:2015: tick “had a TCVN ISO 9001:2008 system” or leave the date empty."),
                                   code="not_2008", errors={"converted_on": [_("Leave it empty.")]})
        if converted_on > today:
            raise ApplicationError(_("The day of the conversion cannot be in the future."), code="future_date",
                                   errors={"converted_on": [_("Choose today or an earlier day.")]})
        if converted_on < EARLIEST_CONVERSION:
            raise ApplicationError(_("ISO 9001:2015 was published on 15/09/2015: the conversion cannot be earlier."),
                                   code="too_early", errors={"converted_on": [_("Choose a later day.")]})
    record, existing = _stage_record(agency)
    if (record.had_2008_system, record.converted_on) == (bool(had_2008_system), converted_on) and (
            existing or not had_2008_system):
        raise ApplicationError(_("Nothing changed."), code="unchanged")
    before = snapshot(record) if existing else None
    record.had_2008_system = bool(had_2008_system)
    record.converted_on = converted_on
    return _save_stage(actor, record, before)
