"""Writes of the quality policy and objectives. Every write runs in a transaction, checks the actor's right
first, validates before changing anything, and leaves an audit entry; a refusal raises ApplicationError
(PermissionDeniedError for a missing right) and changes nothing. `actor=None` is the system (tasks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.files import DOCUMENT_KINDS, IMAGE_KINDS, check_upload, safe_name
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for, today
from eiso.core.services import text_required
from eiso.objectives.choices import (
    Comparison,
    Frequency,
    IndicatorSource,
    MeasurementResult,
    ObjectiveStatus,
    PlanActionStatus,
    PolicyStatus,
)
from eiso.objectives.metrics import METRICS, metric_value
from eiso.objectives.models import (
    OBJECTIVE_ROLES,
    Indicator,
    Measurement,
    ObjectivePlan,
    QualityObjective,
    QualityPolicy,
)
from eiso.objectives.periods import period_of
from eiso.organizations.services import member_check

# --- Rights -------------------------------------------------------------------------------------------------


def _holds(user, agency, action: str) -> bool:
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & OBJECTIVE_ROLES[action])


def can_manage(user, agency) -> bool:
    """Write the policy drafts, the objectives, indicators, measurements and plans: head and coordinator."""
    return _holds(user, agency, "change")


def can_approve(user, agency) -> bool:
    """Approve the policy and the objectives: the agency head."""
    return _holds(user, agency, "approve")


def can_update_plan_action(user, action: ObjectivePlan) -> bool:
    """A plan action is marked done by the managers and by its owner (who must still see it)."""
    if user is None or can_manage(user, action.objective.agency):
        return True
    return action.owner_id == user.pk and ObjectivePlan.objects.restrict(user, "view").filter(pk=action.pk).exists()


def _require_manager(actor, agency) -> None:
    if not can_manage(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage the quality policy and "
                                      "objectives."))


def _require_head(actor, agency) -> None:
    if not can_approve(actor, agency):
        raise PermissionDeniedError(_("Only the agency head approves the quality policy and objectives."))


# --- Quality policy -----------------------------------------------------------------------------------------


@transaction.atomic
def policy_draft_save(*, actor, agency, text: str, document=None) -> QualityPolicy:
    """Write the draft of the next policy version (created on the first save, then edited). An approved version
    is never edited: a change is always a new version."""
    _require_manager(actor, agency)
    text = text_required(text, "text", _("Write the text of the quality policy."))
    if document is not None and document.agency_id != agency.pk:
        raise ApplicationError(_("The document belongs to another agency."), code="other_agency",
                               errors={"document": [_("Choose a document of this agency.")]})
    draft = QualityPolicy.objects.select_for_update().filter(agency=agency, status=PolicyStatus.DRAFT).first()
    if draft is None:
        last = QualityPolicy.objects.select_for_update().filter(agency=agency).aggregate(v=Max("version"))["v"]
        draft = QualityPolicy(agency=agency, version=(last or 0) + 1, text=text, document=document)
        draft.full_clean()
        draft.save()
        audit_record(actor=actor, instance=draft, action=AuditAction.CREATE)
        return draft
    before = snapshot(draft)
    draft.text, draft.document = text, document
    draft.save()
    audit_record(actor=actor, instance=draft, action=AuditAction.UPDATE, before=before)
    return draft


@transaction.atomic
def policy_approve(*, actor, policy: QualityPolicy) -> QualityPolicy:
    """The head approves the draft: it comes into force and the version in force until now is superseded."""
    _require_head(actor, policy.agency)
    policy = QualityPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != PolicyStatus.DRAFT:
        raise ApplicationError(_("Version %(version)s is already approved: an approved policy never changes. Write "
                                 "a new version instead.") % {"version": policy.version}, code="not_draft")
    now = timezone.now()
    for current in QualityPolicy.objects.select_for_update().filter(agency_id=policy.agency_id,
                                                                    status=PolicyStatus.APPROVED):
        before = snapshot(current)
        current.status, current.superseded_at = PolicyStatus.SUPERSEDED, now
        current.save()
        audit_record(actor=actor, instance=current, action=AuditAction.TRANSITION, before=before)
    before = snapshot(policy)
    policy.status, policy.approved_at, policy.approved_by = PolicyStatus.APPROVED, now, actor
    policy.save()
    audit_record(actor=actor, instance=policy, action=AuditAction.TRANSITION, before=before)
    return policy


# --- Objectives ---------------------------------------------------------------------------------------------


def _locked(objective: QualityObjective) -> QualityObjective:
    return QualityObjective.objects.select_for_update().select_related("agency").get(pk=objective.pk)


def _require_draft(objective: QualityObjective) -> None:
    if objective.status != ObjectiveStatus.DRAFT:
        raise ApplicationError(_("The objective is %(status)s: objectives and their indicators are changed only "
                                 "while draft.") % {"status": objective.get_status_display()}, code="not_draft")


def _check_year(year) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError(_("Choose a year between 2000 and 2100."), code="invalid_year",
                               errors={"year": [_("Choose a year between 2000 and 2100.")]})
    return year


@transaction.atomic
def objective_create(*, actor, agency, year: int, title: str, description: str = "", owner=None) -> QualityObjective:
    _require_manager(actor, agency)
    _check_year(year)
    title = text_required(title, "title", _("Write the objective."))
    member_check(agency=agency, user=owner, field="owner")
    objective = QualityObjective(agency=agency, year=year, title=title, description=(description or "").strip(),
                                 owner=owner)
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, instance=objective, action=AuditAction.CREATE)
    return objective


@transaction.atomic
def objective_update(*, actor, objective: QualityObjective, title: str, description: str = "",
                     owner=None) -> QualityObjective:
    _require_manager(actor, objective.agency)
    objective = _locked(objective)
    _require_draft(objective)
    title = text_required(title, "title", _("Write the objective."))
    member_check(agency=objective.agency, user=owner, field="owner")
    before = snapshot(objective)
    objective.title, objective.description, objective.owner = title, (description or "").strip(), owner
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, instance=objective, action=AuditAction.UPDATE, before=before)
    return objective


@transaction.atomic
def objective_approve(*, actor, objective: QualityObjective) -> QualityObjective:
    """The head approves a draft objective that has at least one indicator; it is then measured."""
    _require_head(actor, objective.agency)
    objective = _locked(objective)
    if objective.status != ObjectiveStatus.DRAFT:
        raise ApplicationError(_("Only a draft objective is approved; this one is %(status)s.")
                               % {"status": objective.get_status_display()}, code="not_draft")
    if not objective.indicators.exists():
        raise ApplicationError(_("Add at least one indicator (how the objective is measured) before approving it."),
                               code="no_indicator")
    before = snapshot(objective)
    objective.status, objective.approved_at, objective.approved_by = ObjectiveStatus.APPROVED, timezone.now(), actor
    objective.save()
    audit_record(actor=actor, instance=objective, action=AuditAction.TRANSITION, before=before)
    return objective


def closing_opens_on(year: int) -> dt.date:
    """Objectives are closed at the year's end: from 1 December of their year."""
    return dt.date(year, 12, 1)


