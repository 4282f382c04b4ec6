"""Writes of management reviews, their inputs and actions. Every write runs in a transaction, locks the review's row,
checks the actor's right first, validates before changing anything and leaves an audit entry. A refusal raises
ApplicationError (PermissionDeniedError for a missing right) and changes nothing.

planned → inputs assembled (review_inputs_assemble) → held (review_hold: only with inputs that say something) →
closed (review_close: the minutes are issued with the conclusion). The head's confirmation of effectiveness
(review_effectiveness_confirm) is recorded once on a held or closed review.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import AGENCY_MANAGERS, Role, scope_for
from eiso.reviews.choices import (
    HELD_STATUSES,
    PREPARING_STATUSES,
    ReviewActionKind,
    ReviewActionStatus,
    ReviewStatus,
)
from eiso.reviews.inputs import SOURCES, SOURCES_BY_KEY, InputSource
from eiso.reviews.models import ManagementReview, ReviewAction, ReviewInput

# --- Rights ---------------------------------------------------------------------------------------------------


def can_create(user, agency) -> bool:
    """The agency head and the ISO coordinator plan reviews (None: the system)."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & AGENCY_MANAGERS)


def can_manage(user, review: ManagementReview) -> bool:
    if user is None:
        return True
    return ManagementReview.objects.restrict(user, "change").filter(pk=review.pk).exists()


def is_head(user, agency) -> bool:
    """Whether the user holds the agency head's role in the agency today (the administrator does not)."""
    from eiso.organizations.models import RoleAssignment

    return user is not None and user.is_authenticated and RoleAssignment.objects.active().filter(
        user=user, agency=agency, role=Role.AGENCY_HEAD).exists()


def can_update_action(user, action: ReviewAction) -> bool:
    """A review action is marked done by the managers and by its owner (who must still see it)."""
    if user is None or can_manage(user, action.review):
        return True
    return action.owner_id == user.pk and ManagementReview.objects.restrict(user, "view").filter(
        pk=action.review_id).exists()


def _require_manager(actor, review) -> None:
    if not can_manage(actor, review):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage management reviews."))


def _locked(review: ManagementReview) -> ManagementReview:
    return ManagementReview.objects.select_for_update().get(pk=review.pk)


def _is_member(agency, user) -> bool:
    from eiso.organizations.models import RoleAssignment

    return RoleAssignment.objects.active().filter(user=user, agency=agency).exists()


# --- Reviews --------------------------------------------------------------------------------------------------

EDITABLE = ("title", "year", "period_start", "period_end", "meeting_at", "place", "chair", "secretary", "attendees")


def _validate(agency, values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("This field is required.")]
    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("Write a year such as 2025.")]
    start, end = values.get("period_start"), values.get("period_end")
    if start is None:
        errors["period_start"] = [_("This field is required.")]
    if end is None:
        errors["period_end"] = [_("This field is required.")]
    if start and end and start > end:
        errors["period_end"] = [_("The period must end after it starts.")]
    chair, secretary = values.get("chair"), values.get("secretary")
    if chair is not None and not is_head(chair, agency):
        errors["chair"] = [_("The review is chaired by the agency head: choose the person holding that role.")]
    if secretary is not None and not _is_member(agency, secretary):
        errors["secretary"] = [_("Choose one of the agency's people.")]
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else _("Correct the fields shown.")
        raise ApplicationError(message, code="invalid_review", errors=errors)


@transaction.atomic
def review_create(*, actor, agency, title: str, year: int, period_start: dt.date, period_end: dt.date,
                  meeting_at: dt.datetime | None = None, place: str = "", chair=None, secretary=None,
                  attendees: str = "") -> ManagementReview:
    """Plan a review of the agency with the next number of its year."""
    if not can_create(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator plan management reviews."))
    values = {"title": title, "year": year, "period_start": period_start, "period_end": period_end,
              "meeting_at": meeting_at, "place": place, "chair": chair, "secretary": secretary,
              "attendees": attendees}
    _validate(agency, values)
    list(ManagementReview.objects.select_for_update().filter(agency=agency, year=year).values_list("pk", flat=True))
    last = ManagementReview.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"] or 0
    review = ManagementReview(agency=agency, number=last + 1, title=title.strip(), year=year,
                              period_start=period_start, period_end=period_end, meeting_at=meeting_at,
                              place=place.strip(), chair=chair, secretary=secretary, attendees=attendees.strip())
    review.full_clean()
    review.save()
    audit_record(actor=actor, instance=review, action=AuditAction.CREATE)
    return review


@transaction.atomic
def review_update(*, actor, review: ManagementReview, **changes) -> ManagementReview:
    """Change the meeting's details while it is being prepared (planned or inputs assembled)."""
    _require_manager(actor, review)
    review = _locked(review)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s.")
                               % {"fields": ", ".join(sorted(unknown))}, code="not_editable")
    if review.status not in PREPARING_STATUSES:
        raise ApplicationError(_("The review was held: its details can no longer be changed."), code="invalid_status")
    values = {name: getattr(review, name) for name in EDITABLE} | changes
    _validate(review.agency, values)
    if values["year"] != review.year and ManagementReview.objects.filter(
            agency=review.agency, year=values["year"], number=review.number).exists():
        raise ApplicationError(_("Number %(n)s is already used in %(year)s: create a new review for that year.")
                               % {"n": review.number, "year": values["year"]}, code="duplicate_number",
                               errors={"year": [_("Already used.")]})
    before = snapshot(review)
    for name, value in changes.items():
        setattr(review, name, value.strip() if isinstance(value, str) else value)
    review.full_clean()
    review.save()
    audit_record(actor=actor, instance=review, action=AuditAction.UPDATE, before=before)
    return review


