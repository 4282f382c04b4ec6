"""Receiving and processing dossiers. Each function is one transaction; the dossier's row is locked first,
so of two officers acting on the same step one succeeds and the other gets a conflict; a refused action
raises ApplicationError (PermissionDeniedError, ConflictError) with a message for the user and changes
nothing. Dossiers imported from a one-stop system are read-only here (they can be rated): that system
handles them and the next import brings the changes. Every change is recorded as a DossierEvent and in
the audit log, and updates the statistics (tallies.py).

    dossier_receive(*, actor, agency, procedure, case=None, applicant, channel, components=(),
                    submitted_at=None, decision="accept", reason="") -> Dossier
    dossier_step_complete(*, actor, step, assignee=None, note="") -> Dossier
    dossier_consult(*, actor, dossier, unit_name, comment) -> Dossier
    dossier_pause(*, actor, dossier, kind, reason) -> Dossier      (supplement request, waiting for fees)
    dossier_resume(*, actor, dossier, at=None) -> Dossier          (the applicant answered / paid)
    dossier_apologise(*, actor, dossier, reason, new_appointment) -> Dossier
    dossier_notify(*, actor, dossier, comment="") -> Dossier       (result ready early: applicant told)
    dossier_return(*, actor, dossier, method, at=None) -> Dossier
    dossier_end(*, actor, dossier, status, reason) -> Dossier      (refused, stopped, withdrawn)
    dossier_rate(*, dossier, rating, comment="") -> Dossier         (the applicant, without login)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.calendars.services import add_working_time
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import AGENCY_MANAGERS, scope_for
from eiso.dossiers.choices import (
    CANCELLED,
    OPEN_STATUSES,
    ApplicantKind,
    DossierStatus,
    Outcome,
    PauseKind,
    ReturnMethod,
    Satisfaction,
    Source,
)
from eiso.dossiers.clock import classify, clock_start, due_moment, statutory_duration
from eiso.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierPause, DossierSettings, DossierStep
from eiso.dossiers.tallies import Tracked

APPLICANT_FIELDS = ("kind", "name", "id_number", "phone", "email", "address")


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def may_handle(user, agency_id) -> bool:
    """May the user receive and process the dossiers of this agency (its head, ISO coordinator and staff)?"""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.is_global or agency_id in scope.agencies_for("handle", Dossier.permitted_roles)


def _require(actor, agency_id) -> None:
    if actor is not None and not may_handle(actor, agency_id):
        raise PermissionDeniedError(_("Only the agency's one-stop officers, its head and its ISO coordinator may "
                                      "handle its dossiers."))


def _event(dossier, actor, action: str, *, from_status: str = "", comment: str = "", public: bool = True,
           at: dt.datetime | None = None) -> None:
    DossierEvent.objects.create(agency_id=dossier.agency_id, dossier=dossier, action=action, from_status=from_status,
                                to_status=dossier.status, actor=_user(actor), at=at or timezone.now(),
                                comment=comment, public=public)


def _locked(dossier: Dossier, *statuses, actor=None, imported: bool = False) -> Dossier:
    """The dossier's row, locked, once `actor` is found to handle the agency's dossiers; a conflict when someone
    else moved it out of `statuses` meanwhile. A dossier imported from the one-stop system is handled there
    (changes come with the next import) unless `imported`."""
    locked = Dossier.objects.select_for_update().select_related("agency").get(pk=dossier.pk)
    _require(actor, locked.agency_id)
    if locked.source == Source.IMPORTED and not imported:
        raise ApplicationError(_("This dossier is handled in the province's one-stop system: record the change "
                                 "there; it reaches eISO with the next import."), code="imported")
    if statuses and locked.status not in statuses:
        if dossier.status != locked.status:
            raise ConflictError(_("Someone else has just changed this dossier (it is now %(status)s). Reload the "
                                  "page.") % {"status": locked.get_status_display()})
        raise ApplicationError(_("A dossier that is %(status)s cannot be changed this way.")
                               % {"status": locked.get_status_display()}, code="invalid_status")
    return locked


# --- Codes ----------------------------------------------------------------------------------------------------


def dossier_code_next(*, agency, moment: dt.datetime) -> str:
    """The next code of the agency's desk for a receipt at `moment` (default: unit identifier + YYMMDD + a
    4-digit daily sequence). The day's counter row is locked until the receipt commits, so concurrent
    receipts get consecutive numbers and never the same one."""
    own = DossierSettings.objects.filter(agency=agency).first()
    unit = (own.unit_code if own and own.unit_code else agency.code) or ""
    pattern = (own.code_pattern if own and own.code_pattern else settings.EISO["DOSSIER_CODE_PATTERN"])
    day = timezone.localtime(moment).date()
    counter, _created = DossierCounter.objects.select_for_update().get_or_create(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return pattern.format(unit=unit, date=day, seq=counter.last)


def validate_code_pattern(pattern: str) -> None:
    if "{seq" not in pattern or "{date" not in pattern:
        raise ApplicationError(_("The code pattern must contain {date:...} and {seq:...}, or codes would repeat."),
                               code="invalid_pattern")
    try:
        pattern.format(unit="X", date=dt.date(2026, 1, 2), seq=1)
    except (KeyError, ValueError, IndexError) as exc:
        raise ApplicationError(_("The code pattern is not valid: %(error)s") % {"error": exc},
                               code="invalid_pattern") from exc


# --- Receipt --------------------------------------------------------------------------------------------------


def process_for(*, agency, procedure, case=None):
    """The agency's process for this procedure (or case), the published one first."""
    from eiso.processes.models import Process

    processes = Process.objects.filter(agency=agency).select_related("document__current_revision")
    candidates = processes.filter(cases=case) if case is not None else processes.none()
    if not candidates.exists():
        candidates = processes.filter(procedures=procedure)
    return sorted(candidates, key=lambda p: p.document.current_revision_id is None)[0] if candidates else None


