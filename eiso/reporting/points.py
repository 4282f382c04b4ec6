"""The inspection points of Circular 26/2014/TT-BKHCN Art. 36, as data, and what eISO's records say about each.

`POINTS` lists the points in the order of the article: the minimum content of an agency's status report and of
the supervising authority's inspection checklist. `point_states(agency=, year=, today=)` answers, for each point,
whether the agency's records in eISO show it met (True), not met (False) or cannot tell (None: the records are not
kept in eISO, or the app that keeps them is not available in this installation yet), with a short detail such as
"118/119 procedures of the catalogue in the scope".

Other apps are read through their selectors; the apps being built alongside (announcements, trainings) through
`eiso.compliance.contracts.resolve`, so that a missing provider answers None instead of failing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.catalog.models import Procedure
from eiso.compliance import contracts
from eiso.core.permissions import Role
from eiso.core.permissions import today as local_today
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import Document, Revision, RevisionRecipient
from eiso.dossiers.models import DossierTally
from eiso.improvement.choices import FEEDBACK_PENDING, FeedbackStatus, NonconformityStatus
from eiso.improvement.models import Feedback, Nonconformity
from eiso.legal.selectors import update_tasks_year_state
from eiso.objectives.selectors import current_policy
from eiso.organizations.choices import AdminUnitLevel, AgencyKind
from eiso.organizations.models import RoleAssignment
from eiso.processes.choices import ProcessKind
from eiso.processes.models import Process
from eiso.reviews.choices import HELD_STATUSES, ReviewActionStatus
from eiso.reviews.models import ManagementReview, ReviewAction

CURRENT_ANNOUNCEMENT = "eiso.announcements.selectors.current_announcement"
REANNOUNCEMENT_DUE = "eiso.announcements.selectors.reannouncement_due"
CONSULTANT_LICENSED = "eiso.trainings.selectors.consultant_licensed"


@dataclass(frozen=True)
class Point:
    key: str
    title: str  # lazy translation
    basis: str  # what the inspection looks at


SCOPE_COVERS_PROCEDURES = "scope_covers_procedures"
DOCUMENTS_DISSEMINATED = "documents_disseminated"
REQUIREMENTS_COMPLIED = "requirements_complied"
PROCESSES_EXECUTED = "processes_executed"
REVIEW_AUDIT_CORRECTIVE = "review_audit_corrective"
COMPLAINTS_HANDLED = "complaints_handled"
IMPROVEMENTS_MADE = "improvements_made"
LEADERSHIP_PARTICIPATION = "leadership_participation"
EFFECTIVENESS_CONFIRMED = "effectiveness_confirmed"
ANNOUNCEMENT_MADE = "announcement_made"
LEGAL_CHANGES_WITHIN_3_MONTHS = "legal_changes_within_3_months"
REANNOUNCED_ON_SCOPE_CHANGE = "reannounced_on_scope_change"
CONSULTANT_LICENSED_KEY = "consultant_licensed"

POINTS: tuple[Point, ...] = (
    Point(SCOPE_COVERS_PROCEDURES,
          gettext_lazy("The scope of the QMS covers every administrative procedure the agency handles"),
          gettext_lazy("Procedures of the catalogue against the agency's processes in force.")),
    Point(DOCUMENTS_DISSEMINATED,
          gettext_lazy("The QMS documents are disseminated to every civil servant concerned"),
          gettext_lazy("Documents in force distributed and confirmed as read.")),
    Point(REQUIREMENTS_COMPLIED,
          gettext_lazy("The requirements of the standard, the quality policy, objectives and procedures are "
                       "complied with"),
          gettext_lazy("The quality policy in force and the year's quality objectives set.")),
    Point(PROCESSES_EXECUTED,
          gettext_lazy("The processes are carried out as documented"),
          gettext_lazy("Processes in force and dossiers handled on them in the year.")),
    Point(REVIEW_AUDIT_CORRECTIVE,
          gettext_lazy("The management review, the internal audit and the corrective actions are carried out"),
          gettext_lazy("The year's internal audit completed, management review held, nonconformities closed.")),
    Point(COMPLAINTS_HANDLED,
          gettext_lazy("Complaints and feedback are handled"),
          gettext_lazy("Feedback and petitions of the year answered by their due date.")),
    Point(IMPROVEMENTS_MADE,
          gettext_lazy("Improvements are made"),
          gettext_lazy("Nonconformities closed and review actions done in the year.")),
    Point(LEADERSHIP_PARTICIPATION,
          gettext_lazy("The leadership takes part in building, applying, maintaining and improving the QMS"),
          gettext_lazy("Documents approved and management reviews chaired by the head in the year.")),
    Point(EFFECTIVENESS_CONFIRMED,
          gettext_lazy("The head of the agency confirmed the effectiveness of the QMS"),
          gettext_lazy("The head's confirmation on the year's management review.")),
    Point(ANNOUNCEMENT_MADE,
          gettext_lazy("Conformity is announced, notified to the supervising authority and posted"),
          gettext_lazy("The conformity announcement in force.")),
    Point(LEGAL_CHANGES_WITHIN_3_MONTHS,
          gettext_lazy("Changes in the law are incorporated into the QMS within 3 months"),
          gettext_lazy("Update tasks of the 3-month rule past their deadline.")),
    Point(REANNOUNCED_ON_SCOPE_CHANGE,
          gettext_lazy("Conformity is announced again when the scope changes"),
          gettext_lazy("Scope changes since the announcement in force.")),
    Point(CONSULTANT_LICENSED_KEY,
          gettext_lazy("The consultant, if any, is duly licensed"),
          gettext_lazy("The licence of the agency's consulting organisation.")),
)

BY_KEY = {point.key: point for point in POINTS}
KEYS = tuple(point.key for point in POINTS)


@dataclass
class PointState:
    key: str
    title: str
    met: bool | None
    detail: str
    available: bool = True  # False: the records that tell are not available in this installation yet


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _not_available(key: str) -> PointState:
    return PointState(key, str(BY_KEY[key].title), None,
                      _("The records that tell this are not available in this installation yet."), available=False)


# --- Procedures in scope (also a figure of the report) ----------------------------------------------------------


def catalogue_level(agency) -> str | None:
    """The catalogue level whose procedures the agency handles, where the catalogue says it: a commune's People's
    Committee handles the commune-level procedures. For other agencies the catalogue gives the level (province) but
    not the department: None."""
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE and agency.admin_unit.level == AdminUnitLevel.COMMUNE:
        return "commune"
    return None


def scope_counts(agency, *, cache: dict | None = None) -> dict:
    """Procedures in the scope of the agency's QMS: {"adopted": procedure processes, "published": those in force,
    "catalogue": procedures of the agency's level in the national catalogue (None when the catalogue does not say
    which procedures the agency handles), "covered": those of them with a process in force (None likewise)}.
    `cache` keeps the catalogue's counts between agencies (one dict per run)."""
    processes = Process.objects.filter(agency=agency, kind=ProcessKind.PROCEDURE)
    published = processes.filter(document__current_revision__isnull=False)
    counts = {"adopted": processes.count(), "published": published.count(), "catalogue": None, "covered": None}
    level = catalogue_level(agency)
    if level is not None:
        cache = {} if cache is None else cache
        catalogue = Procedure.objects.for_level(level)
        if ("catalogue", level) not in cache:
            cache[("catalogue", level)] = catalogue.values("code").distinct().count()
        counts["catalogue"] = cache[("catalogue", level)]
        counts["covered"] = catalogue.filter(code__in=published.values("procedures__code")).values(
            "code").distinct().count() if counts["published"] else 0
    return counts