def provider_for(source: InputSource):
    """The function that assembles a source's lines; None for an input entered by hand."""
    return import_string(source.provider) if source.provider else None


@transaction.atomic
def review_inputs_assemble(*, actor, review: ManagementReview) -> ManagementReview:
    """Assemble (or refresh) every input of the review from the data of its period; the coordinator's comments are
    kept. Only before the review is held."""
    _require_manager(actor, review)
    review = _locked(review)
    if review.status not in PREPARING_STATUSES:
        raise ApplicationError(_("The review was held: its inputs are kept as they were at the meeting."),
                               code="invalid_status")
    now = timezone.now()
    existing = {row.key: row for row in review.inputs.all()}
    for order, source in enumerate(SOURCES):
        provider = provider_for(source)
        lines = []
        if provider is not None:
            lines = [[str(label), str(value)] for label, value in
                     provider(agency=review.agency, start=review.period_start, end=review.period_end)]
        row = existing.get(source.key)
        if row is None:
            ReviewInput.objects.create(agency_id=review.agency_id, review=review, key=source.key, order=order,
                                       lines=lines, assembled_at=now)
        else:
            row.lines, row.order, row.assembled_at = lines, order, now
            row.save(update_fields=["lines", "order", "assembled_at", "updated_at"])
    before = snapshot(review)
    review.inputs_assembled_at = now
    if review.status == ReviewStatus.PLANNED:
        review.status = ReviewStatus.INPUTS_ASSEMBLED
    review.save()
    audit_record(actor=actor, instance=review, action=AuditAction.TRANSITION, before=before,
                 note=_("Inputs assembled from the data"))
    return review


@transaction.atomic
def review_input_comment(*, actor, review_input: ReviewInput, comment: str) -> ReviewInput:
    """The coordinator's comment on one input (kept when the inputs are assembled again)."""
    _require_manager(actor, review_input.review)
    _locked(review_input.review)
    review_input = ReviewInput.objects.select_related("review").get(pk=review_input.pk)
    if review_input.review.status not in PREPARING_STATUSES:
        raise ApplicationError(_("The review was held: its inputs are kept as they were at the meeting."),
                               code="invalid_status")
    before = snapshot(review_input)
    review_input.comment = comment.strip()
    review_input.save()
    audit_record(actor=actor, instance=review_input, action=AuditAction.UPDATE, before=before)
    return review_input


def hold_refusal(review: ManagementReview, now: dt.datetime | None = None) -> str | None:
    """Why the review cannot be recorded as held yet, or None."""
    if review.status == ReviewStatus.PLANNED or review.inputs_assembled_at is None:
        return _("Assemble the inputs first: a review cannot be held without inputs.")
    # The resources describe the agency as it stands, not the period: they alone are not something to review.
    if not any(row.has_content and not SOURCES_BY_KEY.get(row.key, SOURCES[0]).standing or row.comment.strip()
               for row in review.inputs.all()):
        return _("Every input is empty: write at least the comments on the inputs before holding the review.")
    if review.chair_id is None or review.secretary_id is None:
        return _("Choose the chair (the agency head) and the secretary first.")
    if review.meeting_at is None:
        return _("Record the time of the meeting first.")
    if review.meeting_at > (now or timezone.now()):
        return _("The meeting is planned for %(time)s: record it as held once it has taken place.") % {
            "time": timezone.localtime(review.meeting_at).strftime("%H:%M %d/%m/%Y")}
    return None


@transaction.atomic
def review_hold(*, actor, review: ManagementReview) -> ManagementReview:
    """Record that the meeting took place: its inputs are frozen and its decisions may be recorded."""
    _require_manager(actor, review)
    review = _locked(review)
    if review.status in HELD_STATUSES:
        raise ApplicationError(_("The review is already held."), code="invalid_status")
    message = hold_refusal(review)
    if message:
        raise ApplicationError(message, code="cannot_hold")
    before = snapshot(review)
    review.status = ReviewStatus.HELD
    review.held_at = timezone.now()
    review.save()
    audit_record(actor=actor, instance=review, action=AuditAction.TRANSITION, before=before, note=_("Held"))
    return review


