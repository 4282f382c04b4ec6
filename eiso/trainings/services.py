"""Writes of training courses, their participants and certificates (consultants: consultant_services.py; the
import from a workbook: imports.py).

Every write runs in a transaction, checks the actor's right first (PermissionDeniedError), validates before changing
anything (ApplicationError with the fields' errors) and leaves an audit entry; a refusal changes nothing. `actor`
None is the system (demo data, commands).

Who: the supervisors of the province whose supervising authority keeps the course (and system administrators).

Certificates: numbered per course when issued (services.certificates_issue), printed as "<course>.<seq>/<year>/GCN"
(models.Participant). A participant with a certificate cannot be removed, moved to another agency or marked as not
passed: its number stays taken.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.numbering import next_number
from eiso.core.permissions import scope_for
from eiso.core.permissions import today as local_today
from eiso.core.text import fold
from eiso.trainings.choices import TrainingKind
from eiso.trainings.models import Consultant, Participant, Training

MAX_NAME = 200

TRAINING_FIELDS = ("topic", "kind", "start_on", "end_on", "location", "trainer", "consultant", "notes")
PARTICIPANT_FIELDS = ("agency", "full_name", "position", "user", "attended", "passed")


# --- Rights -----------------------------------------------------------------------------------------------------


def is_authority(user, authority) -> bool:
    """Whether the user keeps the records of `authority` (an agency acting as a province's supervising authority):
    one of that province's supervisors, or an administrator. None: the system."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or authority.province_id in scope.authority_provinces


def _require_authority(actor, authority) -> None:
    if not is_authority(actor, authority):
        raise PermissionDeniedError(_("Only the supervisors of the province (its Department of Science and "
                                      "Technology) keep its training courses and consultants."))


def _require_supervising_authority(authority) -> None:
    from eiso.organizations.models import SupervisingAuthority

    if not SupervisingAuthority.objects.filter(agency=authority).exists():
        raise ApplicationError(_("%(agency)s is not the supervising authority of a province.")
                               % {"agency": authority}, code="not_an_authority")


def _errors(errors: dict) -> None:
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else _("Correct the fields shown.")
        raise ApplicationError(message, code="invalid", errors=errors)


def _text(value) -> str:
    return str(value or "").strip()


def _refuse_fields(names) -> None:
    raise ApplicationError(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(names))},
                           code="not_editable")


def _clean(instance) -> None:
    from eiso.core.services import validate

    validate(instance)


# --- Training courses -------------------------------------------------------------------------------------------


def _training_errors(authority, values: dict) -> dict:
    errors = {}
    if not _text(values.get("topic")):
        errors["topic"] = [_("This field is required.")]
    if values.get("kind") not in TrainingKind.values:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(TrainingKind.values)}]
    start, end = values.get("start_on"), values.get("end_on")
    if start is None:
        errors["start_on"] = [_("This field is required.")]
    if end is None:
        errors["end_on"] = [_("This field is required.")]
    if start and end and start > end:
        errors["end_on"] = [_("The course must end on or after its first day.")]
    consultant = values.get("consultant")
    if consultant is not None and consultant.agency_id != authority.pk:
        errors["consultant"] = [_("Choose a consultant registered by this authority.")]
    return errors


@transaction.atomic
def training_create(*, actor, authority, topic: str, kind: str, start_on: dt.date, end_on: dt.date,
                    location: str = "", trainer: str = "", consultant: Consultant | None = None,
                    notes: str = "") -> Training:
    """Record a course of `authority` with the next number of the year of its first day."""
    _require_authority(actor, authority)
    _require_supervising_authority(authority)
    values = {"topic": topic, "kind": kind, "start_on": start_on, "end_on": end_on, "location": location,
              "trainer": trainer, "consultant": consultant, "notes": notes}
    _errors(_training_errors(authority, values))
    number = next_number(Training.objects.filter(agency=authority, year=start_on.year), lock=authority)
    training = Training(agency=authority, year=start_on.year, number=number, topic=topic.strip(), kind=kind,
                        start_on=start_on, end_on=end_on, location=_text(location), trainer=_text(trainer),
                        consultant=consultant, notes=_text(notes))
    _clean(training)
    training.save()
    audit_record(actor=actor, instance=training, action=AuditAction.CREATE)
    return training


def _locked_training(training: Training) -> Training:
    return Training.objects.select_for_update().select_related("agency").get(pk=training.pk)


