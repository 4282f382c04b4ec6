"""Writes of citizens' feedback (phản ánh, kiến nghị). Every write runs in a transaction, checks the actor's right
first, validates before changing anything and leaves an audit entry; a refusal raises ApplicationError
(PermissionDeniedError for a missing right) and changes nothing.

Who: anyone may submit through the public form (actor None, channel public_form); the agency's head, ISO
coordinator and staff record feedback received at the desk, by phone or by e-mail; the head and the coordinator
assign, close, reject and raise a nonconformity; the assigned handler (or a manager) records the response.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.calendars.services import add_working_time
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import Role, scope_for
from eiso.core.workflow import transition_check
from eiso.improvement import feedback_workflow as workflow
from eiso.improvement.choices import STAFF_CHANNELS, FeedbackChannel, FeedbackKind, FeedbackStatus, NonconformitySource
from eiso.improvement.models import Feedback, FeedbackCounter

NUMBER_FORMAT = "{agency}-PA-{year}-{seq:04d}"
# Who records feedback received at the desk, by phone or by e-mail, and who may be its handler.
RECORDERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF})
MIN_PHONE_DIGITS = 8


def response_working_days() -> int:
    """Working days the agency has to answer (setting EISO_FEEDBACK_RESPONSE_WORKING_DAYS, 10 by default: the
    10 working days of the rules on handling feedback on administrative regulations — unverified, hence a
    setting)."""
    return int(getattr(settings, "EISO_FEEDBACK_RESPONSE_WORKING_DAYS", 10))


def feedback_due_on(*, agency, received_at: dt.datetime) -> dt.date:
    """The response due date: `response_working_days()` working days after the receipt, in the agency's
    working calendar (weekends, holidays and day swaps excluded; after office hours counts from the next
    opening)."""
    due = add_working_time(start=received_at, days=response_working_days(), agency=agency)
    return timezone.localdate(due)


def agency_procedures(agency):
    """The procedures a feedback of this agency may be about: those of its processes."""
    from eiso.catalog.models import Procedure

    return Procedure.objects.filter(processes__agency=agency).distinct().order_by("code")


# --- Rights -------------------------------------------------------------------------------------------------


def can_record(user, agency) -> bool:
    """Record a feedback received at the desk, by phone or by e-mail: the agency's head, coordinator, staff."""
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & RECORDERS)


def can_manage(user, feedback: Feedback) -> bool:
    """Assign, close, reject, raise a nonconformity: the agency head and the ISO coordinator."""
    if user is None:
        return True
    return Feedback.objects.restrict(user, "change").filter(pk=feedback.pk).exists()


def can_respond(user, feedback: Feedback) -> bool:
    """Record the response: the managers, or the handler it is assigned to (who must still see it)."""
    if user is None or can_manage(user, feedback):
        return True
    return (feedback.handler_id == user.pk
            and Feedback.objects.restrict(user, "view").filter(pk=feedback.pk).exists())


def can_see_contact(user, feedback: Feedback) -> bool:
    """The submitter's phone and e-mail are shown only to those who handle the feedback."""
    return can_respond(user, feedback)


def _require_manager(actor, feedback) -> None:
    if not can_manage(actor, feedback):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage feedback."))


def _snapshot(feedback: Feedback) -> dict:
    """The audit trail's view of a feedback: the submitter's phone and e-mail (personal data) are left out, since
    the trail is read by more people than those who handle the feedback."""
    data = snapshot(feedback)
    for name in ("phone", "email"):
        data.pop(name, None)
    return data


def _audit(actor, feedback, action, before=None, note=""):
    audit_record(actor=actor, instance=feedback, action=action, before=before, after=_snapshot(feedback), note=note)


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _check_transition(feedback: Feedback, name: str) -> None:
    transition_check(workflow.TRANSITIONS[name], feedback,
                     refused=_("“%(action)s” is not possible while the feedback is %(status)s."))


