"""Writes of conformity announcements. Every write runs in a transaction, locks the rows it changes, checks the
actor's right first, validates before changing anything and leaves an audit entry. A refusal raises ApplicationError
(PermissionDeniedError for a missing right) and changes nothing.

draft (announcement_prepare, announcement_update, announcement_delete) → signed, in force (announcement_sign: the
agency head only; numbered; the supervising authority notified; the announcement it replaces superseded) →
superseded (when a later one is signed). After signing only the lifecycle is recorded: the posting at the seat and
on the website (announcement_posting_record), the supervisor's acknowledgement (announcement_acknowledge).
`announcement_record` enters a decision signed on paper before eISO (the system and administrators only).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.announcements import selectors
from eiso.announcements.choices import (
    ISSUED_STATUSES,
    AnnouncementKind,
    AnnouncementStatus,
    ReannouncementReason,
)
from eiso.announcements.models import ConformityAnnouncement, immutable_error
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.numbering import next_number
from eiso.core.permissions import AGENCY_MANAGERS, Role, scope_for, today

EDITABLE = ("scope", "standard", "symbol", "signer_position", "reason", "reason_detail")

# --- Rights ---------------------------------------------------------------------------------------------------


def can_prepare(user, agency) -> bool:
    """The agency head and the ISO coordinator prepare announcements (None: the system)."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & AGENCY_MANAGERS)


def can_manage(user, announcement: ConformityAnnouncement) -> bool:
    if user is None:
        return True
    return ConformityAnnouncement.objects.restrict(user, "change").filter(pk=announcement.pk).exists()


def is_head(user, agency) -> bool:
    """Whether the user holds the agency head's role in the agency today (the administrator does not)."""
    from eiso.organizations.models import RoleAssignment

    return user is not None and user.is_authenticated and RoleAssignment.objects.active().filter(
        user=user, agency=agency, role=Role.AGENCY_HEAD).exists()


def can_acknowledge(user, announcement: ConformityAnnouncement) -> bool:
    return user is not None and scope_for(user).is_authority_for(announcement.agency.province_id)


def _require_manager(actor, announcement) -> None:
    if not can_manage(actor, announcement):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator prepare conformity "
                                      "announcements."))


def _locked(announcement: ConformityAnnouncement) -> ConformityAnnouncement:
    return ConformityAnnouncement.objects.select_for_update().select_related("agency", "qms").get(pk=announcement.pk)


def _require_draft(announcement) -> None:
    if announcement.status != AnnouncementStatus.DRAFT:
        raise immutable_error()


# --- Validation -----------------------------------------------------------------------------------------------


def _clean(values: dict, *, kind: str) -> dict:
    """Stripped values, or a refusal naming every field to correct."""
    values = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    errors = {}
    for name in ("scope", "standard", "symbol", "signer_position"):
        if name in values and not values[name]:
            errors[name] = [_("This field is required.")]
    if kind == AnnouncementKind.REANNOUNCEMENT and "reason" in values and \
            values["reason"] not in ReannouncementReason.values:
        errors["reason"] = [_("Choose why the QMS is announced again.")]
    if kind == AnnouncementKind.FIRST and values.get("reason"):
        errors["reason"] = [_("A first announcement has no reason for a re-announcement.")]
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else _("Correct the fields shown.")
        raise ApplicationError(message, code="invalid_announcement", errors=errors)
    return values


def _qms_for(agency, qms):
    if qms is None:
        qms = selectors.hosted_qms(agency)
        if qms is None:
            raise ApplicationError(_("%(agency)s has no QMS of its own to announce: the QMS is set up by the "
                                     "administrator or the supervising authority.") % {"agency": agency.name},
                                   code="no_qms")
    elif qms.agency_id != agency.pk:
        raise ApplicationError(_("Choose a QMS of the announcing agency."), code="invalid_qms",
                               errors={"qms": [_("Choose a QMS of the announcing agency.")]})
    return qms


# --- Drafts ---------------------------------------------------------------------------------------------------


