"""Reads of the risks app: the agency's matrix, the heat-map counts, and what other apps take from it (the
management review's inputs, the yearly evidence folder)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.permissions import today
from eiso.risks.choices import ContextIssueKind, ContextIssueStatus, RiskActionStatus, RiskKind, RiskLevel
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction, RiskMatrix

DEFAULT_LOW_MAX = 4
DEFAULT_MEDIUM_MAX = 12


def default_likelihood_labels() -> list[str]:
    return [_("Rare"), _("Unlikely"), _("Possible"), _("Likely"), _("Almost certain")]


def default_consequence_labels() -> list[str]:
    return [_("Insignificant"), _("Minor"), _("Moderate"), _("Major"), _("Severe")]


def default_matrix(agency) -> RiskMatrix:
    """An unsaved 5×5 matrix with the default labels (in the active language) and thresholds."""
    return RiskMatrix(agency=agency, likelihood_size=5, consequence_size=5,
                      likelihood_labels=default_likelihood_labels(), consequence_labels=default_consequence_labels(),
                      low_max=DEFAULT_LOW_MAX, medium_max=DEFAULT_MEDIUM_MAX)


def matrix_of(*, agency) -> RiskMatrix:
    """The agency's matrix; the (unsaved) defaults while none is stored. Reading never writes."""
    if agency is None:
        return default_matrix(None)
    return RiskMatrix.objects.filter(agency=agency).first() or default_matrix(agency)


def heatmap_counts(*, risks, matrix: RiskMatrix, residual: bool = False) -> dict[tuple[int, int], int]:
    """Number of risks per (likelihood, consequence) cell of the matrix, current or residual. Risks without a
    residual assessment are not counted on the residual map."""
    fields = ("residual_likelihood", "residual_consequence") if residual else ("likelihood", "consequence")
    counts = Counter(tuple(row) for row in risks.values_list(*fields))
    return {(likelihood, consequence): counts.get((likelihood, consequence), 0)
            for likelihood in range(1, matrix.likelihood_size + 1)
            for consequence in range(1, matrix.consequence_size + 1)}


def overdue_actions(on: dt.date | None = None):
    return RiskAction.objects.filter(status=RiskActionStatus.OPEN, due_on__lt=on or today())


def _levels_line(risks) -> str:
    counts = Counter(risks.values_list("level", flat=True))
    return ", ".join(f"{RiskLevel(level).label} {counts[level]}" for level in (RiskLevel.HIGH, RiskLevel.MEDIUM,
                                                                                RiskLevel.LOW))


def review_input(*, agency, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """Lines for the management review (ISO 9001 9.3.2 b and e): changes in the context issues in the period,
    the risks and opportunities that were current in it by level, and the effectiveness of the actions taken
    to address them. Empty when the period holds nothing."""
    lines: list[tuple[str, str]] = []
    new_issues = ContextIssue.objects.filter(agency=agency, identified_on__range=(start, end))
    if new_issues:
        internal = sum(1 for i in new_issues if i.kind == ContextIssueKind.INTERNAL)
        lines.append((_("New context issues"), _("%(count)s (internal %(internal)s, external %(external)s): "
                                                 "%(list)s") % {
            "count": len(new_issues), "internal": internal, "external": len(new_issues) - internal,
            "list": "; ".join(str(i) for i in new_issues)}))
    reviewed = ContextIssue.objects.filter(agency=agency, reviewed_on__range=(start, end))
    if reviewed:
        dropped = sum(1 for i in reviewed if i.status == ContextIssueStatus.NO_LONGER_RELEVANT)
        lines.append((_("Context issues reviewed"), _("%(count)s, of which %(dropped)s no longer relevant")
                      % {"count": len(reviewed), "dropped": dropped}))
    current = Risk.objects.filter(agency=agency, identified_on__lte=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gte=start))
    for kind, label in ((RiskKind.RISK, _("Risks by level")), (RiskKind.OPPORTUNITY, _("Opportunities by level"))):
        of_kind = current.filter(kind=kind)
        if of_kind.exists():
            lines.append((label, _("%(count)s: %(levels)s") % {"count": of_kind.count(),
                                                              "levels": _levels_line(of_kind)}))
    reviews = Risk.objects.filter(agency=agency, reviewed_on__range=(start, end))
    if reviews.exists():
        effective = reviews.filter(is_effective=True).count()
        lines.append((_("Effectiveness of the actions on risks and opportunities"),
                      _("%(count)s reviewed: %(effective)s effective, %(not_effective)s not effective") % {
                          "count": reviews.count(), "effective": effective,
                          "not_effective": reviews.count() - effective}))
    actions = RiskAction.objects.filter(agency=agency, risk__in=current)
    if actions.exists():
        on = min(end, today())
        done = actions.filter(status=RiskActionStatus.DONE, done_at__date__range=(start, end)).count()
        overdue = actions.filter(status=RiskActionStatus.OPEN, due_on__lt=on).count()
        lines.append((_("Treatment actions on risks"), _("%(done)s done in the period; %(overdue)s open and overdue "
                                                         "on %(date)s") % {
            "done": done, "overdue": overdue, "date": on.strftime("%d/%m/%Y")}))
    return lines


def evidence_records(*, agency, year: int) -> list[dict]:
    """The year's records of the context and the risk register for the yearly evidence folder: context issues
    and interested parties recorded, risks assessed, effectiveness reviews."""
    records = []
    for issue in ContextIssue.objects.filter(agency=agency, identified_on__year=year):
        records.append({"title": _("Context issue: %(issue)s") % {"issue": issue}, "url": issue.get_absolute_url(),
                        "on": issue.identified_on})
    for party in InterestedParty.objects.filter(agency=agency, created_at__year=year):
        records.append({"title": _("Interested party: %(party)s") % {"party": party},
                        "url": party.get_absolute_url(), "on": timezone.localtime(party.created_at).date()})
    for risk in Risk.objects.filter(agency=agency, identified_on__year=year):
        records.append({"title": _("Risk assessment: %(risk)s") % {"risk": risk}, "url": risk.get_absolute_url(),
                        "on": risk.identified_on})
    for risk in Risk.objects.filter(agency=agency, reviewed_on__year=year):
        records.append({"title": _("Effectiveness review: %(risk)s") % {"risk": risk},
                        "url": risk.get_absolute_url(), "on": risk.reviewed_on})
    return sorted(records, key=lambda r: r["on"])