def _move(actor, feedback: Feedback, name: str, before: dict, note: str = "") -> Feedback:
    feedback.status = workflow.TRANSITIONS[name].target
    feedback.full_clean()
    feedback.save()
    _audit(actor, feedback, AuditAction.TRANSITION, before, note=note or str(workflow.TRANSITIONS[name].label))
    return feedback


# --- Receiving ----------------------------------------------------------------------------------------------


def feedback_number_next(*, agency, year: int) -> str:
    """The next tracking code of the agency's year; the counter row stays locked until the caller commits."""
    counter, _created = FeedbackCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return NUMBER_FORMAT.format(agency=agency.code, year=year, seq=counter.last)


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


@transaction.atomic
def feedback_receive(*, actor, agency, content: str, submitter_name: str, phone: str = "", email: str = "",
                     kind: str = FeedbackKind.FEEDBACK, procedure=None, channel: str = FeedbackChannel.PUBLIC_FORM,
                     received_at: dt.datetime | None = None) -> Feedback:
    """Record a feedback with the next tracking code of the agency's year and its response due date.

    `actor` None with channel public_form: submitted by a citizen through the public form (which requires the
    phone, the second factor of the public status page). Otherwise the agency's head, coordinator or staff
    record one received at the desk, by phone or by e-mail (a phone or an e-mail is required)."""
    public = channel == FeedbackChannel.PUBLIC_FORM
    if public and actor is not None:
        raise ApplicationError(_("Feedback from the public form is submitted by the citizen: choose the desk, "
                                 "phone or e-mail channel."), code="invalid_channel",
                               errors={"channel": [_("Choose the desk, phone or e-mail.")]})
    if not public:
        if actor is None or not can_record(actor, agency):
            raise PermissionDeniedError(_("Only the agency's head, ISO coordinator and staff record feedback."))
        if channel not in STAFF_CHANNELS:
            raise ApplicationError(_("Unknown channel %(channel)s.") % {"channel": channel}, code="invalid_channel",
                                   errors={"channel": [_("Choose the desk, phone or e-mail.")]})
    errors = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose feedback or petition.")]
    if not (content or "").strip():
        errors["content"] = [_("Write what the feedback is about.")]
    if not (submitter_name or "").strip():
        errors["submitter_name"] = [_("Give the name of the person or business.")]
    phone, email = (phone or "").strip(), (email or "").strip()
    if phone and len(_digits(phone)) < MIN_PHONE_DIGITS:
        errors["phone"] = [_("Enter a phone number of at least 8 digits.")]
    elif public and not phone:
        errors["phone"] = [_("Enter your phone number: its last 4 digits let you follow the feedback online.")]
    elif not phone and not email:
        errors["phone"] = [_("Give a phone number or an e-mail address to answer to.")]
    if procedure is not None and not agency_procedures(agency).filter(pk=procedure.pk).exists():
        errors["procedure"] = [_("Choose one of the agency's procedures.")]
    if errors:
        raise ApplicationError(_("Correct the highlighted fields."), code="invalid", errors=errors)
    received_at = received_at or timezone.now()
    year = timezone.localtime(received_at).year
    feedback = Feedback(
        agency=agency, year=year, number=feedback_number_next(agency=agency, year=year), kind=kind,
        procedure=procedure, content=content.strip(), submitter_name=submitter_name.strip(), phone=phone,
        email=email, channel=channel, received_at=received_at, recorded_by=actor,
        due_on=feedback_due_on(agency=agency, received_at=received_at),
    )
    feedback.full_clean()
    feedback.save()
    _audit(actor, feedback, AuditAction.CREATE)
    return feedback


# --- Handling -----------------------------------------------------------------------------------------------