@transaction.atomic
def announcement_prepare(*, actor, agency, qms=None, scope: str | None = None, standard: str | None = None,
                         symbol: str | None = None, signer_position: str | None = None, reason: str | None = None,
                         reason_detail: str | None = None) -> ConformityAnnouncement:
    """A draft announcement of the agency's QMS, pre-filled from the QMS and its published procedure processes. When
    an announcement is in force, the draft is a re-announcement replacing it (its reason and what changed suggested
    from the changes since)."""
    if not can_prepare(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator prepare conformity "
                                      "announcements."))
    type(agency).objects.select_for_update().filter(pk=agency.pk).exists()
    draft = ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).first()
    if draft is not None:
        raise ApplicationError(_("A draft announcement is already being prepared: continue it (or delete it) "
                                 "instead of starting another."), code="draft_exists")
    qms = _qms_for(agency, qms)
    current = ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.SIGNED).first()
    kind = AnnouncementKind.REANNOUNCEMENT if current is not None else AnnouncementKind.FIRST
    if kind == AnnouncementKind.REANNOUNCEMENT:
        suggested, detail = selectors.suggested_reason(agency)
        reason = reason if reason is not None else suggested
        reason_detail = reason_detail if reason_detail is not None else detail
    _prefix, position = selectors.default_signer(agency)
    values = _clean({
        "scope": scope if scope is not None else selectors.default_scope(agency, qms),
        "standard": standard or qms.standard or selectors.DEFAULT_STANDARD,
        "symbol": symbol or selectors.default_symbol(agency),
        "signer_position": signer_position or position,
        "reason": reason or "", "reason_detail": reason_detail or "",
    }, kind=kind)
    announcement = ConformityAnnouncement(agency=agency, qms=qms, kind=kind, replaces=current,
                                          procedures=selectors.procedures_snapshot(qms), **values)
    announcement.full_clean()
    announcement.save()
    audit_record(actor=actor, instance=announcement, action=AuditAction.CREATE)
    return announcement


@transaction.atomic
def announcement_update(*, actor, announcement: ConformityAnnouncement, **changes) -> ConformityAnnouncement:
    """Change a draft (its scope, standard, symbol, signer's position, reason); the list of procedures is refreshed
    from the published processes. A signed announcement is refused."""
    _require_manager(actor, announcement)
    announcement = _locked(announcement)
    _require_draft(announcement)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s.")
                               % {"fields": ", ".join(sorted(unknown))}, code="not_editable")
    values = _clean(changes, kind=announcement.kind)
    before = snapshot(announcement)
    for name, value in values.items():
        setattr(announcement, name, value)
    announcement.procedures = selectors.procedures_snapshot(announcement.qms)
    announcement.full_clean()
    announcement.save()
    audit_record(actor=actor, instance=announcement, action=AuditAction.UPDATE, before=before)
    return announcement


@transaction.atomic
def announcement_delete(*, actor, announcement: ConformityAnnouncement) -> None:
    """Delete a draft; a signed announcement is kept for ever."""
    if actor is not None and not ConformityAnnouncement.objects.restrict(actor, "delete").filter(
            pk=announcement.pk).exists():
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator delete a draft announcement."))
    announcement = _locked(announcement)
    _require_draft(announcement)
    audit_record(actor=actor, instance=announcement, action=AuditAction.DELETE, before=snapshot(announcement))
    announcement.delete()


# --- Signing --------------------------------------------------------------------------------------------------


def sign_refusal(announcement: ConformityAnnouncement, on: dt.date | None = None) -> str | None:
    """Why the draft cannot be signed on `on` (default today), saying what to do; None when it can."""
    on = on or today()
    if not selectors.published_procedure_processes(announcement.qms).exists():
        return _("The QMS has no published procedure process yet: publish the processes of the administrative "
                 "procedures in scope (Processes page) before announcing conformity.")
    if selectors.confirmation_for(announcement.agency, on) is None:
        return _("The agency head has not confirmed the effectiveness of the QMS in %(year)s or %(last)s: hold a "
                 "management review and confirm the effectiveness on it (Management reviews page) before signing.") % {
            "year": on.year, "last": on.year - 1}
    replaced = announcement.replaces
    if replaced is not None and replaced.status != AnnouncementStatus.SIGNED:
        return _("The announcement this one replaces is no longer in force: delete this draft and prepare a new "
                 "one.")
    if replaced is None and ConformityAnnouncement.objects.filter(
            agency=announcement.agency, status=AnnouncementStatus.SIGNED).exists():
        return _("An announcement is already in force: delete this draft and prepare a re-announcement.")
    return None


def _number(agency, year: int, number: int | None) -> int:
    series = ConformityAnnouncement.objects.filter(agency=agency, year=year, number__isnull=False)
    if number is None:
        return next_number(series, lock=agency)
    if number < 1:
        raise ApplicationError(_("Write a number from 1."), code="invalid_number",
                               errors={"number": [_("Write a number from 1.")]})
    if series.filter(number=number).exists():
        message = _("Number %(n)s of %(year)s is already used by another announcement: leave the number empty to "
                    "take the next one.") % {"n": number, "year": year}
        raise ApplicationError(message, code="duplicate_number", errors={"number": [message]})
    return number