@transaction.atomic
def objective_close(*, actor, objective: QualityObjective) -> QualityObjective:
    """Close an approved objective at the year's end (from 1 December); nothing changes it afterwards."""
    _require_manager(actor, objective.agency)
    objective = _locked(objective)
    if objective.status != ObjectiveStatus.APPROVED:
        raise ApplicationError(_("Only an approved objective is closed; this one is %(status)s.")
                               % {"status": objective.get_status_display()}, code="not_approved")
    opens = closing_opens_on(objective.year)
    if today() < opens:
        raise ApplicationError(_("The objectives of %(year)s are closed at the year's end, from %(date)s.")
                               % {"year": objective.year, "date": opens.strftime("%d/%m/%Y")}, code="too_early")
    before = snapshot(objective)
    objective.status, objective.closed_at = ObjectiveStatus.CLOSED, timezone.now()
    objective.save()
    audit_record(actor=actor, instance=objective, action=AuditAction.TRANSITION, before=before)
    return objective


# --- Indicators ---------------------------------------------------------------------------------------------


def _decimal(value, field: str, message) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ApplicationError(message, code=f"{field}_required", errors={field: [message]})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ApplicationError(_("%(value)s is not a number.") % {"value": value}, code="invalid_number",
                               errors={field: [_("Enter a number.")]})
    return number