@transaction.atomic
def review_close(*, actor, review: ManagementReview, conclusion: str) -> ManagementReview:
    """Issue the minutes: the conclusion on the suitability, adequacy and effectiveness of the QMS is required."""
    _require_manager(actor, review)
    review = _locked(review)
    if review.status != ReviewStatus.HELD:
        message = (_("The minutes are already issued.") if review.status == ReviewStatus.CLOSED
                   else _("Hold the review first: the minutes are issued after the meeting."))
        raise ApplicationError(message, code="invalid_status")
    if not conclusion.strip():
        raise ApplicationError(_("Write the meeting's conclusion on the effectiveness of the QMS."),
                               code="conclusion_required", errors={"conclusion": [_("This field is required.")]})
    before = snapshot(review)
    review.conclusion = conclusion.strip()
    review.status = ReviewStatus.CLOSED
    review.closed_at = timezone.now()
    review.save()
    audit_record(actor=actor, instance=review, action=AuditAction.TRANSITION, before=before,
                 note=_("Minutes issued"))
    return review


@transaction.atomic
def review_effectiveness_confirm(*, actor, review: ManagementReview, statement: str) -> ManagementReview:
    """The agency head confirms that the QMS is effective (Decision 19/2014): on a held review, with a statement;
    recorded once and never changed."""
    if not is_head(actor, review.agency):
        raise PermissionDeniedError(_("Only the agency head confirms the effectiveness of the QMS."))
    review = _locked(review)
    if review.effectiveness_confirmed_at is not None:
        raise ApplicationError(_("The effectiveness was already confirmed on %(date)s: it cannot be changed.") % {
            "date": timezone.localtime(review.effectiveness_confirmed_at).strftime("%d/%m/%Y")},
            code="already_confirmed")
    if review.status not in HELD_STATUSES:
        raise ApplicationError(_("Hold the management review first: the effectiveness is confirmed on its basis."),
                               code="invalid_status")
    if not statement.strip():
        raise ApplicationError(_("Write the statement of effectiveness."), code="statement_required",
                               errors={"statement": [_("This field is required.")]})
    before = snapshot(review)
    review.effectiveness_statement = statement.strip()
    review.effectiveness_confirmed_by = actor
    review.effectiveness_confirmed_at = timezone.now()
    review.save()
    audit_record(actor=actor, instance=review, action=AuditAction.UPDATE, before=before,
                 note=_("Effectiveness of the QMS confirmed"))
    return review


# --- Actions --------------------------------------------------------------------------------------------------


@transaction.atomic
def review_action_add(*, actor, review: ManagementReview, kind: str, description: str, owner,
                      due_on: dt.date | None) -> ReviewAction:
    """Record a decision or action of the meeting: once held, before the minutes are issued."""
    _require_manager(actor, review)
    review = _locked(review)
    if review.status != ReviewStatus.HELD:
        message = (_("The minutes are issued: no decision can be added.") if review.status == ReviewStatus.CLOSED
                   else _("Hold the review first: its decisions are recorded after the meeting."))
        raise ApplicationError(message, code="invalid_status")
    errors = {}
    if kind not in ReviewActionKind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if not description.strip():
        errors["description"] = [_("This field is required.")]
    if owner is None:
        errors["owner"] = [_("This field is required.")]
    elif not _is_member(review.agency, owner):
        errors["owner"] = [_("Choose one of the agency's people.")]
    if due_on is None:
        errors["due_on"] = [_("This field is required.")]
    if errors:
        raise ApplicationError(_("Complete the action: kind, description, owner (one of the agency's people) and "
                                 "due date."), code="invalid_action", errors=errors)
    action = ReviewAction(agency_id=review.agency_id, review=review, kind=kind, description=description.strip(),
                          owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.CREATE)
    return action


@transaction.atomic
def review_action_done(*, actor, action: ReviewAction, evidence: str) -> ReviewAction:
    """Mark an action done with its evidence (the managers, or the action's owner)."""
    if not can_update_action(actor, action):
        raise PermissionDeniedError(_("Only the action's owner, the agency head and the ISO coordinator update it."))
    action = ReviewAction.objects.select_for_update().get(pk=action.pk)
    if action.status == ReviewActionStatus.DONE:
        raise ApplicationError(_("This action is already done."), code="already_done")
    if not evidence.strip():
        raise ApplicationError(_("Say what shows that the action was done."), code="evidence_required",
                               errors={"evidence": [_("This field is required.")]})
    before = snapshot(action)
    action.status = ReviewActionStatus.DONE
    action.done_at = timezone.now()
    action.evidence = evidence.strip()
    action.save()
    audit_record(actor=actor, instance=action, action=AuditAction.UPDATE, before=before)
    return action
