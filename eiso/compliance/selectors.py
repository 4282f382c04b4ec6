"""Reads of the compliance calendar: the status of each obligation of an agency's year, the month-by-month
calendar, the supervising authority's overview and the yearly evidence folder.

Statuses are computed when read, never stored: a derived obligation is done when the records say so (the
contract functions of the apps that keep them), legal updates from the update tasks of the 3-month rule, a manual
one when the coordinator marked it done (or, for the report to the supervising authority, when its contract
function says the report was submitted in eISO). Not done: overdue after the due date, due soon within
`EISO["COMPLIANCE_DUE_SOON_DAYS"]` days (default 30), pending before. Every function takes `today` so that tests
and reports fix the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from eiso.compliance import contracts
from eiso.compliance.choices import ItemStatus, StatusSource
from eiso.compliance.models import COMPLIANCE_ROLES, ComplianceItem
from eiso.compliance.obligations import BY_KEY, OBLIGATIONS, Obligation
from eiso.core.permissions import AGENCY_MANAGERS, scope_for
from eiso.core.permissions import today as local_today

DEFAULT_DUE_SOON_DAYS = 30


def due_soon_days() -> int:
    return int(settings.EISO.get("COMPLIANCE_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


# --- Rights ---------------------------------------------------------------------------------------------------


def can_view(user, agency) -> bool:
    """The agency's head, coordinator, staff and auditors, the supervisor of its province, administrators."""
    scope = scope_for(user)
    if scope.is_global:
        return True
    if agency.pk in scope.agencies_for("view", COMPLIANCE_ROLES):
        return True
    return scope.supervises_for("view", COMPLIANCE_ROLES) and agency.province_id in scope.supervised_provinces


def can_manage(user, agency) -> bool:
    """Open the year, move a due date, mark a manual item done: the agency's head and ISO coordinator."""
    if user is None:
        return True
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & AGENCY_MANAGERS)


# --- Items and their status -----------------------------------------------------------------------------------


def is_year_open(*, agency, year: int) -> bool:
    return ComplianceItem.objects.filter(agency=agency, year=year).exists()


def default_items(*, agency, year: int) -> list[ComplianceItem]:
    """The items a year opens with (unsaved): one per obligation, at its default due date."""
    return [ComplianceItem(agency=agency, year=year, obligation=o.key, due_on=o.default_due_on(year))
            for o in OBLIGATIONS]


def year_items(*, agency, year: int) -> list[ComplianceItem]:
    """The year's items; before the year is opened, its default items (unsaved), so that the calendar and the
    supervising authority see what is due all the same."""
    saved = {i.obligation: i for i in ComplianceItem.objects.filter(agency=agency, year=year)}
    if not saved:
        return default_items(agency=agency, year=year)
    return [saved[o.key] for o in OBLIGATIONS if o.key in saved]


def records_url(definition: Obligation) -> str | None:
    for name in definition.records_url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@dataclass
class ItemState:
    item: ComplianceItem
    status: str
    due_on: dt.date  # the date the item is shown at (legal updates: the first deadline that matters)
    done_on: dt.date | None = None
    note: str = ""
    available: bool = True  # False: the records that tell the status are not available yet

    @property
    def definition(self) -> Obligation:
        return BY_KEY[self.item.obligation]

    @property
    def title(self) -> str:
        return str(self.definition.title)

    @property
    def status_label(self) -> str:
        return str(ItemStatus(self.status).label)

    @property
    def is_late(self) -> bool:
        """Done, but after the due date."""
        return self.done_on is not None and self.done_on > self.item.due_on

    @property
    def records_url(self) -> str | None:
        return records_url(self.definition)

    @property
    def is_manual(self) -> bool:
        return self.definition.is_manual


def _open_status(due_on: dt.date, today: dt.date) -> str:
    if today > due_on:
        return ItemStatus.OVERDUE
    if (due_on - today).days <= due_soon_days():
        return ItemStatus.DUE_SOON
    return ItemStatus.PENDING


