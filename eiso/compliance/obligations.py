"""The yearly obligations of an agency's QMS (Decision 19/2014 Art. 4, Circular 26/2014 Art. 36), as data.

Each obligation has a key (stored on the agency's `ComplianceItem` of the year), a title, a default due date in
the year and how eISO knows that it is met:

- DERIVED: a contract function of the app that keeps the records answers the date it was done (or None);
- LEGAL_TASKS: the update tasks of the 3-month rule (eiso.legal): overdue as soon as one task is past its
  deadline and not closed;
- MANUAL: the coordinator marks it done with an evidence note; an obligation that also names a contract function
  is done as well when that function answers a date (the report to the supervising authority: when the agency's
  yearly report was submitted in eISO, eiso.reporting; marked by hand when it was sent on paper).

Default due dates. The law fixes the rhythm, not the days: objectives are set at the start of the year; the
internal audit and the management review at least once a year, the review after the audit whose results it
reviews; the head confirms effectiveness after the review; the supervising authority consolidates inspection
results in November and reports to the Ministry in December, so the agency's yearly report reaches it before.
The defaults below follow that order; the coordinator moves an item's date (with a reason) when the agency's
plan or the province's directive says otherwise. Legal updates have no yearly date: each change of the law has
its own deadline (effective date + 3 months); the item's date is the end of the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from eiso.compliance import contracts
from eiso.compliance.choices import StatusSource


@dataclass(frozen=True)
class Obligation:
    key: str
    title: str
    basis: str  # what the law or the standard asks, shown under the title
    due_month: int
    due_day: int
    source: str  # StatusSource
    done_on: str = ""  # DERIVED (and MANUAL, optionally): dotted path of the function (agency, year) -> date | None
    records_url_names: tuple[str, ...] = ()  # where the records are (the first URL name that exists)

    def default_due_on(self, year: int) -> dt.date:
        return dt.date(year, self.due_month, self.due_day)

    @property
    def is_manual(self) -> bool:
        return self.source == StatusSource.MANUAL


OBJECTIVES_SET = "objectives_set"
INTERNAL_AUDIT = "internal_audit"
MANAGEMENT_REVIEW = "management_review"
EFFECTIVENESS_CONFIRMED = "effectiveness_confirmed"
LEGAL_UPDATES = "legal_updates"
SUPERVISOR_REPORT = "supervisor_report"

REPORT_SUBMITTED_ON = "eiso.reporting.selectors.report_submitted_on"

OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation(
        OBJECTIVES_SET, _("Quality objectives of the year set"),
        _("ISO 9001 clause 6.2: measurable objectives and the plan to reach them, at the start of the year."),
        1, 31, StatusSource.DERIVED, contracts.OBJECTIVES_SET_ON,
        ("objectives:objective_list",)),
    Obligation(
        INTERNAL_AUDIT, _("Internal audit carried out"),
        _("Decision 19/2014 Art. 4: at least one internal audit a year, every audit of the programme completed."),
        9, 30, StatusSource.DERIVED, contracts.AUDIT_COMPLETED_ON,
        ("audits:programme_list",)),
    Obligation(
        MANAGEMENT_REVIEW, _("Management review held"),
        _("Decision 19/2014 Art. 4: at least one management review a year, after the internal audit."),
        10, 31, StatusSource.DERIVED, contracts.REVIEW_HELD_ON,
        ("reviews:review_list",)),
    Obligation(
        EFFECTIVENESS_CONFIRMED, _("Effectiveness confirmed by the head"),
        _("Decision 19/2014 Art. 4: the head of the agency confirms that the QMS is effective."),
        11, 15, StatusSource.DERIVED, contracts.EFFECTIVENESS_CONFIRMED_ON,
        ("reviews:review_list",)),
    Obligation(
        LEGAL_UPDATES, _("QMS updated after changes in the law"),
        _("Decision 19/2014 Art. 4: the QMS is updated within 3 months after a legal document affecting the work "
          "takes effect."),
        12, 31, StatusSource.LEGAL_TASKS, "",
        ("legal:updatetask_list",)),
    Obligation(
        SUPERVISOR_REPORT, _("Yearly report to the supervising authority"),
        _("Decision 19/2014 and the province's directive: the agency reports the state of its QMS to the "
          "Department of Science and Technology, which reports to the Ministry in December."),
        11, 30, StatusSource.MANUAL, REPORT_SUBMITTED_ON,
        ("reporting:report_list",)),
)

BY_KEY = {o.key: o for o in OBLIGATIONS}
CHOICES = [(o.key, o.title) for o in OBLIGATIONS]


def obligation(key: str) -> Obligation:
    return BY_KEY[key]