def _applicant(applicant: dict) -> dict:
    data = {f"applicant_{key}": (applicant.get(key) or "").strip() for key in APPLICANT_FIELDS}
    data["applicant_kind"] = data["applicant_kind"] or ApplicantKind.PERSON
    errors = {}
    if not data["applicant_name"]:
        errors["applicant_name"] = [_("This field is required.")]
    if data["applicant_kind"] not in ApplicantKind.values:
        errors["applicant_kind"] = [_("Choose a person or an organisation.")]
    if errors:
        raise ApplicationError(_("Enter the applicant's name."), code="invalid", errors=errors)
    return data


@transaction.atomic
def dossier_receive(*, actor, agency, procedure, case=None, applicant: dict, channel: str = "direct",
                    components=(), submitted_at: dt.datetime | None = None, decision: str = "accept",
                    reason: str = "") -> Dossier:
    """Record a dossier handed in at the desk (or online). `decision`: "accept" (valid: a code, the due
    moment, the steps of the process), "supplement" (incomplete: what is missing, in `reason`) or "reject"
    (not acceptable: why, in `reason`)."""
    _require(actor, agency.pk)
    if case is not None and case.procedure_id != procedure.pk:
        raise ApplicationError(_("This case belongs to another procedure."), code="invalid",
                               errors={"case": [_("Choose a case of the chosen procedure.")]})
    if case is None:
        cases = list(procedure.cases.all()[:2])
        case = cases[0] if len(cases) == 1 else None
    now = timezone.now()
    if submitted_at is not None and submitted_at > now:
        message = _("This moment is still to come: leave the field empty for now.")
        raise ApplicationError(message, code="invalid", errors={"submitted_at": [message]})
    submitted_at = submitted_at or now
    process = process_for(agency=agency, procedure=procedure, case=case)
    dossier = Dossier(agency=agency, procedure=procedure, case=case, process=process, channel=channel,
                      components=list(components), submitted_at=submitted_at, received_by=_user(actor),
                      **_applicant(applicant))
    if decision in ("supplement", "reject"):
        if not reason.strip():
            raise ApplicationError(_("Write what is missing or why the dossier cannot be accepted."),
                                   code="reason_required", errors={"reason": [_("This field is required.")]})
        dossier.status = DossierStatus.INCOMPLETE if decision == "supplement" else DossierStatus.REJECTED
        dossier.reason = reason.strip()
        dossier.save()
        _event(dossier, actor, decision, comment=dossier.reason)
        audit_record(actor=actor, instance=dossier, action=AuditAction.CREATE)
        return dossier
    if decision != "accept":
        raise ApplicationError(_("Unknown decision %(decision)s.") % {"decision": decision}, code="invalid")
    amount, unit = statutory_duration(case=case, process=process)
    dossier.duration, dossier.duration_unit = amount, unit
    dossier.received_at = submitted_at
    dossier.counted_from = clock_start(agency=agency, moment=submitted_at)
    dossier.due_at = dossier.appointment_at = due_moment(agency=agency, start=dossier.counted_from, amount=amount,
                                                         unit=unit)
    dossier.status = DossierStatus.IN_PROGRESS
    dossier.code = dossier_code_next(agency=agency, moment=submitted_at)
    with Tracked(dossier, new=True):
        try:
            with transaction.atomic():
                dossier.save()
        except IntegrityError as exc:  # a code given by hand (custom pattern) collided
            raise ConflictError(_("Dossier code %(code)s is already used. Check the code pattern of the desk.")
                                % {"code": dossier.code}) from exc
        _steps_create(dossier, actor)
    _event(dossier, actor, "receive", at=submitted_at)
    audit_record(actor=actor, instance=dossier, action=AuditAction.CREATE)
    return dossier