@transaction.atomic
def feedback_assign(*, actor, feedback: Feedback, handler) -> Feedback:
    """Give the feedback to one of the agency's head, coordinator or staff to answer (again to reassign)."""
    _require_manager(actor, feedback)
    feedback = _locked(feedback)
    _check_transition(feedback, "assign")
    from eiso.organizations.models import RoleAssignment

    if handler is None or not RoleAssignment.objects.active().filter(
            user=handler, agency_id=feedback.agency_id, role__in=RECORDERS).exists():
        raise ApplicationError(_("Choose the handler among the agency's head, ISO coordinator and staff."),
                               code="invalid_handler", errors={"handler": [_("Choose one of the agency's people.")]})
    before = _snapshot(feedback)
    feedback.handler = handler
    feedback.assigned_at = timezone.now()
    return _move(actor, feedback, "assign", before, note=_("Assigned to %(user)s") % {"user": handler})


@transaction.atomic
def feedback_respond(*, actor, feedback: Feedback, response: str) -> Feedback:
    """Record the agency's response (the handler or a manager). The submitter reads it on the status page."""
    if not can_respond(actor, feedback):
        raise PermissionDeniedError(_("Only the handler of this feedback, the agency head and the ISO coordinator "
                                      "answer it."))
    feedback = _locked(feedback)
    _check_transition(feedback, "respond")
    if not (response or "").strip():
        raise ApplicationError(_("Write the response."), code="response_required",
                               errors={"response": [_("This field is required.")]})
    before = _snapshot(feedback)
    feedback.response = response.strip()
    feedback.answered_by = actor
    feedback.answered_at = timezone.now()
    return _move(actor, feedback, "respond", before)


@transaction.atomic
def feedback_close(*, actor, feedback: Feedback) -> Feedback:
    """Close an answered feedback."""
    _require_manager(actor, feedback)
    feedback = _locked(feedback)
    if feedback.status in (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED):
        raise ApplicationError(_("Record the response before closing the feedback."), code="invalid_transition")
    _check_transition(feedback, "close")
    before = _snapshot(feedback)
    feedback.closed_at = timezone.now()
    return _move(actor, feedback, "close", before)


@transaction.atomic
def feedback_reject(*, actor, feedback: Feedback, reason: str) -> Feedback:
    """Reject a feedback outside the agency's scope, saying why (the submitter reads the reason)."""
    _require_manager(actor, feedback)
    feedback = _locked(feedback)
    _check_transition(feedback, "reject")
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the feedback is rejected."), code="reason_required",
                               errors={"reason": [_("This field is required.")]})
    before = _snapshot(feedback)
    feedback.rejection_reason = reason.strip()
    feedback.closed_at = timezone.now()
    return _move(actor, feedback, "reject", before, note=reason.strip())


@transaction.atomic
def feedback_raise_nonconformity(*, actor, feedback: Feedback, description: str = "", grade: str = ""):
    """Raise a nonconformity (source: citizen feedback) from the feedback and link it; refused when one is
    already linked."""
    from eiso.improvement.services import nonconformity_raise

    _require_manager(actor, feedback)
    feedback = _locked(feedback)
    if feedback.nonconformity_id is not None:
        raise ApplicationError(_("Nonconformity %(number)s is already linked to this feedback.")
                               % {"number": feedback.nonconformity.number}, code="already_raised")
    if feedback.status == FeedbackStatus.REJECTED:
        raise ApplicationError(_("The feedback was rejected: no nonconformity is raised from it."),
                               code="invalid_status")
    description = (description or "").strip() or _("From feedback %(number)s: %(content)s") % {
        "number": feedback.number, "content": feedback.content}
    nonconformity = nonconformity_raise(actor=actor, agency=feedback.agency, description=description,
                                        source=NonconformitySource.FEEDBACK, grade=grade)
    before = _snapshot(feedback)
    feedback.nonconformity = nonconformity
    feedback.save(update_fields=["nonconformity", "updated_at"])
    _audit(actor, feedback, AuditAction.UPDATE, before)
    return nonconformity
