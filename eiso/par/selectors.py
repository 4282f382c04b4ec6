"""Reads of the PAR-index evidence: whose criteria, the scores of an agency and of a province, who may see what.

Scores are computed on request from the records (never stored): an agency's score for a criterion is its
`max_points` when every sub-item of the rule is met (all or nothing), or the share of the sub-items met
(proportional); a sub-item whose contract is not available counts as not met and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from eiso.compliance import contracts
from eiso.core.permissions import AGENCY_MANAGERS, scope_for
from eiso.core.permissions import today as local_today
from eiso.par.choices import Scoring
from eiso.par.models import ParCriterion
from eiso.par.rules import RULES, ItemResult, evaluate_item

LEVELS_PATH = "eiso.oversight.levels.LEVELS"
AGENCY_LEVEL_PATH = "eiso.oversight.levels.agency_level"
CENT = Decimal("0.01")


def natural_key(code: str) -> tuple:
    """"6.3" before "6.10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\s]+", code))


# --- Whose criteria -------------------------------------------------------------------------------------------


def criteria_for(*, province, year: int) -> list[ParCriterion]:
    """The province's criteria of `year`, in the methodology's order."""
    criteria = ParCriterion.objects.filter(agency__province=province, year=year).select_related("agency")
    return sorted(criteria, key=lambda c: natural_key(c.code))


def criteria_years(*, province) -> list[int]:
    years = ParCriterion.objects.filter(agency__province=province).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


# --- Who may see an agency's evidence ------------------------------------------------------------------------


def can_see_agency(user, agency) -> bool:
    """The agency's head and ISO coordinator; the supervisors (and national supervisors) of its province; the
    administrator. Nobody else (404)."""
    scope = scope_for(user)
    if scope.is_global:
        return True
    if scope.roles_in(agency.pk) & AGENCY_MANAGERS:
        return True
    return agency.province_id in scope.supervised_provinces


def can_manage_criteria(user, province) -> bool:
    return scope_for(user).is_authority_for(province.pk)


# --- Scores --------------------------------------------------------------------------------------------------


@dataclass
class CriterionScore:
    criterion: ParCriterion
    items: list[ItemResult]
    points: Decimal

    @property
    def met(self) -> int:
        return sum(1 for item in self.items if item.met)

    @property
    def unavailable(self) -> list[ItemResult]:
        return [item for item in self.items if not item.available]

    @property
    def is_full(self) -> bool:
        return self.points == self.criterion.max_points


@dataclass
class AgencyScore:
    agency: object
    year: int
    scores: list[CriterionScore] = field(default_factory=list)
    level: str = ""

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.scores), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        return sum((s.criterion.max_points for s in self.scores), Decimal(0))

    @property
    def notes(self) -> list[str]:
        seen, notes = set(), []
        for score in self.scores:
            for item in score.unavailable:
                if item.key not in seen:
                    seen.add(item.key)
                    notes.append(f"{item.title}: {item.detail}")
        return notes


def points_for(criterion: ParCriterion, items: list[ItemResult]) -> Decimal:
    if not items:
        return Decimal(0)
    met = sum(1 for item in items if item.met)
    if criterion.scoring == Scoring.PROPORTIONAL:
        return (criterion.max_points * met / len(items)).quantize(CENT, rounding=ROUND_HALF_UP)
    return criterion.max_points if met == len(items) else Decimal(0)


def agency_score(*, agency, year: int, criteria: list[ParCriterion], today: dt.date | None = None,
                 resolve=None) -> AgencyScore:
    """Score one agency on the criteria; each sub-item is read once however many criteria use it."""
    today = today or local_today()
    resolve = resolve or contracts.resolve
    cache: dict[str, ItemResult] = {}

    def item(key):
        if key not in cache:
            cache[key] = evaluate_item(key, agency=agency, year=year, today=today, resolve=resolve)
        return cache[key]

    result = AgencyScore(agency=agency, year=year)
    for criterion in criteria:
        items = [item(key) for key in RULES[criterion.rule].items]
        result.scores.append(CriterionScore(criterion=criterion, items=items, points=points_for(criterion, items)))
    return result