def _check_signed_on(signed_on: dt.date, replaced) -> None:
    if signed_on > today():
        message = _("The date of signing cannot be in the future.")
        raise ApplicationError(message, code="invalid_date", errors={"signed_on": [message]})
    if replaced is not None and replaced.signed_on and signed_on < replaced.signed_on:
        message = _("The re-announcement cannot be signed before the announcement it replaces (%(date)s).") % {
            "date": replaced.signed_on.strftime("%d/%m/%Y")}
        raise ApplicationError(message, code="invalid_date", errors={"signed_on": [message]})


def _supersede(actor, replaced: ConformityAnnouncement | None, on: dt.date) -> None:
    if replaced is None:
        return
    replaced = ConformityAnnouncement.objects.select_for_update().get(pk=replaced.pk)
    before = snapshot(replaced)
    replaced.status = AnnouncementStatus.SUPERSEDED
    replaced.superseded_on = on
    replaced.save()
    audit_record(actor=actor, instance=replaced, action=AuditAction.TRANSITION, before=before,
                 note=_("Superseded by a re-announcement"))


@transaction.atomic
def announcement_sign(*, actor, announcement: ConformityAnnouncement, signed_on: dt.date | None = None,
                      number: int | None = None, signer_name: str = "") -> ConformityAnnouncement:
    """The agency head signs the draft: it takes the next number of the agency's year (or the `number` the office's
    register gave it), the procedures in scope are frozen, the supervising authority is notified and the
    announcement it replaces is superseded. Refused without a published procedure process or the head's
    confirmation of effectiveness (this year or last)."""
    if actor is not None and not is_head(actor, announcement.agency):
        raise PermissionDeniedError(_("Only the agency head signs the conformity announcement."))
    announcement = _locked(announcement)
    _require_draft(announcement)
    signed_on = signed_on or today()
    replaced = announcement.replaces
    _check_signed_on(signed_on, replaced)
    refusal = sign_refusal(announcement, signed_on)
    if refusal:
        raise ApplicationError(refusal, code="cannot_sign")
    before = snapshot(announcement)
    announcement.number = _number(announcement.agency, signed_on.year, number)
    _supersede(actor, replaced, signed_on)
    announcement.year = signed_on.year
    announcement.signed_on = signed_on
    announcement.signed_by = actor
    announcement.signer_name = str(actor) if actor is not None else (signer_name.strip() or announcement.signer_name)
    announcement.procedures = selectors.procedures_snapshot(announcement.qms)
    announcement.qms_scope = announcement.qms.scope or ""
    announcement.effectiveness_confirmed_on = selectors.confirmation_for(announcement.agency, signed_on)
    announcement.notified_at = timezone.now()
    announcement.status = AnnouncementStatus.SIGNED
    announcement.full_clean()
    announcement.save()
    audit_record(actor=actor, instance=announcement, action=AuditAction.TRANSITION, before=before,
                 note=_("Signed; the supervising authority is notified"))
    return announcement