class Context:
    """What several points read, read once: the agency, the year, the day, the procedures in scope and the
    announcement in force (`cache`: shared between agencies)."""
    def __init__(self, agency, year: int, today: dt.date, cache: dict | None = None):
        self.agency, self.year, self.today = agency, year, today
        self.cache = {} if cache is None else cache
        self._scope = self._announcement = None
        self._announcement_read = False

    @property
    def scope(self) -> dict:
        if self._scope is None:
            self._scope = scope_counts(self.agency, cache=self.cache)
        return self._scope

    def announcement(self, function):
        if not self._announcement_read:
            self._announcement, self._announcement_read = function(self.agency), True
        return self._announcement


def _scope(ctx: Context) -> PointState:
    counts = ctx.scope
    key = SCOPE_COVERS_PROCEDURES
    if counts["catalogue"] is not None:
        detail = _("%(covered)s/%(total)s procedures of the catalogue in the scope (processes in force)") % {
            "covered": counts["covered"], "total": counts["catalogue"]}
        return PointState(key, "", counts["catalogue"] > 0 and counts["covered"] >= counts["catalogue"], detail)
    if not counts["adopted"]:
        return PointState(key, "", False, _("No procedure process adopted yet."))
    detail = _("%(published)s/%(adopted)s procedure processes in force (the catalogue does not say which procedures "
               "this agency handles: adopted processes compared with those in force)") % counts
    return PointState(key, "", counts["published"] == counts["adopted"], detail)