def _steps_create(dossier: Dossier, actor) -> None:
    """The control slip's rows, from the process's steps (or one step when there is no process); the first
    starts at once with the receiving officer."""
    plan = list(dossier.process.steps.all()) if dossier.process is not None else []
    rows = [DossierStep(agency_id=dossier.agency_id, dossier=dossier, order=index, process_step=step,
                        action=step.action, responsible=step.responsible, unit_id=step.responsible_unit_id,
                        hours=step.hours or None)
            for index, step in enumerate(plan, start=1)]
    if not rows:
        rows = [DossierStep(agency_id=dossier.agency_id, dossier=dossier, order=1,
                            action=_("Process the dossier and give the result"))]
    DossierStep.objects.bulk_create(rows)
    _step_start(dossier, rows[0], assignee=_user(actor), at=dossier.counted_from)


def _step_start(dossier: Dossier, step: DossierStep, *, assignee, at: dt.datetime) -> None:
    step.assignee, step.started_at = assignee, at
    step.due_at = _step_due(dossier, step)
    step.save(update_fields=["assignee", "started_at", "due_at", "updated_at"])


def _pauses(dossier: Dossier, since: dt.datetime | None = None) -> list:
    return [(p.started_at, p.ended_at) for p in dossier.pauses.order_by("started_at")
            if since is None or p.ended_at is None or p.ended_at > since]


def _step_due(dossier: Dossier, step: DossierStep):
    if not step.hours or step.started_at is None:
        return None
    return add_working_time(start=step.started_at, hours=Decimal(step.hours), agency=dossier.agency_id,
                            pauses=_pauses(dossier, step.started_at))


# --- Processing -----------------------------------------------------------------------------------------------


def may_hand_over(user, dossier: Dossier, step: DossierStep) -> bool:
    """Among those who handle the agency's dossiers: the step's assignee, anyone when it is unassigned, the
    agency head or the ISO coordinator."""
    scope = scope_for(user)
    return (step.assignee_id in (None, user.pk) or scope.is_global
            or bool(scope.roles_in(dossier.agency_id) & AGENCY_MANAGERS))