def _indicator_fields(*, agency, name, value_source, metric, unit, comparison, target, frequency, owner) -> dict:
    """The indicator's fields checked together; "a formula that references nothing" is refused: a computed
    indicator must name a metric of the registry, an entered one must say its unit and target."""
    name = text_required(name, "name", _("Name the indicator."))
    if value_source not in IndicatorSource.values:
        raise ApplicationError(_("Choose whether the indicator is computed from eISO data or entered."),
                               code="unknown_source", errors={"value_source": [_("Choose from the list.")]})
    metric = (metric or "").strip()
    unit = (unit or "").strip()
    if value_source == IndicatorSource.COMPUTED:
        if metric not in METRICS:
            message = (_("The formula references nothing: choose what eISO computes (a metric from the list).")
                       if not metric else
                       _("The formula references %(metric)s, which eISO does not know: choose a metric from the list.")
                       % {"metric": metric})
            raise ApplicationError(message, code="formula_references_nothing",
                                   errors={"metric": [_("Choose a metric from the list.")]})
        unit = METRICS[metric].unit
    else:
        metric = ""
        if not unit or target in (None, ""):
            raise ApplicationError(
                _("The formula references nothing: an entered indicator needs its unit and its target."),
                code="formula_references_nothing",
                errors={**({"unit": [_("This field is required.")]} if not unit else {}),
                        **({"target": [_("This field is required.")]} if target in (None, "") else {})})
    target = _decimal(target, "target", _("Set the target."))
    if comparison not in Comparison.values:
        raise ApplicationError(_("Choose whether the value must be at least or at most the target."),
                               code="unknown_comparison", errors={"comparison": [_("Choose from the list.")]})
    if frequency not in Frequency.values:
        raise ApplicationError(_("Choose how often the indicator is measured."), code="unknown_frequency",
                               errors={"frequency": [_("Choose from the list.")]})
    member_check(agency=agency, user=owner, field="owner")
    return {"name": name, "value_source": value_source, "metric": metric, "unit": unit, "comparison": comparison,
            "target": target, "frequency": frequency, "owner": owner}


@transaction.atomic
def indicator_add(*, actor, objective: QualityObjective, name: str, value_source: str, metric: str = "", unit: str = "",
                  comparison: str = Comparison.AT_LEAST, target=None, frequency: str = Frequency.MONTHLY,
                  owner=None) -> Indicator:
    _require_manager(actor, objective.agency)
    objective = _locked(objective)
    _require_draft(objective)
    fields = _indicator_fields(agency=objective.agency, name=name, value_source=value_source, metric=metric, unit=unit,
                               comparison=comparison, target=target, frequency=frequency, owner=owner)
    indicator = Indicator(agency_id=objective.agency_id, objective=objective, **fields)
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, instance=indicator, action=AuditAction.CREATE)
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, name: str, value_source: str, metric: str = "", unit: str = "",
                     comparison: str = Comparison.AT_LEAST, target=None, frequency: str = Frequency.MONTHLY,
                     owner=None) -> Indicator:
    _require_manager(actor, indicator.agency)
    objective = _locked(indicator.objective)
    _require_draft(objective)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    fields = _indicator_fields(agency=objective.agency, name=name, value_source=value_source, metric=metric, unit=unit,
                               comparison=comparison, target=target, frequency=frequency, owner=owner)
    before = snapshot(indicator)
    for key, value in fields.items():
        setattr(indicator, key, value)
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, instance=indicator, action=AuditAction.UPDATE, before=before)
    return indicator


# --- Measurements -------------------------------------------------------------------------------------------


def judge(value: Decimal, *, target: Decimal, comparison: str) -> str:
    """Above target = better than the target in the indicator's direction (higher for "at least", lower for
    "at most"); on target = equal; below target = the target is not reached."""
    if value == target:
        return MeasurementResult.ON_TARGET
    better = value > target if comparison == Comparison.AT_LEAST else value < target
    return MeasurementResult.ABOVE if better else MeasurementResult.BELOW


def _measurable(indicator: Indicator, period_start: dt.date) -> tuple[dt.date, dt.date]:
    objective = indicator.objective
    if objective.status != ObjectiveStatus.APPROVED:
        message = (_("Approve the objective before measuring it.") if objective.status == ObjectiveStatus.DRAFT
                   else _("The objective is closed: its measurements no longer change."))
        raise ApplicationError(message, code="not_measurable")
    if period_start.year != objective.year:
        raise ApplicationError(_("Choose a period of %(year)s, the objective's year.") % {"year": objective.year},
                               code="invalid_period", errors={"period_start": [_("Choose a period of the year.")]})
    return period_of(indicator.frequency, period_start)