# --- The other points -----------------------------------------------------------------------------------------


def _disseminated(ctx: Context) -> PointState:
    agency = ctx.agency
    in_force = Document.objects.filter(agency=agency, current_revision__isnull=False).count()
    recipients = RevisionRecipient.objects.filter(agency=agency, revision__status=RevisionStatus.PUBLISHED)
    distributed = recipients.values("revision__document").distinct().count()
    total = recipients.count()
    read = recipients.filter(acknowledged_at__isnull=False).count()
    key = DOCUMENTS_DISSEMINATED
    if not in_force:
        return PointState(key, "", False, _("No document in force yet."))
    detail = _("%(distributed)s/%(in_force)s documents in force distributed; %(read)s/%(total)s confirmations of "
               "reading") % {"distributed": distributed, "in_force": in_force, "read": read, "total": total}
    return PointState(key, "", distributed == in_force and read == total, detail)


def _requirements(ctx: Context) -> PointState:
    agency, year = ctx.agency, ctx.year
    policy = current_policy(agency)
    function = contracts.resolve(contracts.OBJECTIVES_SET_ON)
    if function is None:
        return _not_available(REQUIREMENTS_COMPLIED)
    set_on = function(agency=agency, year=year)
    parts = [_("quality policy in force") if policy else _("no quality policy in force"),
             _("objectives of %(year)s set on %(date)s") % {"year": year, "date": _day(set_on)} if set_on
             else _("objectives of %(year)s not set") % {"year": year}]
    return PointState(REQUIREMENTS_COMPLIED, "", bool(policy and set_on), "; ".join(parts))


def _executed(ctx: Context) -> PointState:
    agency, year = ctx.agency, ctx.year
    in_force = Process.objects.filter(agency=agency, document__current_revision__isnull=False).count()
    received = DossierTally.objects.filter(agency=agency, month__year=year).aggregate(n=Sum("received"))["n"] or 0
    detail = _("%(processes)s processes in force; %(dossiers)s dossiers received in %(year)s") % {
        "processes": in_force, "dossiers": received, "year": year}
    if not in_force:
        return PointState(PROCESSES_EXECUTED, "", False, detail)
    # Processes in force but no dossier in eISO: they may be handled in another one-stop system.
    return PointState(PROCESSES_EXECUTED, "", True if received else None, detail)


def _review_audit(ctx: Context) -> PointState:
    agency, year = ctx.agency, ctx.year
    audit, review = contracts.resolve(contracts.AUDIT_COMPLETED_ON), contracts.resolve(contracts.REVIEW_HELD_ON)
    if audit is None or review is None:
        return _not_available(REVIEW_AUDIT_CORRECTIVE)
    audit_on, review_on = audit(agency=agency, year=year), review(agency=agency, year=year)
    raised = Nonconformity.objects.filter(agency=agency, year=year)
    total, closed = raised.count(), raised.filter(status=NonconformityStatus.CLOSED).count()
    detail = "; ".join([
        _("internal audit completed on %(date)s") % {"date": _day(audit_on)} if audit_on
        else _("internal audit not completed"),
        _("management review held on %(date)s") % {"date": _day(review_on)} if review_on
        else _("management review not held"),
        _("nonconformities closed: %(closed)s/%(total)s") % {"closed": closed, "total": total},
    ])
    return PointState(REVIEW_AUDIT_CORRECTIVE, "", bool(audit_on and review_on and closed == total), detail)


