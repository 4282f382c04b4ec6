"""Reads of provincial oversight: the agencies a user may follow, each agency's row (level, stage, overdue
obligations, on-time rate) computed in bulk, the level × stage summary of a province (`province_summary`, the
single source of those counts for the dashboard, the province report and the tests), the national view, and the
progress of a rollout plan's targets.

Every function reads in a fixed number of queries whatever the number of agencies, and takes `today` so that
tests and reports fix the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from eiso.compliance.contracts import resolve
from eiso.core.permissions import scope_for
from eiso.core.permissions import today as local_today
from eiso.oversight.choices import ANNOUNCED_STAGES, MilestoneKind, Stage
from eiso.oversight.levels import AGENCY_RELATED, LEVEL_KEYS, LEVEL_LABELS, LEVELS, agency_level, level_condition
from eiso.oversight.models import STAGE_ROLES, AgencyStage
from eiso.oversight.stages import StageInfo, stages_by_agency

LATE_REPORTS_BY_AGENCY = "eiso.reporting.selectors.late_reports_by_agency"
TRAINED_PEOPLE_BY_AGENCY = "eiso.trainings.selectors.trained_people_by_agency"


# --- Who sees what --------------------------------------------------------------------------------------------




def can_oversee(user) -> bool:
    """Reads the oversight pages (dashboards, plans): supervisors, national supervisors, administrators."""
    scope = scope_for(user)
    return scope.is_global or bool(scope.supervised_provinces)


def can_read_national(user) -> bool:
    scope = scope_for(user)
    return scope.is_global or scope.is_national


def stage_agencies(user):
    """The agencies whose QMS stage `user` reads: its own agencies (their head, coordinator, staff and auditors;
    predecessors read-only) and those of the provinces it supervises; every agency for an administrator."""
    from eiso.organizations.models import Agency

    scope = scope_for(user)
    if scope.is_global:
        return Agency.objects.all()
    condition = Q(pk__in=scope.agencies_for("view", STAGE_ROLES))
    if scope.supervises_for("view", STAGE_ROLES):
        condition |= Q(province__in=scope.supervised_provinces)
    return Agency.objects.filter(condition)


def can_confirm_stage(user, agency) -> bool:
    """Confirms a stage and records a conversion: the supervising authority of the agency's province (and
    administrators)."""
    return scope_for(user).is_authority_for(agency.province_id)


def province_agencies(province, *, today: dt.date | None = None):
    """The agencies of `province` in existence on `today` (merged ones have ended), with what their level needs."""
    from eiso.organizations.models import Agency

    today = today or local_today()
    return (Agency.objects.filter(province=province).valid_on(today).select_related(*AGENCY_RELATED)
            .order_by("name"))


# --- Each agency's row ----------------------------------------------------------------------------------------


@dataclass
class AgencyRow:
    """One agency as the supervisor follows it. `late_reports` is None when periodic reports are not available in
    this installation; `resolved`/`on_time` count this year's dossiers (the on-time rate is their ratio)."""

    agency: object
    level: str
    stage: StageInfo
    audit_due_on: dt.date
    audit_overdue: bool = False
    legal_overdue: int = 0
    late_reports: int | None = None
    resolved: int = 0
    on_time: int = 0

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def short_name(self) -> str:
        return self.agency.name.replace("Ủy ban nhân dân", "UBND")

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def on_time_percent(self) -> float | None:
        rate = self.on_time_rate
        return None if rate is None else round(rate * 100, 1)

    @property
    def is_overdue(self) -> bool:
        return self.audit_overdue or bool(self.legal_overdue) or bool(self.late_reports)


def _audit_due_dates(agency_ids: list, year: int) -> dict:
    """The due date of each agency's internal audit of `year`: its calendar's (moved by the coordinator) or the
    default one."""
    from eiso.compliance.models import ComplianceItem
    from eiso.compliance.obligations import INTERNAL_AUDIT

    return dict(ComplianceItem.objects.filter(agency_id__in=agency_ids, year=year, obligation=INTERNAL_AUDIT)
                .order_by().values_list("agency_id", "due_on"))