class ContractAnswers:
    """The contract functions' answers for many items at once (a list, the province overview): each contract that
    has a batched form (`<name>_many(agency_ids=, years=)` next to it in its module) is called once for every
    (agency, year) of the items, instead of once per item; a contract without one is called per item."""

    def __init__(self, items, today: dt.date):
        self.agency_ids = {i.agency_id for i in items}
        self.years = {i.year for i in items}
        self.today = today
        self._answers: dict = {}

    def _batched(self, path: str):
        if path not in self._answers:
            many = contracts.resolve_many(path)
            self._answers[path] = many(agency_ids=self.agency_ids, years=self.years) if many else None
        return self._answers[path]

    def done_on(self, path: str, function, item) -> dt.date | None:
        answers = self._batched(path)
        if answers is None:
            return function(agency=item.agency, year=item.year)
        return answers.get((item.agency_id, item.year))

    def legal(self, item) -> dict:
        from eiso.legal.selectors import update_tasks_year_state_many

        if "legal" not in self._answers:
            self._answers["legal"] = update_tasks_year_state_many(agency_ids=self.agency_ids, years=self.years,
                                                                  today=self.today)
        return self._answers["legal"][(item.agency_id, item.year)]


def _done_on(path: str, item, answers: ContractAnswers | None) -> tuple[bool, dt.date | None]:
    """(whether the contract at `path` is available, its answer for the item's agency and year)."""
    function = contracts.resolve(path)
    if function is None:
        return False, None
    return True, (answers.done_on(path, function, item) if answers is not None
                  else function(agency=item.agency, year=item.year))


def _legal_state(item: ComplianceItem, today: dt.date, answers: ContractAnswers | None = None) -> ItemState:
    from eiso.legal.selectors import update_tasks_year_state

    tasks = answers.legal(item) if answers is not None else \
        update_tasks_year_state(agency=item.agency, year=item.year, today=today)
    if tasks["overdue"]:
        note = _("%(count)s update tasks past their 3-month deadline") % {"count": tasks["overdue"]}
        return ItemState(item, ItemStatus.OVERDUE, tasks["first_overdue_on"], note=note)
    if tasks["open"]:
        note = _("%(count)s update tasks open") % {"count": tasks["open"]}
        return ItemState(item, _open_status(tasks["next_due_on"], today), tasks["next_due_on"], note=note)
    note = "" if tasks["last_closed_on"] else _("No update task so far")
    return ItemState(item, ItemStatus.DONE, item.due_on, done_on=tasks["last_closed_on"], note=note)


def item_state(item: ComplianceItem, *, today: dt.date | None = None,
               answers: ContractAnswers | None = None) -> ItemState:
    """The status of one item on `today` (default: today in Asia/Ho_Chi_Minh); `answers`: the contracts' answers
    fetched for a whole list (see `item_states`)."""
    today = today or local_today()
    definition = BY_KEY[item.obligation]
    if definition.source == StatusSource.LEGAL_TASKS:
        return _legal_state(item, today, answers)
    if definition.source == StatusSource.MANUAL:
        if item.done_on:
            return ItemState(item, ItemStatus.DONE, item.due_on, done_on=item.done_on, note=item.evidence)
        _available, done_on = _done_on(definition.done_on, item, answers) if definition.done_on else (False, None)
        if done_on:  # e.g. the yearly report submitted in eISO (eiso.reporting)
            return ItemState(item, ItemStatus.DONE, item.due_on, done_on=done_on, note=_("Submitted in eISO."))
        return ItemState(item, _open_status(item.due_on, today), item.due_on)
    available, done_on = _done_on(definition.done_on, item, answers)
    if done_on:
        return ItemState(item, ItemStatus.DONE, item.due_on, done_on=done_on)
    state = ItemState(item, _open_status(item.due_on, today), item.due_on, available=available)
    if not available:
        state.note = _("The records that tell this status are not available in this installation yet.")
    return state