def _complaints(ctx: Context) -> PointState:
    agency, year, today = ctx.agency, ctx.year, ctx.today
    received = Feedback.objects.filter(agency=agency, year=year).exclude(status=FeedbackStatus.REJECTED)
    answered = [f for f in received.filter(answered_at__isnull=False).only("answered_at", "due_on")]
    on_time = sum(1 for f in answered if f.is_answered_on_time)
    overdue = received.filter(status__in=FEEDBACK_PENDING, due_on__lt=today).count()
    total = received.count()
    if not total:
        return PointState(COMPLAINTS_HANDLED, "", True, _("No feedback received in %(year)s.") % {"year": year})
    detail = _("%(total)s received; %(on_time)s answered on time, %(late)s late, %(overdue)s overdue without an "
               "answer") % {"total": total, "on_time": on_time, "late": len(answered) - on_time, "overdue": overdue}
    return PointState(COMPLAINTS_HANDLED, "", on_time == len(answered) and not overdue, detail)


def _improvements(ctx: Context) -> PointState:
    agency, year = ctx.agency, ctx.year
    closed = Nonconformity.objects.filter(agency=agency, status=NonconformityStatus.CLOSED,
                                          closed_at__year=year).count()
    actions = ReviewAction.objects.filter(agency=agency, status=ReviewActionStatus.DONE, done_at__year=year).count()
    detail = _("%(closed)s nonconformities closed and %(actions)s review actions done in %(year)s") % {
        "closed": closed, "actions": actions, "year": year}
    return PointState(IMPROVEMENTS_MADE, "", bool(closed or actions), detail)


def _leadership(ctx: Context) -> PointState:
    agency, year = ctx.agency, ctx.year
    heads = RoleAssignment.objects.filter(agency=agency, role=Role.AGENCY_HEAD).values("user")
    approvals = Revision.objects.filter(agency=agency, approved_by__in=heads, approved_at__year=year).count()
    chaired = ManagementReview.objects.filter(agency=agency, year=year, chair__in=heads,
                                              status__in=HELD_STATUSES).count()
    detail = _("%(approvals)s documents approved and %(reviews)s management reviews chaired by the head in "
               "%(year)s") % {"approvals": approvals, "reviews": chaired, "year": year}
    return PointState(LEADERSHIP_PARTICIPATION, "", bool(approvals or chaired), detail)


def _effectiveness(ctx: Context) -> PointState:
    agency, year = ctx.agency, ctx.year
    function = contracts.resolve(contracts.EFFECTIVENESS_CONFIRMED_ON)
    if function is None:
        return _not_available(EFFECTIVENESS_CONFIRMED)
    confirmed_on = function(agency=agency, year=year)
    if confirmed_on:
        return PointState(EFFECTIVENESS_CONFIRMED, "", True, _("Confirmed on %(date)s") % {"date": _day(confirmed_on)})
    return PointState(EFFECTIVENESS_CONFIRMED, "", False, _("Not confirmed in %(year)s") % {"year": year})


def _announcement_text(announcement) -> str:
    return _("In force: %(announcement)s") % {"announcement": announcement}


def _announced(ctx: Context) -> PointState:
    function = contracts.resolve(CURRENT_ANNOUNCEMENT)
    if function is None:
        return _not_available(ANNOUNCEMENT_MADE)
    announcement = ctx.announcement(function)
    if announcement is None:
        return PointState(ANNOUNCEMENT_MADE, "", False, _("No conformity announcement in force."))
    return PointState(ANNOUNCEMENT_MADE, "", True, _announcement_text(announcement))