@transaction.atomic
def announcement_record(*, actor, agency, signed_on: dt.date, number: int, signer_name: str, symbol: str = "",
                        signer_position: str = "", scope: str = "", standard: str = "", qms=None,
                        reason: str = "", reason_detail: str = "", procedures: list[dict] | None = None,
                        posted_on: dt.date | None = None, posted_url: str = "") -> ConformityAnnouncement:
    """Enter a decision the head signed on paper (before the agency used eISO): the system (actor None: the demo,
    data imports) and administrators only. It replaces the announcement in force, if any (a re-announcement), and
    is notified to the supervising authority like a decision signed here. The procedures default to the published
    processes of the QMS today; when there are none, the scope says so."""
    if actor is not None and not scope_for(actor).is_global:
        raise PermissionDeniedError(_("Only an administrator enters an announcement signed on paper."))
    type(agency).objects.select_for_update().filter(pk=agency.pk).exists()
    qms = _qms_for(agency, qms)
    current = ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.SIGNED).first()
    if ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).exists():
        raise ApplicationError(_("A draft announcement is being prepared: sign or delete it first."),
                               code="draft_exists")
    kind = AnnouncementKind.REANNOUNCEMENT if current is not None else AnnouncementKind.FIRST
    _check_signed_on(signed_on, current)
    procedures = selectors.procedures_snapshot(qms) if procedures is None else procedures
    scope = (scope or selectors.default_scope(agency, qms)).strip()
    if not procedures and selectors.NO_PROCEDURES_NOTE not in scope:
        scope = f"{scope}\n{selectors.NO_PROCEDURES_NOTE}"
    _prefix, position = selectors.default_signer(agency)
    values = _clean({"scope": scope, "standard": standard or qms.standard or selectors.DEFAULT_STANDARD,
                     "symbol": symbol or selectors.default_symbol(agency),
                     "signer_position": signer_position or position,
                     "reason": reason if kind == AnnouncementKind.REANNOUNCEMENT else "",
                     "reason_detail": reason_detail}, kind=kind)
    if posted_on is not None and posted_on < signed_on:
        raise ApplicationError(_("The posting cannot be before the signing."), code="invalid_date")
    number = _number(agency, signed_on.year, number)
    _supersede(actor, current, signed_on)
    announcement = ConformityAnnouncement(
        agency=agency, qms=qms, kind=kind, replaces=current, status=AnnouncementStatus.SIGNED,
        number=number, year=signed_on.year, signed_on=signed_on,
        signer_name=signer_name.strip(), procedures=procedures, qms_scope=qms.scope or "",
        effectiveness_confirmed_on=selectors.confirmation_for(agency, signed_on), notified_at=timezone.now(),
        posted_on=posted_on, posted_url=posted_url, **values)
    announcement.full_clean()
    announcement.save()
    audit_record(actor=actor, instance=announcement, action=AuditAction.CREATE,
                 note=_("Entered from a decision signed on paper"))
    return announcement


# --- After signing --------------------------------------------------------------------------------------------


@transaction.atomic
def announcement_posting_record(*, actor, announcement: ConformityAnnouncement, posted_on: dt.date | None,
                                posted_url: str = "") -> ConformityAnnouncement:
    """Record that the decision in force was posted at the agency's seat (the date) and on its website (the
    address). May be corrected while it is in force."""
    _require_manager(actor, announcement)
    announcement = _locked(announcement)
    if announcement.status != AnnouncementStatus.SIGNED:
        message = (_("Sign the announcement first: only a decision in force is posted.") if announcement.is_draft
                   else _("This announcement was superseded: record the posting of the one in force."))
        raise ApplicationError(message, code="invalid_status")
    errors = {}
    if posted_on is None:
        errors["posted_on"] = [_("This field is required.")]
    elif posted_on < announcement.signed_on:
        errors["posted_on"] = [_("The posting cannot be before the signing (%(date)s).") % {
            "date": announcement.signed_on.strftime("%d/%m/%Y")}]
    elif posted_on > today():
        errors["posted_on"] = [_("The date cannot be in the future.")]
    posted_url = (posted_url or "").strip()
    if posted_url and not posted_url.lower().startswith(("http://", "https://")):
        errors["posted_url"] = [_("Write the full address, starting with https://.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], code="invalid_posting", errors=errors)
    before = snapshot(announcement)
    announcement.posted_on, announcement.posted_url = posted_on, posted_url
    announcement.full_clean()
    announcement.save()
    audit_record(actor=actor, instance=announcement, action=AuditAction.UPDATE, before=before,
                 note=_("Posting recorded"))
    return announcement


@transaction.atomic
def announcement_acknowledge(*, actor, announcement: ConformityAnnouncement) -> ConformityAnnouncement:
    """The supervising authority of the agency's province acknowledges receipt of the notified announcement."""
    if actor is None or not can_acknowledge(actor, announcement):
        raise PermissionDeniedError(_("Only the supervising authority of the agency's province acknowledges "
                                      "receipt of an announcement."))
    announcement = _locked(announcement)
    if announcement.status not in ISSUED_STATUSES or announcement.notified_at is None:
        raise ApplicationError(_("This announcement is not signed yet: there is nothing to acknowledge."),
                               code="invalid_status")
    if announcement.acknowledged_at is not None:
        raise ApplicationError(_("Receipt was already acknowledged on %(date)s.") % {
            "date": timezone.localtime(announcement.acknowledged_at).strftime("%d/%m/%Y")},
            code="already_acknowledged")
    before = snapshot(announcement)
    announcement.acknowledged_at = timezone.now()
    announcement.acknowledged_by = actor
    announcement.save()
    audit_record(actor=actor, instance=announcement, action=AuditAction.UPDATE, before=before,
                 note=_("Receipt acknowledged by the supervising authority"))
    return announcement