def _may_act_on(actor, dossier: Dossier, step: DossierStep) -> None:
    """After _locked() (which checked the actor handles the agency's dossiers)."""
    if actor is not None and not may_hand_over(actor, dossier, step):
        raise PermissionDeniedError(_("This step is assigned to %(person)s: only they, the agency head or the ISO "
                                      "coordinator may hand it over.") % {"person": step.assignee})


def _finish(dossier: Dossier, *, status: str, at: dt.datetime) -> None:
    dossier.status, dossier.finished_at = status, at
    if status in CANCELLED:
        return
    dossier.outcome = Outcome.LATE if dossier.apology_at else classify(at, dossier.due_at)


@transaction.atomic
def dossier_step_complete(*, actor, step: DossierStep, assignee=None, note: str = "") -> Dossier:
    """Hand the current step over: it is finished now and classified against its due moment; the next step
    starts with `assignee`. After the last step the result is ready and the dossier is classified."""
    dossier = _locked(step.dossier, DossierStatus.IN_PROGRESS, actor=actor)
    current = dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True).first()
    if current is None or current.pk != step.pk:
        raise ConflictError(_("This step has just been handed over by someone else. Reload the page."))
    _may_act_on(actor, dossier, current)
    if assignee is not None and not dossier_handlers(dossier.agency_id).filter(pk=assignee.pk).exists():
        raise ApplicationError(_("%(person)s does not work on this agency's dossiers. Choose someone else.")
                               % {"person": assignee}, code="invalid", errors={"assignee": [_("Not allowed.")]})
    now = timezone.now()
    before = snapshot(dossier)
    with Tracked(dossier):
        current.finished_at, current.finished_by, current.note = now, _user(actor), note.strip()
        current.result = classify(now, current.due_at or dossier.due_at)
        current.save(update_fields=["finished_at", "finished_by", "note", "result", "updated_at"])
        following = dossier.steps.filter(order__gt=current.order).order_by("order").first()
        if following is not None:
            _step_start(dossier, following, assignee=assignee, at=now)
            comment = following.action
        else:
            _finish(dossier, status=DossierStatus.RESULT_READY, at=now)
            dossier.save(update_fields=["status", "finished_at", "outcome", "updated_at"])
            comment = ""
    _event(dossier, actor, "hand_over" if following is not None else "result_ready",
           from_status=before["status"], comment=comment)
    audit_record(actor=actor, instance=dossier, action=AuditAction.TRANSITION, before=before,
                 note=f"B{current.order} → {following.order if following else '✓'}")
    return dossier


def dossier_handlers(agency_id):
    """The people who may be handed a step: the agency's desk roles."""
    from eiso.accounts.models import User
    from eiso.organizations.models import RoleAssignment

    assignments = RoleAssignment.objects.active().filter(agency_id=agency_id,
                                                         role__in=Dossier.permitted_roles["handle"])
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).distinct()


@transaction.atomic
def dossier_consult(*, actor, dossier: Dossier, unit_name: str, comment: str) -> Dossier:
    """Record a consultation with another unit or agency (the clock keeps running)."""
    dossier = _locked(dossier, *OPEN_STATUSES, actor=actor)
    if not unit_name.strip():
        raise ApplicationError(_("Name the unit consulted."), code="invalid",
                               errors={"unit_name": [_("This field is required.")]})
    _event(dossier, actor, "consult", comment=f"{unit_name.strip()}: {comment.strip()}".strip(": "), public=False)
    return dossier


@transaction.atomic
def dossier_pause(*, actor, dossier: Dossier, kind: str, reason: str) -> Dossier:
    """Ask the applicant for a supplement (or to pay fees): the clock stops until they answer."""
    dossier = _locked(dossier, DossierStatus.IN_PROGRESS, actor=actor)
    if kind not in PauseKind.values:
        raise ApplicationError(_("Unknown kind of stop."), code="invalid")
    if not reason.strip():
        raise ApplicationError(_("Write what the applicant must supplement or pay."), code="reason_required",
                               errors={"reason": [_("This field is required.")]})
    before = snapshot(dossier)
    DossierPause.objects.create(agency_id=dossier.agency_id, dossier=dossier, kind=kind, reason=reason.strip(),
                                started_at=timezone.now())
    dossier.status = DossierStatus.SUSPENDED
    dossier.save(update_fields=["status", "updated_at"])
    _event(dossier, actor, kind, from_status=before["status"], comment=reason.strip())
    audit_record(actor=actor, instance=dossier, action=AuditAction.TRANSITION, before=before, note=kind)
    return dossier