def levels() -> list[tuple[str, str]]:
    """The agency levels of the oversight app, or [] while it does not exist."""
    value = _resolve_attribute(LEVELS_PATH)
    return [(key, str(label)) for key, label in value] if value else []


def _resolve_attribute(path: str):
    import importlib

    module_path, _dot, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name and (module_path == exc.name or module_path.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, name, None)


def province_agencies(*, province, year: int, today: dt.date | None = None):
    """The agencies of the province that exist at the end of `year` (or today, for the current year)."""
    from eiso.organizations.models import Agency

    today = today or local_today()
    on = min(dt.date(year, 12, 31), max(today, dt.date(year, 1, 1)))
    return (Agency.objects.filter(province=province).valid_on(on)
            .select_related("admin_unit", "province", "parent").order_by("name"))


class BatchedContracts:
    """A `resolve` for `agency_score` over many agencies: a contract with a batched form next to it in its module
    (`<name>_many`) is asked once for all the agencies of the year, and the function handed to the sub-item answers
    from that; a contract without one is handed as it is (one call per agency)."""

    def __init__(self, agencies, *, year: int, today: dt.date, resolve=None):
        self.agency_ids = [a.pk for a in agencies]
        self.year, self.today = year, today
        self.resolve = resolve or contracts.resolve
        self.functions: dict = {}

    def __call__(self, path: str):
        if path not in self.functions:
            self.functions[path] = self._batched(path)
        return self.functions[path]

    def _batched(self, path: str):
        import inspect

        function = self.resolve(path)
        if function is None:
            return None
        many = contracts.resolve_many(path) if self.resolve is contracts.resolve else None
        if many is None:
            return function
        accepts = inspect.signature(many).parameters
        kwargs = {"agency_ids": self.agency_ids}
        if "years" in accepts:
            kwargs["years"] = [self.year]
        if "today" in accepts:
            kwargs["today"] = self.today
        answers = many(**kwargs)
        if "years" not in accepts:  # (agency) -> answer, e.g. the announcement in force
            return lambda agency: answers.get(agency.pk)
        fallback = function

        def answer(*, agency, year, **extra):
            if year != self.year:
                return fallback(agency=agency, year=year, **extra)
            return answers.get((agency.pk, year))

        return answer


def province_scores(*, province, year: int, level: str = "", today: dt.date | None = None,
                    resolve=None) -> tuple[list[ParCriterion], list[AgencyScore]]:
    """Every agency of the province scored on the province's criteria of `year`; `level` keeps one level of
    `eiso.oversight.levels` (ignored while that contract does not exist). The contracts are asked once for all the
    agencies (`BatchedContracts`), not once per agency."""
    today = today or local_today()
    criteria = criteria_for(province=province, year=year)
    agency_level = contracts.resolve(AGENCY_LEVEL_PATH)
    agencies = list(province_agencies(province=province, year=year, today=today))
    resolve = BatchedContracts(agencies, year=year, today=today, resolve=resolve)
    rows = []
    for agency in agencies:
        agency_level_key = agency_level(agency) if agency_level else ""
        if level and agency_level and agency_level_key != level:
            continue
        row = agency_score(agency=agency, year=year, criteria=criteria, today=today, resolve=resolve)
        row.level = agency_level_key
        rows.append(row)
    return criteria, rows


def legal_update_tasks(*, agency, year: int):
    """The update tasks of the agency's year for the legal-update log: due in the year or closed in it."""
    from eiso.legal.models import UpdateTask

    return (UpdateTask.objects.filter(agency=agency).filter(Q(due_on__year=year) | Q(closed_at__year=year))
            .select_related("document", "legal_document", "procedure").order_by("due_on", "document__code"))