def item_states(items, *, today: dt.date | None = None) -> list[ItemState]:
    """`item_state` of many items (of any agencies and years) with a constant number of queries: each contract
    is asked once for all of them."""
    today = today or local_today()
    items = list(items)
    answers = ContractAnswers(items, today)
    return [item_state(i, today=today, answers=answers) for i in items]


def year_states(*, agency, year: int, today: dt.date | None = None) -> list[ItemState]:
    return item_states(year_items(agency=agency, year=year), today=today)


def calendar_months(states: list[ItemState], year: int) -> list[tuple[dt.date, list[ItemState]]]:
    """Twelve (first day of the month, the items shown in it) pairs: an item is shown in the month of its date
    (an item carried over from an earlier year, in January)."""
    months = [(dt.date(year, m, 1), []) for m in range(1, 13)]
    for state in sorted(states, key=lambda s: s.due_on):
        month = state.due_on.month if state.due_on.year == year else (1 if state.due_on.year < year else 12)
        months[month - 1][1].append(state)
    return months


def status_counts(states: list[ItemState]) -> dict:
    return {status: sum(1 for s in states if s.status == status) for status in ItemStatus.values}


def calendar_years(*, agency, today: dt.date | None = None) -> list[int]:
    """The years the selector offers: those opened, and from last year to next year."""
    today = today or local_today()
    opened = set(ComplianceItem.objects.filter(agency=agency).values_list("year", flat=True).distinct())
    return sorted(opened | {today.year - 1, today.year, today.year + 1})


# --- The supervising authority's overview ---------------------------------------------------------------------


@dataclass
class AgencyRow:
    agency: object
    is_open: bool
    overdue: list[ItemState] = field(default_factory=list)
    due_soon: list[ItemState] = field(default_factory=list)


def supervised_agencies(user):
    """The agencies whose calendars the user sees as a supervisor: those of the supervised provinces (all of them
    for administrators)."""
    from eiso.organizations.models import Agency

    scope = scope_for(user)
    if scope.is_global:
        return Agency.objects.all()
    return Agency.objects.filter(province__in=scope.supervised_provinces)


def province_overview(*, user, year: int, obligation: str = "", only_overdue: bool = False,
                      today: dt.date | None = None) -> list[AgencyRow]:
    """Every agency of the user's supervised provinces with its overdue and due-soon items of the year
    (`obligation`: only that obligation). Most overdue first, then by name."""
    today = today or local_today()
    agencies = list(supervised_agencies(user).select_related("province").order_by("name"))
    saved: dict = {}
    for item in ComplianceItem.objects.filter(year=year, agency__in=supervised_agencies(user)):
        saved.setdefault(item.agency_id, {})[item.obligation] = item
    items_of = {}
    for agency in agencies:  # as year_items: the saved items, else the defaults of a year not opened yet
        found = saved.get(agency.pk)
        items_of[agency.pk] = ([found[o.key] for o in OBLIGATIONS if o.key in found] if found
                               else default_items(agency=agency, year=year))
        for item in items_of[agency.pk]:
            item.agency = agency
    states_of: dict = {}
    for state in item_states([i for items in items_of.values() for i in items], today=today):
        states_of.setdefault(state.item.agency_id, []).append(state)
    rows = []
    for agency in agencies:
        states = [s for s in states_of.get(agency.pk, []) if not obligation or s.item.obligation == obligation]
        row = AgencyRow(agency, agency.pk in saved, [s for s in states if s.status == ItemStatus.OVERDUE],
                        [s for s in states if s.status == ItemStatus.DUE_SOON])
        if only_overdue and not row.overdue:
            continue
        rows.append(row)
    rows.sort(key=lambda r: -len(r.overdue))
    return rows