@transaction.atomic
def dossier_resume(*, actor, dossier: Dossier, at: dt.datetime | None = None) -> Dossier:
    """The applicant supplemented (or paid): the clock runs again. After a supplement it counts again from
    zero (the 2018 rule, the default) unless the process says it resumes where it stopped; after fees it
    resumes. The due moments of the dossier and of its current step move accordingly."""
    dossier = _locked(dossier, DossierStatus.SUSPENDED, actor=actor)
    pause = dossier.pauses.get(ended_at__isnull=True)
    at = at or timezone.now()
    if at < pause.started_at:
        raise ApplicationError(_("The answer cannot come before the request."), code="invalid")
    before = snapshot(dossier)
    with Tracked(dossier):
        pause.ended_at = at
        pause.save(update_fields=["ended_at", "updated_at"])
        restart = pause.kind == PauseKind.SUPPLEMENT and (
            dossier.process is None or dossier.process.supplement_restarts_clock)
        if restart:
            dossier.counted_from = clock_start(agency=dossier.agency, moment=at)
            pauses = []
        else:
            pauses = _pauses(dossier, dossier.counted_from)
        due = due_moment(agency=dossier.agency, start=dossier.counted_from, amount=dossier.duration,
                         unit=dossier.duration_unit, pauses=pauses)
        moved = due - dossier.due_at
        dossier.due_at = due
        dossier.appointment_at = dossier.appointment_at + moved if dossier.apology_at else due
        dossier.status = DossierStatus.IN_PROGRESS
        dossier.save(update_fields=["counted_from", "due_at", "appointment_at", "status", "updated_at"])
        current = dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True).first()
        if current is not None and current.hours:
            current.due_at = _step_due(dossier, current)
            current.save(update_fields=["due_at", "updated_at"])
    _event(dossier, actor, "resume", from_status=before["status"],
           comment=_("New appointment: %(date)s") % {"date": timezone.localtime(dossier.appointment_at)
                                                     .strftime("%H:%M %d/%m/%Y")})
    audit_record(actor=actor, instance=dossier, action=AuditAction.TRANSITION, before=before, note="resume")
    return dossier


def apology_in_time(dossier: Dossier, *, now: dt.datetime | None = None) -> bool:
    """Is it still one working day or more before the appointment (the latest an apology letter may go out)?"""
    return add_working_time(start=now or timezone.now(), days=1, agency=dossier.agency_id) <= dossier.appointment_at