def _certificates_issued(training: Training) -> bool:
    return training.participants.filter(certificate_sequence__isnull=False).exists()


@transaction.atomic
def training_update(*, actor, training: Training, **changes) -> Training:
    """Change a course. Moving its first day to another year renumbers it in that year, which is refused once
    certificates carrying its number are issued."""
    unknown = set(changes) - set(TRAINING_FIELDS)
    if unknown:
        _refuse_fields(unknown)
    training = _locked_training(training)
    _require_authority(actor, training.agency)
    values = {name: getattr(training, name) for name in TRAINING_FIELDS} | changes
    _errors(_training_errors(training.agency, values))
    before = snapshot(training)
    new_year = values["start_on"].year
    if new_year != training.year:
        if _certificates_issued(training):
            raise ApplicationError(
                _("Certificates numbered for %(year)s are issued: the course cannot move to another year.")
                % {"year": training.year}, code="certificates_issued",
                errors={"start_on": [_("Keep a first day in %(year)s.") % {"year": training.year}]})
        training.number = next_number(Training.objects.filter(agency=training.agency, year=new_year),
                                      lock=training.agency)
        training.year = new_year
    for name, value in changes.items():
        setattr(training, name, value.strip() if isinstance(value, str) else value)
    _clean(training)
    training.save()
    audit_record(actor=actor, instance=training, action=AuditAction.UPDATE, before=before)
    return training


@transaction.atomic
def training_delete(*, actor, training: Training) -> None:
    """Delete a course recorded by mistake, with its participants; refused once a certificate is issued."""
    training = _locked_training(training)
    _require_authority(actor, training.agency)
    if _certificates_issued(training):
        raise ApplicationError(_("Certificates of this course are issued: it cannot be deleted."),
                               code="certificates_issued")
    for participant in training.participants.all():
        audit_record(actor=actor, instance=participant, action=AuditAction.DELETE, before=snapshot(participant))
    audit_record(actor=actor, instance=training, action=AuditAction.DELETE, before=snapshot(training))
    training.delete()


# --- Participants -----------------------------------------------------------------------------------------------


def agency_refusal(training: Training, agency) -> str | None:
    """Why `agency` cannot send people to the course, or None: it must be one of the province's agencies, existing
    on the course's first day."""
    if agency is None:
        return _("Choose the participant's agency.")
    if agency.province_id != training.agency.province_id:
        return _("%(agency)s is not an agency of the province.") % {"agency": agency}
    if agency.valid_to is not None and agency.valid_to < training.start_on:
        return _("%(agency)s ceased to exist on %(date)s, before the course.") % {
            "agency": agency, "date": agency.valid_to.strftime("%d/%m/%Y")}
    return None


def _person_key(agency_id, full_name: str, position: str) -> tuple:
    return agency_id, fold(full_name), fold(position)


def _is_member(user, agency) -> bool:
    from eiso.organizations.models import RoleAssignment

    return RoleAssignment.objects.filter(user=user, agency=agency).exists()


def _participant_errors(training: Training, values: dict, *, exclude_pk=None) -> dict:
    errors = {}
    full_name, position = _text(values.get("full_name")), _text(values.get("position"))
    if not full_name:
        errors["full_name"] = [_("This field is required.")]
    elif len(full_name) > MAX_NAME:
        errors["full_name"] = [_("At most %(n)s characters.") % {"n": MAX_NAME}]
    if len(position) > MAX_NAME:
        errors["position"] = [_("At most %(n)s characters.") % {"n": MAX_NAME}]
    agency = values.get("agency")
    refusal = agency_refusal(training, agency)
    if refusal:
        errors["agency"] = [refusal]
    user = values.get("user")
    if user is not None and agency is not None and not _is_member(user, agency):
        errors["user"] = [_("Choose one of the agency's people, or leave the account empty.")]
    if values.get("passed") and not values.get("attended"):
        errors["passed"] = [_("Only a participant who attended can pass.")]
    if full_name and not refusal:
        key = _person_key(agency.pk, full_name, position)
        others = training.participants.filter(agency=agency)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if any(_person_key(p.agency_id, p.full_name, p.position) == key for p in others):
            errors["full_name"] = [_("%(name)s of %(agency)s is already on this course.")
                                   % {"name": full_name, "agency": agency}]
    return errors


