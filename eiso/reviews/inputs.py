"""The inputs of a management review (ISO 9001 clause 9.3.2) as data: what is assembled, in the standard's order,
and where each comes from.

Every source has a key (stored on `ReviewInput.key`), the clause item it answers, its title in the standard's words
and a provider: the dotted path of a function `(*, agency, start, end) -> list[(label, value)]` whose lines are
copied into the input (translated at call time, human readable with figures; an empty list when the period holds
nothing), or None for an input the coordinator enters by hand (its `hint` says what to write). The providers of
other apps are imported by path (django.utils.module_loading.import_string) when the inputs are assembled, so that
this list stays data; tests/reviews/test_inputs.py checks that every provider can be imported and answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.permissions import today

Line = tuple[str, str]


@dataclass(frozen=True)
class InputSource:
    key: str
    clause: str  # the item of ISO 9001 9.3.2: "a", "b", "c1"… "f"
    title: str  # lazy: in the standard's words
    provider: str | None  # dotted path of the provider; None: entered by hand
    hint: str = ""  # lazy: what the coordinator writes in the comment
    standing: bool = False  # describes the agency as it stands (not the period's work): not enough to hold a review


HERE = "eiso.reviews.inputs"

SOURCES: tuple[InputSource, ...] = (
    InputSource("previous_actions", "a", gettext_lazy("Status of actions from previous management reviews"),
                f"{HERE}.previous_actions"),
    # The risks app gives the lines of b) and e) together (context issues, risks, effectiveness of their actions).
    InputSource("context_and_risks", "b, e", gettext_lazy("Changes in external and internal issues that are relevant "
                                                          "to the quality management system, and the effectiveness of "
                                                          "actions taken to address risks and opportunities"),
                "eiso.risks.selectors.review_input"),
    InputSource("legal_changes", "b", gettext_lazy("Changes in the legal bases and the updates of the QMS documents"),
                f"{HERE}.legal_changes"),
    InputSource("satisfaction", "c1", gettext_lazy("Customer satisfaction and feedback from relevant interested "
                                                   "parties"),
                "eiso.improvement.selectors.feedback_review_input"),
    InputSource("objectives", "c2", gettext_lazy("The extent to which quality objectives have been met"),
                "eiso.objectives.selectors.review_input"),
    InputSource("dossier_performance", "c3", gettext_lazy("Process performance and conformity of services: "
                                                          "the dossiers of administrative procedures"),
                f"{HERE}.dossier_performance"),
    InputSource("process_performance", "c3", gettext_lazy("Process performance: procedures with late dossiers"),
                f"{HERE}.process_performance"),
    InputSource("nonconformities", "c4", gettext_lazy("Nonconformities and corrective actions"),
                f"{HERE}.nonconformities"),
    InputSource("monitoring", "c5", gettext_lazy("Monitoring and measurement results"), f"{HERE}.monitoring",
                gettext_lazy("Add the results of inspections by the supervising authority, the PAR index and other "
                             "measurements not held in eISO.")),
    InputSource("audits", "c6", gettext_lazy("Audit results"), "eiso.audits.selectors.review_input"),
    InputSource("external_providers", "c7", gettext_lazy("The performance of external providers and cooperating "
                                                         "units"), f"{HERE}.cooperating_units",
                gettext_lazy("Add how the external providers (consultants, suppliers) performed.")),
    InputSource("resources", "d", gettext_lazy("The adequacy of resources"), f"{HERE}.resources",
                gettext_lazy("Training, premises, equipment, software and budget: are they adequate?"), standing=True),
    InputSource("improvement", "f", gettext_lazy("Opportunities for improvement"), f"{HERE}.improvement_opportunities",
                gettext_lazy("Add the improvements proposed by units and staff.")),
)
SOURCES_BY_KEY = {source.key: source for source in SOURCES}


# --- Formatting -----------------------------------------------------------------------------------------------


def number(value) -> str:
    return f"{value:,}".replace(",", ".")


def percent(part, whole) -> str:
    """"97,5 %" (one decimal, decimal comma); "—" when there is nothing to divide by."""
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %"


def figure(value, unit: str = "") -> str:
    """A measured value as the minutes write it, with its unit: "91 %", "97,5 %", "1.250 ngày" (no trailing
    zeros, decimal comma, whatever the server's locale)."""
    value = Decimal(value).normalize()
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    text = ("-" if value < 0 else "") + number(int(whole)) + (f",{fraction}" if fraction else "")
    return f"{text} {unit}".strip()


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


# --- Providers of this app ------------------------------------------------------------------------------------


def previous_actions(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """The actions decided by the agency's earlier (held) reviews: those still open, and those done since the start
    of the period; a first line counts them."""
    from eiso.reviews.choices import HELD_STATUSES, ReviewActionStatus
    from eiso.reviews.models import ReviewAction

    actions = list(ReviewAction.objects.filter(agency=agency, review__status__in=HELD_STATUSES).filter(
        Q(status=ReviewActionStatus.OPEN) | Q(done_at__date__gte=start)).select_related("review", "owner")
        .order_by("review__year", "review__number", "due_on"))
    if not actions:
        return []
    now = today()
    done = [a for a in actions if a.status == ReviewActionStatus.DONE]
    late = [a for a in actions if a.status == ReviewActionStatus.OPEN and a.due_on < now]
    lines = [(_("Actions from previous reviews"), _("%(total)s: %(done)s done, %(open)s open (%(late)s overdue)") % {
        "total": len(actions), "done": len(done), "open": len(actions) - len(done), "late": len(late)})]
    for action in actions:
        label = f"{action.review.number:02d}/{action.review.year}: {action.description}"
        if action.status == ReviewActionStatus.DONE:
            value = _("done on %(date)s") % {"date": day(action.done_at)}
            if action.evidence:
                value += f" – {action.evidence}"
        elif action.due_on < now:
            value = _("open, overdue since %(date)s (%(owner)s)") % {"date": day(action.due_on), "owner": action.owner}
        else:
            value = _("open, due %(date)s (%(owner)s)") % {"date": day(action.due_on), "owner": action.owner}
        lines.append((label, value))
    return lines


def legal_changes(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """The legal documents that took effect in the period and touch the agency (a legal basis of its documents or
    of the procedures of its processes, or the cause of one of its update tasks), and its update tasks of the
    period (3-month rule)."""
    from eiso.legal.choices import UpdateTaskStatus
    from eiso.legal.models import LegalDocument, UpdateTask

    documents = list(LegalDocument.objects.filter(effective_on__gte=start, effective_on__lte=end).filter(
        Q(update_tasks__agency=agency) | Q(documents__agency=agency) | Q(procedures__processes__agency=agency)
    ).distinct().order_by("effective_on", "number"))
    tasks = list(UpdateTask.objects.filter(agency=agency, starts_on__gte=start, starts_on__lte=end))
    lines: list[Line] = []
    if documents:
        lines.append((_("Legal documents that took effect"), number(len(documents))))
        for document in documents[:15]:
            lines.append((document.number, _("%(title)s – effective %(date)s") % {
                "title": document.title or document.get_doc_type_display(), "date": day(document.effective_on)}))
    if tasks:
        done = [t for t in tasks if t.status == UpdateTaskStatus.DONE]
        in_time = [t for t in done if t.closed_at and timezone.localtime(t.closed_at).date() <= t.due_on]
        dismissed = [t for t in tasks if t.status == UpdateTaskStatus.DISMISSED]
        still_open = [t for t in tasks if t.status == UpdateTaskStatus.OPEN]
        overdue = [t for t in still_open if t.due_on < today()]
        lines += [
            (_("Documents to update after a legal or catalogue change"), number(len(tasks))),
            (_("Updated"), _("%(done)s, of which %(in_time)s within 3 months (%(rate)s)") % {
                "done": len(done), "in_time": len(in_time), "rate": percent(len(in_time), len(done))}),
            (_("Dismissed as not affected"), number(len(dismissed))),
            (_("Still to update"), _("%(open)s, of which %(overdue)s overdue") % {
                "open": len(still_open), "overdue": len(overdue)}),
        ]
    return lines


def _tallies(agency, start: dt.date, end: dt.date):
    from eiso.dossiers.models import DossierTally
    from eiso.dossiers.statistics import month_start

    return DossierTally.objects.filter(agency=agency, month__gte=month_start(start), month__lte=month_start(end))


def dossier_performance(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """The agency's dossiers over the months of the period (the dossier tallies): received, resolved early, on time
    and late, the on-time rate, stopped or withdrawn."""
    totals = _tallies(agency, start, end).aggregate(
        received=Sum("received"), early=Sum("early"), on_time=Sum("on_time"), late=Sum("late"),
        cancelled=Sum("cancelled"))
    totals = {key: value or 0 for key, value in totals.items()}
    resolved = totals["early"] + totals["on_time"] + totals["late"]
    if not totals["received"] and not resolved and not totals["cancelled"]:
        return []
    return [
        (_("Dossiers received"), number(totals["received"])),
        (_("Dossiers resolved"), _("%(resolved)s: %(early)s early, %(on_time)s on time, %(late)s late") % {
            "resolved": number(resolved), "early": number(totals["early"]), "on_time": number(totals["on_time"]),
            "late": number(totals["late"])}),
        (_("Share of dossiers resolved on time"), percent(totals["early"] + totals["on_time"], resolved)),
        (_("Stopped or withdrawn"), number(totals["cancelled"])),
    ]


def process_performance(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """The procedures with late dossiers in the period, the worst first (at most ten)."""
    rows = list(_tallies(agency, start, end).order_by().values("procedure__code", "procedure__name").annotate(
        early=Sum("early"), on_time=Sum("on_time"), late=Sum("late")))
    resolved_any = any((r["early"] or 0) + (r["on_time"] or 0) + (r["late"] or 0) for r in rows)
    if not resolved_any:
        return []
    late_rows = sorted((r for r in rows if r["late"]), key=lambda r: (-r["late"], r["procedure__code"]))
    if not late_rows:
        return [(_("Procedures with late dossiers"), _("none: every dossier was resolved on time"))]
    lines = [(_("Procedures with late dossiers"), number(len(late_rows)))]
    for row in late_rows[:10]:
        resolved = row["early"] + row["on_time"] + row["late"]
        lines.append((f"{row['procedure__code']} – {row['procedure__name']}",
                      _("%(late)s late of %(resolved)s resolved (on time: %(rate)s)") % {
                          "late": number(row["late"]), "resolved": number(resolved),
                          "rate": percent(resolved - row["late"], resolved)}))
    return lines


def nonconformities(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """Nonconformities raised and closed in the period, those open now, and the corrective actions overdue."""
    from eiso.improvement.choices import ActionStatus, NonconformitySource, NonconformityStatus
    from eiso.improvement.models import CorrectiveAction, Nonconformity

    in_agency = Nonconformity.objects.filter(agency=agency)
    raised = list(in_agency.filter(raised_at__date__gte=start, raised_at__date__lte=end).values_list("source",
                                                                                                     flat=True))
    closed = in_agency.filter(closed_at__date__gte=start, closed_at__date__lte=end)
    closed_count = closed.count()
    effective = closed.filter(is_effective=True).count()
    still_open = in_agency.exclude(status=NonconformityStatus.CLOSED).count()
    actions = CorrectiveAction.objects.filter(agency=agency)
    overdue = actions.filter(status=ActionStatus.OPEN, due_on__lt=today()).count()
    if not (raised or closed_count or still_open):
        return []
    by_source = ", ".join(f"{NonconformitySource(source).label}: {raised.count(source)}"
                          for source in NonconformitySource.values if source in raised)
    return [
        (_("Nonconformities raised"), number(len(raised)) + (f" ({by_source})" if by_source else "")),
        (_("Nonconformities closed"), _("%(closed)s, verified effective: %(effective)s") % {
            "closed": number(closed_count), "effective": number(effective)}),
        (_("Nonconformities still open"), number(still_open)),
        (_("Corrective actions overdue"), number(overdue)),
    ]


def monitoring(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """The measurements of the quality objectives' indicators recorded for the period: how many, how many reached
    their target, and each one that did not."""
    from eiso.objectives.choices import MeasurementResult
    from eiso.objectives.models import Measurement

    measurements = list(Measurement.objects.filter(agency=agency, period_start__gte=start, period_end__lte=end)
                        .select_related("indicator").order_by("period_start", "indicator__name"))
    if not measurements:
        return []
    missed = [m for m in measurements if m.result == MeasurementResult.BELOW]
    lines = [(_("Measurements of the objectives' indicators"), _("%(total)s recorded, %(reached)s reached the target")
              % {"total": number(len(measurements)), "reached": number(len(measurements) - len(missed))})]
    for measurement in missed[:10]:
        lines.append((measurement.indicator.name, _("%(start)s–%(end)s: %(value)s, target %(target)s") % {
            "start": day(measurement.period_start), "end": day(measurement.period_end),
            "value": figure(measurement.value, measurement.indicator.unit),
            "target": figure(measurement.target, measurement.indicator.unit)}))
    return lines


def cooperating_units(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """How the units that handle the steps of the agency's dossiers performed (steps handed over in the period:
    early, on time, late, by the responsible unit as the process names it), and the consultations of other units
    or agencies recorded on dossiers."""
    from django.db.models import Count

    from eiso.dossiers.choices import Outcome
    from eiso.dossiers.models import DossierEvent, DossierStep

    steps = list(DossierStep.objects.filter(agency=agency, finished_at__date__gte=start, finished_at__date__lte=end)
                 .order_by().values("responsible", "result").annotate(count=Count("id")))
    consultations = DossierEvent.objects.filter(agency=agency, action="consult", at__date__gte=start,
                                                at__date__lte=end).count()
    if not steps and not consultations:
        return []
    units: dict = {}
    for row in steps:
        unit = units.setdefault(row["responsible"] or _("(no unit named)"), {"late": 0, "total": 0})
        unit["total"] += row["count"]
        if row["result"] == Outcome.LATE:
            unit["late"] += row["count"]
    lines = []
    for name, unit in sorted(units.items(), key=lambda item: (-item[1]["late"], item[0]))[:10]:
        lines.append((name, _("%(total)s steps handed over, %(late)s late (on time: %(rate)s)") % {
            "total": number(unit["total"]), "late": number(unit["late"]),
            "rate": percent(unit["total"] - unit["late"], unit["total"])}))
    if consultations:
        lines.append((_("Consultations of other units or agencies on dossiers"), number(consultations)))
    return lines


def resources(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """The people of the agency by role today, its internal units, and its controlled documents in force."""
    from django.db.models import Count

    from eiso.core.permissions import Role
    from eiso.documents.models import Document
    from eiso.organizations.models import OrgUnit, RoleAssignment

    roles = dict(RoleAssignment.objects.active().filter(agency=agency).order_by().values_list("role")
                 .annotate(people=Count("user", distinct=True)))
    if not roles:
        return []
    lines = [(Role(role).label, number(count)) for role, count in sorted(roles.items()) if role in Role.values]
    lines.append((_("Internal units"), number(OrgUnit.objects.filter(agency=agency).count())))
    in_force = Document.objects.filter(agency=agency).exclude(current_revision=None).count()
    lines.append((_("Controlled documents in force"), number(in_force)))
    return lines


def improvement_opportunities(*, agency, start: dt.date, end: dt.date) -> list[Line]:
    """What the year's records propose to improve: the audits' opportunities for improvement, the opportunities of
    the risk register still open, and the petitions of citizens and businesses."""
    from eiso.audits.choices import FindingGrade
    from eiso.audits.models import AuditFinding
    from eiso.improvement.choices import FeedbackKind
    from eiso.improvement.models import Feedback
    from eiso.risks.choices import RiskKind, RiskStatus
    from eiso.risks.models import Risk

    lines: list[Line] = []
    for finding in AuditFinding.objects.filter(agency=agency, grade=FindingGrade.IMPROVEMENT,
                                               recorded_at__date__gte=start, recorded_at__date__lte=end)[:10]:
        lines.append((_("Internal audit: opportunity for improvement"), finding.description))
    for risk in Risk.objects.filter(agency=agency, kind=RiskKind.OPPORTUNITY).exclude(status=RiskStatus.CLOSED)[:10]:
        lines.append((_("Opportunity of the risk register"), risk.description))
    for petition in Feedback.objects.filter(agency=agency, kind=FeedbackKind.PETITION, received_at__date__gte=start,
                                            received_at__date__lte=end)[:10]:
        lines.append((_("Petition %(number)s") % {"number": petition.number}, petition.content))
    return lines