def _legal(ctx: Context) -> PointState:
    agency, year, today = ctx.agency, ctx.year, ctx.today
    tasks = update_tasks_year_state(agency=agency, year=year, today=today)
    if tasks["overdue"]:
        detail = _("%(count)s update tasks past their 3-month deadline (the first since %(date)s)") % {
            "count": tasks["overdue"], "date": _day(tasks["first_overdue_on"])}
        return PointState(LEGAL_CHANGES_WITHIN_3_MONTHS, "", False, detail)
    if tasks["open"]:
        detail = _("%(count)s update tasks open, within their deadline") % {"count": tasks["open"]}
    elif tasks["last_closed_on"]:
        detail = _("Every update done within 3 months (the last on %(date)s)") % {"date": _day(tasks["last_closed_on"])}
    else:
        detail = _("No change in the law to incorporate in %(year)s.") % {"year": year}
    return PointState(LEGAL_CHANGES_WITHIN_3_MONTHS, "", True, detail)


def _reannounced(ctx: Context) -> PointState:
    agency = ctx.agency
    current, due = contracts.resolve(CURRENT_ANNOUNCEMENT), contracts.resolve(REANNOUNCEMENT_DUE)
    if current is None or due is None:
        return _not_available(REANNOUNCED_ON_SCOPE_CHANGE)
    if ctx.announcement(current) is None:
        return PointState(REANNOUNCED_ON_SCOPE_CHANGE, "", None, _("Not announced yet: nothing to announce again."))
    reasons = [str(reason) for reason in due(agency)]
    if reasons:
        return PointState(REANNOUNCED_ON_SCOPE_CHANGE, "", False,
                          _("A new announcement is due: %(reasons)s") % {"reasons": "; ".join(reasons)})
    return PointState(REANNOUNCED_ON_SCOPE_CHANGE, "", True, _("No change of scope since the announcement."))


def _consultant(ctx: Context) -> PointState:
    agency, year, today = ctx.agency, ctx.year, ctx.today
    function = contracts.resolve(CONSULTANT_LICENSED)
    if function is None:
        return _not_available(CONSULTANT_LICENSED_KEY)
    on = min(today, dt.date(year, 12, 31))
    licensed = function(agency=agency, on=on)
    if licensed is None:
        return PointState(CONSULTANT_LICENSED_KEY, "", None, _("The agency had no consultant."))
    if licensed:
        return PointState(CONSULTANT_LICENSED_KEY, "", True,
                          _("The consultant's licence was valid on %(date)s") % {"date": _day(on)})
    return PointState(CONSULTANT_LICENSED_KEY, "", False,
                      _("A consultant's licence was missing or expired on %(date)s") % {"date": _day(on)})


EVALUATORS = {
    SCOPE_COVERS_PROCEDURES: _scope,
    DOCUMENTS_DISSEMINATED: _disseminated,
    REQUIREMENTS_COMPLIED: _requirements,
    PROCESSES_EXECUTED: _executed,
    REVIEW_AUDIT_CORRECTIVE: _review_audit,
    COMPLAINTS_HANDLED: _complaints,
    IMPROVEMENTS_MADE: _improvements,
    LEADERSHIP_PARTICIPATION: _leadership,
    EFFECTIVENESS_CONFIRMED: _effectiveness,
    ANNOUNCEMENT_MADE: _announced,
    LEGAL_CHANGES_WITHIN_3_MONTHS: _legal,
    REANNOUNCED_ON_SCOPE_CHANGE: _reannounced,
    CONSULTANT_LICENSED_KEY: _consultant,
}


def point_states(*, agency, year: int, today: dt.date | None = None) -> list[PointState]:
    """What eISO's records say about each Art. 36 point for the agency's `year`, in the order of POINTS. `today`
    fixes the day (deadlines, overdue feedback; default: today in Asia/Ho_Chi_Minh)."""
    return states_for(Context(agency, year, today or local_today()))


def states_for(ctx: Context) -> list[PointState]:
    states = []
    for point in POINTS:
        state = EVALUATORS[point.key](ctx)
        state.title = str(point.title)
        states.append(state)
    return states


def met_counts(points: list[dict]) -> dict:
    """{"met", "not_met", "unknown"} among stored point states ({"key", "met", ...})."""
    values = [p.get("met") for p in points]
    return {"met": sum(1 for v in values if v is True), "not_met": sum(1 for v in values if v is False),
            "unknown": sum(1 for v in values if v is None)}