@transaction.atomic
def participant_add(*, actor, training: Training, agency, full_name: str, position: str = "", user=None,
                    attended: bool = True, passed: bool = False) -> Participant:
    """Put one person of one of the province's agencies on the course."""
    training = _locked_training(training)
    _require_authority(actor, training.agency)
    values = {"agency": agency, "full_name": full_name, "position": position, "user": user, "attended": attended,
              "passed": passed}
    _errors(_participant_errors(training, values))
    participant = Participant(agency=agency, training=training, full_name=_text(full_name),
                              position=_text(position), user=user, attended=attended, passed=passed)
    _clean(participant)
    participant.save()
    audit_record(actor=actor, instance=participant, action=AuditAction.CREATE)
    return participant


@transaction.atomic
def participant_update(*, actor, participant: Participant, **changes) -> Participant:
    """Correct a participant or record attendance and result. With a certificate, the person stays in the same
    agency, attended and passed (the name and position may still be corrected)."""
    unknown = set(changes) - set(PARTICIPANT_FIELDS)
    if unknown:
        _refuse_fields(unknown)
    training = _locked_training(participant.training)
    _require_authority(actor, training.agency)
    participant = Participant.objects.select_related("agency").get(pk=participant.pk)
    values = {name: getattr(participant, name) for name in PARTICIPANT_FIELDS} | changes
    if values.get("passed") and "attended" not in changes:
        values["attended"] = True
    if not values.get("attended") and "passed" not in changes:
        values["passed"] = False
    if participant.certificate_sequence is not None:
        if values["agency"].pk != participant.agency_id or not values["passed"] or not values["attended"]:
            raise ApplicationError(
                _("Certificate %(number)s is issued to this participant: keep the agency and the result.")
                % {"number": participant.certificate_number}, code="certificate_issued")
    _errors(_participant_errors(training, values, exclude_pk=participant.pk))
    before = snapshot(participant)
    for name in PARTICIPANT_FIELDS:
        value = values[name]
        setattr(participant, name, _text(value) if name in ("full_name", "position") else value)
    _clean(participant)
    participant.save()
    audit_record(actor=actor, instance=participant, action=AuditAction.UPDATE, before=before)
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    training = _locked_training(participant.training)
    _require_authority(actor, training.agency)
    participant = Participant.objects.get(pk=participant.pk)
    if participant.certificate_sequence is not None:
        raise ApplicationError(_("Certificate %(number)s is issued to this participant: it cannot be removed.")
                               % {"number": participant.certificate_number}, code="certificate_issued")
    audit_record(actor=actor, instance=participant, action=AuditAction.DELETE, before=snapshot(participant))
    participant.delete()


# --- Certificates -----------------------------------------------------------------------------------------------


def certificate_number(training: Training, sequence: int) -> str:
    """"03.015/2025/GCN": the 15th certificate of course 03 of 2025."""
    return f"{training.number:02d}.{sequence:03d}/{training.year}/GCN"


@transaction.atomic
def certificates_issue(*, actor, training: Training, on: dt.date | None = None) -> list[Participant]:
    """Number a certificate for every participant who passed and has none yet, in the order of their agencies and
    names, continuing the course's sequence. From the course's last day on."""
    training = _locked_training(training)
    _require_authority(actor, training.agency)
    on = on or local_today()
    if on < training.end_on:
        raise ApplicationError(_("The course ends on %(date)s: issue the certificates from that day.")
                               % {"date": training.end_on.strftime("%d/%m/%Y")}, code="course_not_ended")
    waiting = list(training.participants.filter(passed=True, certificate_sequence__isnull=True)
                   .select_related("agency").order_by("agency__name", "full_name", "created_at"))
    if not waiting:
        raise ApplicationError(_("No participant who passed is waiting for a certificate: record who passed first."),
                               code="nothing_to_issue")
    sequence = next_number(training.participants.all(), field="certificate_sequence")
    for participant in waiting:
        before = snapshot(participant)
        participant.certificate_sequence = sequence
        participant.certificate_number = certificate_number(training, sequence)
        participant.certificate_issued_on = on
        participant.save(update_fields=["certificate_sequence", "certificate_number", "certificate_issued_on",
                                        "updated_at"])
        audit_record(actor=actor, instance=participant, action=AuditAction.TRANSITION, before=before,
                     note=_("Certificate issued"))
        sequence += 1
    return waiting