def agency_rows(agencies: Iterable, *, today: dt.date | None = None, dossiers: bool = True) -> list[AgencyRow]:
    """One row per agency (Agency objects with `AGENCY_RELATED` selected), in their order. Overdue obligations on
    `today`: no internal audit of the year completed after its due date; legal update tasks past their 3-month
    deadline; late periodic reports (contract of eiso.reporting); the dossiers resolved this year and on time
    (from the monthly tallies, never the dossiers; left at 0 with `dossiers=False`, for a caller that shows no
    on-time rate). A fixed number of queries."""
    from eiso.compliance.obligations import BY_KEY, INTERNAL_AUDIT
    from eiso.dossiers.selectors import resolved_on_time_by_agency
    from eiso.legal.selectors import overdue_update_tasks_by_agency

    today = today or local_today()
    agencies = list(agencies)
    ids = [agency.pk for agency in agencies]
    if not ids:
        return []
    stages = stages_by_agency(ids, today=today)
    due_dates = _audit_due_dates(ids, today.year)
    default_due = BY_KEY[INTERNAL_AUDIT].default_due_on(today.year)
    legal = overdue_update_tasks_by_agency(ids, today=today)
    late_reports_by_agency = resolve(LATE_REPORTS_BY_AGENCY)
    late = late_reports_by_agency(ids, today=today) if late_reports_by_agency is not None else None
    dossiers = resolved_on_time_by_agency(ids, year=today.year) if dossiers else {}
    rows = []
    for agency in agencies:
        stage = stages[agency.pk]
        due_on = due_dates.get(agency.pk, default_due)
        resolved, on_time = dossiers.get(agency.pk, (0, 0))
        rows.append(AgencyRow(
            agency=agency, level=agency_level(agency), stage=stage, audit_due_on=due_on,
            audit_overdue=today > due_on and today.year not in stage.audit_years,
            legal_overdue=legal.get(agency.pk, 0),
            late_reports=None if late is None else late.get(agency.pk, 0),
            resolved=resolved, on_time=on_time,
        ))
    return rows


# --- Level × stage ------------------------------------------------------------------------------------------------


@dataclass
class LevelRow:
    """The agencies of one level: how many, by stage (in effect), announced (stage announced or maintaining),
    converted to TCVN ISO 9001:2015 among `had_2008_system`."""

    level: str
    label: str
    total: int = 0
    by_stage: dict = field(default_factory=lambda: dict.fromkeys(Stage.values, 0))
    announced: int = 0
    converted: int = 0
    had_2008_system: int = 0

    @property
    def stage_counts(self) -> list[tuple[str, int]]:
        return [(stage, self.by_stage[stage]) for stage in Stage.values]


def summarize(stages: Iterable[tuple[str, StageInfo]]) -> list[LevelRow]:
    """(level, StageInfo) pairs → one LevelRow per level that has agencies, in the order of LEVELS."""
    rows = {key: LevelRow(level=key, label=str(label)) for key, label in LEVELS}
    for level, info in stages:
        row = rows[level]
        row.total += 1
        row.by_stage[info.stage] += 1
        row.announced += info.stage in ANNOUNCED_STAGES
        row.converted += info.converted
        row.had_2008_system += info.had_2008_system
    return [row for row in rows.values() if row.total]


def total_row(levels: list[LevelRow]) -> LevelRow:
    from django.utils.translation import gettext as _

    total = LevelRow(level="", label=_("Total"))
    for row in levels:
        total.total += row.total
        total.announced += row.announced
        total.converted += row.converted
        total.had_2008_system += row.had_2008_system
        for stage, count in row.by_stage.items():
            total.by_stage[stage] += count
    return total


def province_summary(*, province, today: dt.date | None = None) -> list[LevelRow]:
    """The agencies of `province` existing on `today`, one row per level that has any: total, by stage in effect,
    announced, converted. The dashboard, the province report and the tests read these counts from here."""
    agencies = list(province_agencies(province, today=today))
    stages = stages_by_agency(agencies, today=today)
    return summarize((agency_level(agency), stages[agency.pk]) for agency in agencies)


