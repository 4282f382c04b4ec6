"""Writes of the compliance calendar: opening a year (from the previous year's set), moving a due date, marking
a manual obligation done. Each runs in one transaction, checks the actor's right first, validates before changing
anything and leaves an audit entry; a refusal raises ApplicationError (PermissionDeniedError for a missing right)
and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.compliance import contracts, selectors
from eiso.compliance.models import ComplianceItem
from eiso.compliance.obligations import LEGAL_UPDATES
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import today as local_today

FIRST_YEAR = 2014  # Decision 19/2014


@dataclass
class YearStart:
    year: int
    items: list[ComplianceItem]
    objectives_copied: int | None = None
    programme: object | None = None
    notes: list[str] = field(default_factory=list)


def _copy(path: str, what: str, notes: list, **kwargs):
    """Call a copy contract in a savepoint: a refusal of the owning app (e.g. the year already has objectives)
    is reported and undone alone, without stopping the opening of the year."""
    function = contracts.resolve(path)
    if function is None:
        notes.append(_("%(what)s: not copied, not available in this installation yet.") % {"what": what})
        return None
    try:
        with transaction.atomic():
            return function(**kwargs)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        notes.append(_("%(what)s: not copied. %(reason)s") % {"what": what, "reason": exc.message})
        return None


@transaction.atomic
def compliance_year_start(*, actor, agency, year: int, today: dt.date | None = None) -> YearStart:
    """Open an agency's year: its items at their default due dates, and the previous year's objectives and
    audit programme copied as drafts (objectives_copy_year, programme_copy_year). Refused, with nothing changed,
    when the year is already open or is not a sensible year."""
    from eiso.organizations.models import Agency

    today = today or local_today()
    if not selectors.can_manage(actor, agency):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator open a year of the calendar."))
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year + 1:
        raise ApplicationError(_("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR,
                                                                                 "last": today.year + 1},
                               code="invalid_year", errors={"year": [_("Choose another year.")]})
    Agency.objects.select_for_update().get(pk=agency.pk)  # two openings of the same agency run one after the other
    if selectors.is_year_open(agency=agency, year=year):
        raise ApplicationError(_("The year %(year)s is already open: its calendar exists. Move a due date on the "
                                 "calendar instead.") % {"year": year}, code="year_open")
    items = []
    for item in selectors.default_items(agency=agency, year=year):
        item.full_clean()
        item.save()
        audit_record(actor=actor, instance=item, action=AuditAction.CREATE)
        items.append(item)
    result = YearStart(year, items)
    copy = {"actor": actor, "agency": agency, "from_year": year - 1, "to_year": year}
    result.objectives_copied = _copy(contracts.OBJECTIVES_COPY_YEAR, _("Quality objectives"), result.notes, **copy)
    result.programme = _copy(contracts.PROGRAMME_COPY_YEAR, _("Audit programme"), result.notes, **copy)
    return result


def _locked_item(actor, item: ComplianceItem) -> ComplianceItem:
    if actor is not None and not ComplianceItem.objects.restrict(actor, "change").filter(pk=item.pk).exists():
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator change the calendar."))
    return ComplianceItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def compliance_item_move(*, actor, item: ComplianceItem, due_on: dt.date | None, reason: str) -> ComplianceItem:
    """Move an item's due date, saying why (kept in the audit trail). Legal updates have no date to move: each
    change of the law has its own deadline."""
    item = _locked_item(actor, item)
    if item.obligation == LEGAL_UPDATES:
        raise ApplicationError(_("The deadlines of legal updates come from the update tasks (3 months after the "
                                 "change takes effect): they cannot be moved here."), code="not_movable")
    if due_on is None:
        raise ApplicationError(_("Give the new due date (dd/mm/yyyy)."), code="due_on_required",
                               errors={"due_on": [_("This field is required.")]})
    if due_on.year != item.year:
        raise ApplicationError(_("The due date must stay in %(year)s.") % {"year": item.year}, code="other_year",
                               errors={"due_on": [_("Choose a date in %(year)s.") % {"year": item.year}]})
    if not reason.strip():
        raise ApplicationError(_("Say why the due date moves (for example the agency's plan or the province's "
                                 "directive)."), code="reason_required",
                               errors={"reason": [_("This field is required.")]})
    if due_on == item.due_on:
        raise ApplicationError(_("The item is already due on that date."), code="unchanged",
                               errors={"due_on": [_("Choose another date.")]})
    before = snapshot(item)
    item.due_on = due_on
    item.full_clean()
    item.save(update_fields=["due_on", "updated_at"])
    audit_record(actor=actor, instance=item, action=AuditAction.UPDATE, before=before, note=reason.strip())
    return item


@transaction.atomic
def compliance_item_done(*, actor, item: ComplianceItem, evidence: str, done_on: dt.date | None = None,
                         today: dt.date | None = None) -> ComplianceItem:
    """Mark a manual item done (the report to the supervising authority) with the evidence: what shows it was
    done. The other items are done when their records say so."""
    today = today or local_today()
    item = _locked_item(actor, item)
    if not item.definition.is_manual:
        raise ApplicationError(_("“%(title)s” is done when its records say so: it cannot be marked done by hand.")
                               % {"title": item.title}, code="not_manual")
    if item.done_on is not None:
        raise ApplicationError(_("This item was already marked done on %(date)s.")
                               % {"date": item.done_on.strftime("%d/%m/%Y")}, code="already_done")
    if not evidence.strip():
        raise ApplicationError(_("Say what shows that it was done: the document's number and date, where it is "
                                 "kept."), code="evidence_required",
                               errors={"evidence": [_("This field is required.")]})
    done_on = done_on or today
    if done_on > today:
        raise ApplicationError(_("The date it was done cannot be in the future."), code="future_date",
                               errors={"done_on": [_("Choose today or an earlier day.")]})
    before = snapshot(item)
    item.done_on, item.evidence, item.done_by = done_on, evidence.strip(), actor
    item.full_clean()
    item.save(update_fields=["done_on", "evidence", "done_by", "updated_at"])
    audit_record(actor=actor, instance=item, action=AuditAction.UPDATE, before=before)
    return item