def _store(*, actor, indicator: Indicator, start: dt.date, end: dt.date, value: Decimal, computed: bool,
           evidence: str = "", file=None, kind: str = "") -> Measurement:
    """Create or update the period's measurement (idempotent: one row per indicator and period)."""
    measurement = Measurement.objects.select_for_update().filter(indicator=indicator, period_start=start).first()
    fields = {"period_end": end, "value": value, "target": indicator.target, "is_computed": computed,
              "result": judge(value, target=indicator.target, comparison=indicator.comparison),
              "recorded_by": actor if actor is not None and actor.is_authenticated else None,
              "recorded_at": timezone.now(), "evidence": evidence}
    if measurement is None:
        measurement = Measurement(agency_id=indicator.agency_id, indicator=indicator, period_start=start, **fields)
        before = None
    else:
        before = snapshot(measurement)
        for key, val in fields.items():
            setattr(measurement, key, val)
    if file is not None:
        name = safe_name(getattr(file, "name", ""), kind)
        measurement.evidence_name, measurement.evidence_kind = name, kind
        measurement.evidence_file.save(name, file, save=False)
    elif computed:
        measurement.evidence_file, measurement.evidence_name, measurement.evidence_kind = "", "", ""
    measurement.full_clean()
    measurement.save()
    if before is None:
        audit_record(actor=actor, instance=measurement, action=AuditAction.CREATE)
    else:
        audit_record(actor=actor, instance=measurement, action=AuditAction.UPDATE, before=before)
    return measurement


@transaction.atomic
def measurement_enter(*, actor, indicator: Indicator, period_start: dt.date, value, evidence: str = "",
                      file=None) -> Measurement:
    """Enter the value of an entered indicator for the period holding `period_start`, with its evidence (a text,
    a file, or both). Entering the same period again corrects it."""
    _require_manager(actor, indicator.agency)
    _locked(indicator.objective)
    indicator = Indicator.objects.select_related("objective").get(pk=indicator.pk)
    if indicator.is_computed:
        raise ApplicationError(_("This indicator is computed by eISO: its values are not entered by hand."),
                               code="computed_indicator")
    start, end = _measurable(indicator, period_start)
    number = _decimal(value, "value", _("Enter the measured value."))
    evidence = (evidence or "").strip()
    if not evidence and file is None:
        raise ApplicationError(_("Give the evidence of the value: describe it, attach a file, or both."),
                               code="evidence_required", errors={"evidence": [_("This field is required.")]})
    kind = ""
    if file is not None:
        kind = check_upload(file, allowed=DOCUMENT_KINDS | IMAGE_KINDS,
                            max_bytes=settings.EISO["ATTACHMENT_MAX_MB"] * 1024 * 1024)
    return _store(actor=actor, indicator=indicator, start=start, end=end, value=number, computed=False,
                  evidence=evidence, file=file, kind=kind)


@transaction.atomic
def measurement_compute(*, actor, indicator: Indicator, on: dt.date | None = None) -> Measurement | None:
    """Record the value of a computed indicator over the period holding `on` (today by default), up to `on`
    for the period still running. None when the period holds nothing to measure (no dossier resolved...).
    Recording a period again updates its measurement."""
    _require_manager(actor, indicator.agency)
    _locked(indicator.objective)
    indicator = Indicator.objects.select_related("objective", "agency").get(pk=indicator.pk)
    if not indicator.is_computed:
        raise ApplicationError(_("This indicator is entered by hand with its evidence."), code="entered_indicator")
    on = on or today()
    start, end = _measurable(indicator, on)
    value = metric_value(indicator.metric, agency=indicator.agency, start=start, end=end)
    if value is None:
        return None
    return _store(actor=actor, indicator=indicator, start=start, end=end, value=value, computed=True,
                  evidence=_("Computed by eISO: %(metric)s.") % {"metric": METRICS[indicator.metric].label})


def computed_measurements_record(*, on: dt.date | None = None, agency=None) -> int:
    """The monthly job: for every computed indicator of an approved objective, record the period holding `on`
    and the period that ended the day before (its final value). Idempotent. Returns the measurements written."""
    on = on or today()
    days = sorted({on - dt.timedelta(days=1), on})
    indicators = Indicator.objects.filter(value_source=IndicatorSource.COMPUTED,
                                          objective__status=ObjectiveStatus.APPROVED,
                                          objective__year__in={d.year for d in days})
    if agency is not None:
        indicators = indicators.filter(agency=agency)
    written = 0
    for indicator in indicators.select_related("objective"):
        for day in {period_of(indicator.frequency, d)[0]: d for d in days if d.year == indicator.objective.year} \
                .values():
            try:
                if measurement_compute(actor=None, indicator=indicator, on=day) is not None:
                    written += 1
            except ApplicationError:
                continue
    return written