@dataclass
class ProvinceOverview:
    province: object
    today: dt.date
    rows: list[AgencyRow]
    levels: list[LevelRow]

    @property
    def total(self) -> LevelRow:
        return total_row(self.levels)

    @property
    def audit_overdue(self) -> list[AgencyRow]:
        return [row for row in self.rows if row.audit_overdue]

    @property
    def legal_overdue(self) -> list[AgencyRow]:
        return [row for row in self.rows if row.legal_overdue]

    @property
    def legal_overdue_tasks(self) -> int:
        return sum(row.legal_overdue for row in self.rows)

    @property
    def reports_available(self) -> bool:
        return any(row.late_reports is not None for row in self.rows) or not self.rows

    @property
    def late_reports(self) -> list[AgencyRow]:
        return [row for row in self.rows if row.late_reports]

    @property
    def overdue(self) -> list[AgencyRow]:
        return [row for row in self.rows if row.is_overdue]

    @property
    def to_convert(self) -> list[AgencyRow]:
        """Agencies that had a 2008 system and have not converted yet."""
        return [row for row in self.rows if row.stage.had_2008_system and not row.stage.converted]

    def heat_table(self) -> list[tuple[str, str, list[AgencyRow]]]:
        """(level, label, rows) for each level with agencies, in the order of LEVELS."""
        groups = {key: [] for key in LEVEL_KEYS}
        for row in self.rows:
            groups[row.level].append(row)
        return [(key, str(LEVEL_LABELS[key]), groups[key]) for key in LEVEL_KEYS if groups[key]]


def province_overview(*, province, today: dt.date | None = None) -> ProvinceOverview:
    """The province dashboard's data: every agency's row and the level × stage counts made from the same stages
    as `province_summary`."""
    today = today or local_today()
    rows = agency_rows(province_agencies(province, today=today), today=today)
    return ProvinceOverview(province=province, today=today, rows=rows,
                            levels=summarize((row.level, row.stage) for row in rows))


def filter_rows(rows: list[AgencyRow], *, level: str = "", stage: str = "", overdue: bool = False) -> list[AgencyRow]:
    return [row for row in rows if (not level or row.level == level) and (not stage or row.stage.stage == stage)
            and (not overdue or row.is_overdue)]


# --- The national view --------------------------------------------------------------------------------------------


@dataclass
class NationalRow:
    province: object
    levels: list[LevelRow]
    overdue_agencies: int = 0
    audit_overdue: int = 0
    legal_overdue: int = 0
    late_reports: int | None = None

    @property
    def total(self) -> LevelRow:
        return total_row(self.levels)

    def level(self, key: str) -> LevelRow | None:
        return next((row for row in self.levels if row.level == key), None)

    @property
    def by_level(self) -> list[LevelRow | None]:
        return [self.level(key) for key in LEVEL_KEYS]


def national_overview(*, today: dt.date | None = None, provinces=None) -> list[NationalRow]:
    """One row per province (default: every current province): its agencies by level, announced, converted and
    overdue, all read in one pass over every agency (a fixed number of queries)."""
    from eiso.organizations.choices import AdminUnitLevel
    from eiso.organizations.models import AdminUnit, Agency

    today = today or local_today()
    if provinces is None:
        provinces = AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE, valid_to__isnull=True)
    provinces = list(provinces.order_by("name"))
    agencies = (Agency.objects.filter(province__in=provinces).valid_on(today).select_related(*AGENCY_RELATED)
                .order_by("name"))
    grouped: dict = {province.pk: [] for province in provinces}
    for row in agency_rows(agencies, today=today, dossiers=False):  # the national view shows no on-time rate
        grouped[row.agency.province_id].append(row)
    result = []
    for province in provinces:
        rows = grouped[province.pk]
        late = [row.late_reports for row in rows if row.late_reports is not None]
        result.append(NationalRow(
            province=province, levels=summarize((row.level, row.stage) for row in rows),
            overdue_agencies=sum(row.is_overdue for row in rows),
            audit_overdue=sum(row.audit_overdue for row in rows),
            legal_overdue=sum(bool(row.legal_overdue) for row in rows),
            late_reports=sum(1 for n in late if n) if late else None,
        ))
    return result


# --- Rollout plans --------------------------------------------------------------------------------------------


def plan_budget_total(plan) -> int:
    return plan.budget_lines.aggregate(total=Sum("amount"))["total"] or 0


