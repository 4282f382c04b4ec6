"""The rules a PAR-index criterion can be scored by, as data.

A PAR-index methodology changes its wording every year, but what it asks of an agency's QMS is made of the same
checks ("sub-items"): the conformity announcement in force, the year's internal audit done, the year's management
review held, the head's confirmation of effectiveness, the legal changes incorporated within 3 months, the periodic
report sent to the supervising authority. A rule is a named set of sub-items (`RULES`); a criterion
(`ParCriterion`) picks a rule and how its points are given (all or nothing, or in proportion to the sub-items
met). Each sub-item is answered from the records through the owning app's contract function
(`eiso.compliance.contracts.resolve`): a contract this installation does not have yet answers "not available"
(the sub-item counts as not met, with a note), never an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CURRENT_ANNOUNCEMENT = "eiso.announcements.selectors.current_announcement"
AUDIT_COMPLETED_ON = "eiso.audits.selectors.audit_completed_on"
REVIEW_HELD_ON = "eiso.reviews.selectors.review_held_on"
EFFECTIVENESS_CONFIRMED_ON = "eiso.reviews.selectors.effectiveness_confirmed_on"
UPDATE_TASKS_YEAR_STATE = "eiso.legal.selectors.update_tasks_year_state"
REPORT_SUBMITTED_ON = "eiso.reporting.selectors.report_submitted_on"


@dataclass(frozen=True)
class ItemResult:
    """What the records say about one sub-item: `met` is None when the contract is not available."""

    key: str
    title: str
    met: bool | None
    detail: str = ""

    @property
    def available(self) -> bool:
        return self.met is not None


@dataclass(frozen=True)
class SubItem:
    key: str
    title: object  # lazy translation
    contract: str
    evaluate: Callable  # (function, *, agency, year, today) -> (met: bool, detail: str)


@dataclass(frozen=True)
class Rule:
    key: str
    title: object
    items: tuple[str, ...] = field(default_factory=tuple)


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _announcement(function, *, agency, year, today):
    announcement = function(agency)
    if announcement is None:
        return False, _("No conformity announcement in force.")
    signed = next((getattr(announcement, name) for name in ("signed_on", "decided_on", "announced_on", "issued_on")
                   if getattr(announcement, name, None)), None)
    if signed is not None and signed > dt.date(year, 12, 31):
        return False, _("The announcement in force was signed on %(date)s, after %(year)s.") % {
            "date": _day(signed), "year": year}
    detail = str(announcement)
    if signed is not None:
        detail = _("%(announcement)s, signed on %(date)s") % {"announcement": announcement, "date": _day(signed)}
    return True, detail


def _dated(done: str, missing: str):
    def evaluate(function, *, agency, year, today):
        on = function(agency=agency, year=year)
        if on is None:
            return False, missing % {"year": year}
        return True, done % {"date": _day(on)}

    return evaluate


def late_closed_updates(*, agency, year: int) -> int:
    """Update tasks due in `year` that were closed (done or dismissed) after their deadline."""
    from django.db.models import F

    from eiso.legal.choices import UpdateTaskStatus
    from eiso.legal.models import UpdateTask

    return (UpdateTask.objects.filter(agency=agency, due_on__year=year, closed_at__isnull=False)
            .exclude(status=UpdateTaskStatus.OPEN).filter(closed_at__date__gt=F("due_on")).count())


def _legal_updates(function, *, agency, year, today):
    state = function(agency=agency, year=year, today=today)
    late = state["late_closed"] if "late_closed" in state else late_closed_updates(agency=agency, year=year)
    if state["overdue"]:
        return False, _("%(count)s update(s) past the 3-month deadline and still open (the first due on %(date)s).") % {
            "count": state["overdue"], "date": _day(state["first_overdue_on"])}
    if late:
        return False, _("%(count)s update(s) of %(year)s made after the 3-month deadline.") % {
            "count": late, "year": year}
    return True, _("Every change in the law was incorporated within 3 months.")


SUB_ITEMS: dict[str, SubItem] = {item.key: item for item in (
    SubItem("announcement_in_force", gettext_lazy("Conformity announcement in force"), CURRENT_ANNOUNCEMENT,
            _announcement),
    SubItem("internal_audit_done", gettext_lazy("Internal audit done in the year"), AUDIT_COMPLETED_ON,
            _dated(gettext_lazy("Internal audit completed on %(date)s."),
                   gettext_lazy("No internal audit completed in %(year)s."))),
    SubItem("management_review_done", gettext_lazy("Management review held in the year"), REVIEW_HELD_ON,
            _dated(gettext_lazy("Management review held on %(date)s."),
                   gettext_lazy("No management review held in %(year)s."))),
    SubItem("effectiveness_confirmed", gettext_lazy("Effectiveness of the QMS confirmed by the head"),
            EFFECTIVENESS_CONFIRMED_ON,
            _dated(gettext_lazy("Effectiveness confirmed on %(date)s."),
                   gettext_lazy("The head has not confirmed the effectiveness of the QMS in %(year)s."))),
    SubItem("legal_updates_on_time", gettext_lazy("Legal changes incorporated within 3 months"),
            UPDATE_TASKS_YEAR_STATE, _legal_updates),
    SubItem("periodic_report_submitted", gettext_lazy("Periodic report sent to the supervising authority"),
            REPORT_SUBMITTED_ON,
            _dated(gettext_lazy("Report submitted on %(date)s."),
                   gettext_lazy("No report of %(year)s submitted to the supervising authority."))),
)}

ALL_OF_THESE = "all"

RULES: dict[str, Rule] = {rule.key: rule for rule in (
    *(Rule(item.key, item.title, (item.key,)) for item in SUB_ITEMS.values()),
    Rule(ALL_OF_THESE, gettext_lazy("All of these"), tuple(SUB_ITEMS)),
)}

CHOICES = [(rule.key, rule.title) for rule in RULES.values()]


def evaluate_item(key: str, *, agency, year: int, today: dt.date, resolve) -> ItemResult:
    """Answer one sub-item from the records; `resolve(path)` gives the contract function or None."""
    item = SUB_ITEMS[key]
    function = resolve(item.contract)
    if function is None:
        return ItemResult(key, str(item.title), None, _("Not available in this installation yet (%(contract)s).")
                          % {"contract": item.contract})
    met, detail = item.evaluate(function, agency=agency, year=year, today=today)
    return ItemResult(key, str(item.title), bool(met), str(detail))