@transaction.atomic
def dossier_apologise(*, actor, dossier: Dossier, reason: str, new_appointment: dt.datetime) -> Dossier:
    """The apology letter: a reason and a new return date, at most once, no later than one working day
    before the due moment. The dossier still counts as late."""
    dossier = _locked(dossier, *OPEN_STATUSES, actor=actor)
    if dossier.apology_at is not None:
        raise ApplicationError(_("An apology was already issued on %(date)s: the return date can be moved only "
                                 "once.") % {"date": timezone.localtime(dossier.apology_at).strftime("%d/%m/%Y")},
                               code="apology_issued")
    now = timezone.now()
    if not apology_in_time(dossier, now=now):
        raise ApplicationError(_("It is too late for an apology letter: it must be sent no later than one working "
                                 "day before the due moment (%(due)s).")
                               % {"due": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")},
                               code="apology_too_late")
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("This field is required.")]
    if new_appointment is None or new_appointment <= dossier.appointment_at:
        errors["new_appointment"] = [_("Choose a date after the current appointment.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], code="invalid", errors=errors)
    before = snapshot(dossier)
    with Tracked(dossier):
        dossier.apology_at, dossier.apology_reason, dossier.appointment_at = now, reason.strip(), new_appointment
        dossier.save(update_fields=["apology_at", "apology_reason", "appointment_at", "updated_at"])
    _event(dossier, actor, "apologise", comment=reason.strip())
    audit_record(actor=actor, instance=dossier, action=AuditAction.UPDATE, before=before, note="apology")
    return dossier


@transaction.atomic
def dossier_notify(*, actor, dossier: Dossier, comment: str = "") -> Dossier:
    """Record that the applicant was told the result is ready (required before an early return)."""
    dossier = _locked(dossier, DossierStatus.RESULT_READY, actor=actor)
    dossier.notified_at = timezone.now()
    dossier.save(update_fields=["notified_at", "updated_at"])
    _event(dossier, actor, "notify", comment=comment.strip())
    return dossier


@transaction.atomic
def dossier_return(*, actor, dossier: Dossier, method: str, at: dt.datetime | None = None) -> Dossier:
    dossier = _locked(dossier, DossierStatus.RESULT_READY, actor=actor)
    if method not in ReturnMethod.values:
        raise ApplicationError(_("Say how the result was returned."), code="invalid",
                               errors={"method": [_("This field is required.")]})
    if dossier.outcome == Outcome.EARLY and dossier.notified_at is None:
        raise ApplicationError(_("The result is ready before the appointment: record that the applicant was told "
                                 "(“Applicant notified”) before returning it."), code="notify_first")
    before = snapshot(dossier)
    dossier.status, dossier.return_method, dossier.returned_at = DossierStatus.RETURNED, method, at or timezone.now()
    dossier.save(update_fields=["status", "return_method", "returned_at", "updated_at"])
    _event(dossier, actor, "return", from_status=before["status"], comment=dossier.get_return_method_display())
    audit_record(actor=actor, instance=dossier, action=AuditAction.TRANSITION, before=before, note="return")
    return dossier


@transaction.atomic
def dossier_end(*, actor, dossier: Dossier, status: str, reason: str) -> Dossier:
    """Refuse after review, stop at the applicant's request, or record a withdrawal, with the reason."""
    if status not in (DossierStatus.REFUSED, *CANCELLED):
        raise ApplicationError(_("Unknown ending."), code="invalid")
    dossier = _locked(dossier, *OPEN_STATUSES, actor=actor)
    if not reason.strip():
        raise ApplicationError(_("Write the reason: it is sent to the applicant."), code="reason_required",
                               errors={"reason": [_("This field is required.")]})
    before = snapshot(dossier)
    now = timezone.now()
    with Tracked(dossier):
        dossier.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        _finish(dossier, status=status, at=now)
        dossier.reason = reason.strip()
        dossier.save(update_fields=["status", "finished_at", "outcome", "reason", "updated_at"])
    _event(dossier, actor, status, from_status=before["status"], comment=dossier.reason)
    audit_record(actor=actor, instance=dossier, action=AuditAction.TRANSITION, before=before, note=status)
    return dossier


@transaction.atomic
def dossier_rate(*, dossier: Dossier, rating: int, comment: str = "") -> Dossier:
    """The applicant's satisfaction, once, after the result was returned (public, no login)."""
    dossier = _locked(dossier, imported=True)
    if dossier.status != DossierStatus.RETURNED:
        raise ApplicationError(_("You can rate a dossier once its result has been returned."), code="not_returned")
    if dossier.rating is not None:
        raise ApplicationError(_("This dossier has already been rated. Thank you."), code="already_rated")
    if rating not in Satisfaction.values:
        raise ApplicationError(_("Choose how satisfied you are."), code="invalid",
                               errors={"rating": [_("This field is required.")]})
    with Tracked(dossier):
        dossier.rating, dossier.rating_comment, dossier.rated_at = rating, comment.strip()[:2000], timezone.now()
        dossier.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _event(dossier, None, "rate", public=False)
    return dossier