# Milestones whose reach by one agency its records tell (the others are followed for the plan as a whole).
DERIVED_MILESTONES = frozenset({MilestoneKind.TRAINING, MilestoneKind.DOCUMENTS, MilestoneKind.APPLICATION,
                                MilestoneKind.INTERNAL_AUDIT, MilestoneKind.MANAGEMENT_REVIEW,
                                MilestoneKind.ANNOUNCEMENT})


@dataclass
class TargetRow:
    target: object
    level: str
    stage: StageInfo
    reached: list  # one per milestone of the plan: True / False / None (not told by the records)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])


@dataclass
class MilestoneRow:
    milestone: object
    reached: int | None  # targets that reached it (None: not told by the records)
    total: int


@dataclass
class PlanProgress:
    targets: list[TargetRow]
    milestones: list[MilestoneRow]
    by_stage: dict

    @property
    def stage_counts(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), self.by_stage[key]) for key, label in Stage.choices]


def _milestone_reached(milestone, info: StageInfo, trained: dict | None, agency_id) -> bool | None:
    kind, year = milestone.kind, milestone.planned_on.year
    if kind == MilestoneKind.TRAINING:
        return None if trained is None else bool(trained.get(year, {}).get(agency_id))
    if kind == MilestoneKind.DOCUMENTS:
        return info.has_documents
    if kind == MilestoneKind.APPLICATION:
        return info.has_published_process
    if kind == MilestoneKind.INTERNAL_AUDIT:
        return year in info.audit_years
    if kind == MilestoneKind.MANAGEMENT_REVIEW:
        return year in info.review_years
    if kind == MilestoneKind.ANNOUNCEMENT:
        return info.announced_on is not None
    return None


def plan_progress(plan, *, today: dt.date | None = None) -> PlanProgress:
    """Each target with its stage and, per milestone, whether its records show it reached: the documents built,
    a process published, the internal audit or the management review of the milestone's year, the announcement,
    people trained in the milestone's year (contract of eiso.trainings). The survey is followed for the plan as
    a whole (its milestone's done date)."""
    today = today or local_today()
    milestones = list(plan.milestones.all())
    targets = list(plan.targets.select_related("consultant", *(f"agency__{name}" for name in AGENCY_RELATED))
                   .order_by("agency__name"))
    ids = [target.agency_id for target in targets]
    stages = stages_by_agency(ids, today=today)
    trained = None
    trained_people_by_agency = resolve(TRAINED_PEOPLE_BY_AGENCY)
    if trained_people_by_agency is not None and any(m.kind == MilestoneKind.TRAINING for m in milestones):
        years = sorted({m.planned_on.year for m in milestones if m.kind == MilestoneKind.TRAINING})
        trained = {year: trained_people_by_agency(ids, year=year) for year in years}
    rows = [TargetRow(target=target, level=agency_level(target.agency), stage=stages[target.agency_id],
                      reached=[_milestone_reached(m, stages[target.agency_id], trained, target.agency_id)
                               for m in milestones])
            for target in targets]
    milestone_rows = []
    for index, milestone in enumerate(milestones):
        marks = [row.reached[index] for row in rows]
        told = milestone.kind in DERIVED_MILESTONES and not (milestone.kind == MilestoneKind.TRAINING
                                                             and trained is None)
        milestone_rows.append(MilestoneRow(milestone=milestone, reached=sum(bool(m) for m in marks) if told else None,
                                           total=len(rows)))
    by_stage = dict.fromkeys(Stage.values, 0)
    for row in rows:
        by_stage[row.stage.stage] += 1
    return PlanProgress(targets=rows, milestones=milestone_rows, by_stage=by_stage)


def plan_candidates(plan, *, level: str = ""):
    """The agencies of the plan's province that it does not target yet (of `level`, when given)."""
    from eiso.organizations.models import Agency

    agencies = (Agency.objects.filter(province_id=plan.agency.province_id).valid_on(local_today())
                .exclude(pk__in=plan.targets.values("agency_id")))
    if level:
        agencies = agencies.filter(level_condition(level))
    return agencies.order_by("name")


def agency_stage_record(agency) -> AgencyStage | None:
    return AgencyStage.objects.filter(agency=agency).select_related("confirmed_by").first()