# --- Plan ---------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_action_add(*, actor, objective: QualityObjective, description: str, owner, due_on: dt.date) -> ObjectivePlan:
    _require_manager(actor, objective.agency)
    objective = _locked(objective)
    if objective.status == ObjectiveStatus.CLOSED:
        raise ApplicationError(_("The objective is closed: its plan no longer changes."), code="closed")
    description = text_required(description, "description", _("Describe the action."))
    if owner is None:
        raise ApplicationError(_("Choose who owns the action."), code="owner_required",
                               errors={"owner": [_("This field is required.")]})
    if due_on is None:
        raise ApplicationError(_("Set the due date."), code="due_on_required",
                               errors={"due_on": [_("This field is required.")]})
    member_check(agency=objective.agency, user=owner, field="owner")
    action = ObjectivePlan(agency_id=objective.agency_id, objective=objective, description=description,
                           owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.CREATE)
    return action


@transaction.atomic
def plan_action_done(*, actor, action: ObjectivePlan, evidence: str) -> ObjectivePlan:
    """Mark a plan action done with what shows it (the managers, or the action's owner)."""
    if not can_update_plan_action(actor, action):
        raise PermissionDeniedError(_("Only the action's owner, the agency head and the ISO coordinator update it."))
    _locked(action.objective)
    action = ObjectivePlan.objects.select_for_update().select_related("objective").get(pk=action.pk)
    if action.status == PlanActionStatus.DONE:
        raise ApplicationError(_("This action is already done."), code="already_done")
    if action.objective.status == ObjectiveStatus.CLOSED:
        raise ApplicationError(_("The objective is closed: its plan no longer changes."), code="closed")
    evidence = text_required(evidence, "evidence", _("Say what shows that the action was done."))
    before = snapshot(action)
    action.status, action.done_at, action.evidence = PlanActionStatus.DONE, timezone.now(), evidence
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.UPDATE, before=before)
    return action


# --- A new year ---------------------------------------------------------------------------------------------


@transaction.atomic
def objectives_copy_year(*, actor, agency, from_year: int, to_year: int) -> int:
    """Start `to_year` from `from_year`'s objectives: each copied as a draft with its indicators and its plan
    (open actions, due dates moved by the years between). Refused when `to_year` already has objectives or
    `from_year` has none. Returns the number of objectives copied."""
    _require_manager(actor, agency)
    _check_year(from_year)
    _check_year(to_year)
    if from_year == to_year:
        raise ApplicationError(_("Choose two different years."), code="same_year")
    # Lock the agency's objectives so that two copies at once do not both pass the check below.
    list(QualityObjective.objects.select_for_update().filter(agency=agency, year__in=(from_year, to_year)))
    if QualityObjective.objects.filter(agency=agency, year=to_year).exists():
        raise ApplicationError(_("%(year)s already has objectives: nothing was copied.") % {"year": to_year},
                               code="year_not_empty")
    sources = list(QualityObjective.objects.filter(agency=agency, year=from_year)
                   .prefetch_related("indicators", "plan").order_by("created_at"))
    if not sources:
        raise ApplicationError(_("%(year)s has no objectives to copy.") % {"year": from_year}, code="nothing_to_copy")
    shift = to_year - from_year
    for source in sources:
        objective = QualityObjective.objects.create(agency=agency, year=to_year, title=source.title,
                                                    description=source.description, owner=source.owner)
        audit_record(actor=actor, instance=objective, action=AuditAction.CREATE,
                     note=_("Copied from %(year)s") % {"year": from_year})
        for indicator in source.indicators.all():
            Indicator.objects.create(agency=agency, objective=objective, name=indicator.name,
                                     value_source=indicator.value_source, metric=indicator.metric,
                                     unit=indicator.unit, comparison=indicator.comparison, target=indicator.target,
                                     frequency=indicator.frequency, owner=indicator.owner)
        for action in source.plan.all():
            ObjectivePlan.objects.create(agency=agency, objective=objective, description=action.description,
                                         owner=action.owner, due_on=_shift(action.due_on, shift))
    return len(sources)


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
