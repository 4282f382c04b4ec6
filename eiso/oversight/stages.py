"""The stage of each agency's QMS, derived from its records in bulk (a handful of queries for any number of
agencies), and the stage in effect once the supervisor's confirmation is taken into account.

Derived stage (the first that holds, from the top):

- `maintaining`: announced, and an internal audit completed and a management review held in one same year after
  the year of the announcement (the yearly cycle of Decision 19/2014 Art. 4 goes on);
- `announced`: a signed conformity announcement (contract `announced_on_by_agency` of eiso.announcements);
- `applying`: at least one published process, and an internal audit completed (every audit of a year's
  programme, as `audit_completed_on` says) or a management review held;
- `building`: the QMS has documents (the bootstrap or the coordinator created them);
- `not_started`: none of these.

An agency that shares the QMS hosted by another agency and hosts none itself (the Office of the provincial
People's Committee) has the records of the QMS's host. The stage in effect (`StageInfo.stage`) is the
supervisor's confirmed stage when there is one, else the derived stage. Converted: the agency had a TCVN ISO
9001:2008 system and converted to TCVN ISO 9001:2015 on a recorded day.

Records dated after `today` do not count (a test or a report fixes the day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from eiso.compliance.contracts import resolve
from eiso.core.permissions import today as local_today
from eiso.oversight.choices import ANNOUNCED_STAGES, STAGE_ORDER, Stage

STAGES: tuple[tuple[str, str], ...] = tuple(Stage.choices)
STAGE_LABELS = dict(STAGES)

ANNOUNCED_ON_BY_AGENCY = "eiso.announcements.selectors.announced_on_by_agency"


@dataclass(frozen=True)
class StageInfo:
    """An agency's stage: `stage` in effect, `derived` from the records, `confirmed` by the supervisor (None: not
    confirmed), `converted` (from a 2008 system to TCVN ISO 9001:2015), and the records the derivation read."""

    agency_id: object
    stage: str
    derived: str
    confirmed: str | None = None
    converted: bool = False
    had_2008_system: bool = False
    converted_on: dt.date | None = None
    confirmed_by: object | None = None  # user id
    confirmed_at: dt.datetime | None = None
    note: str = ""
    records_of: object | None = None  # the agency whose records were read (the QMS's host), when not itself
    has_documents: bool = False
    has_published_process: bool = False
    audit_years: dict = field(default_factory=dict)  # year -> day the year's internal audit was completed
    review_years: dict = field(default_factory=dict)  # year -> day of the year's last management review held
    announced_on: dt.date | None = None

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self.stage])

    @property
    def derived_label(self) -> str:
        return str(STAGE_LABELS[self.derived])

    @property
    def confirmed_label(self) -> str:
        return str(STAGE_LABELS[self.confirmed]) if self.confirmed else ""

    @property
    def differs(self) -> bool:
        """The supervisor confirmed another stage than the records tell."""
        return self.confirmed is not None and self.confirmed != self.derived

    @property
    def is_announced(self) -> bool:
        return self.stage in ANNOUNCED_STAGES

    def reached(self, stage: str) -> bool:
        return STAGE_ORDER[self.stage] >= STAGE_ORDER[stage]


def derive_stage(*, has_documents: bool, has_published_process: bool, audit_years, review_years,
                 announced_on: dt.date | None) -> str:
    """The rule of the module docstring on one agency's facts."""
    if announced_on is not None:
        later = {year for year in audit_years if year > announced_on.year} & set(review_years)
        return Stage.MAINTAINING if later else Stage.ANNOUNCED
    if has_published_process and (audit_years or review_years):
        return Stage.APPLYING
    if has_documents:
        return Stage.BUILDING
    return Stage.NOT_STARTED


def _ids(agencies: Iterable) -> list:
    return list(dict.fromkeys(getattr(agency, "pk", agency) for agency in agencies))


def record_holders(agency_ids: list) -> dict:
    """agency_id -> the agency whose QMS records tell its stage: itself, or the host of the QMS it shares when it
    hosts none of the QMSs it belongs to. One query."""
    from eiso.organizations.models import QMS

    memberships: dict = {}
    for agency_id, host_id in (QMS.agencies.through.objects.filter(agency_id__in=agency_ids)
                               .order_by("qms__created_at").values_list("agency_id", "qms__agency_id")):
        memberships.setdefault(agency_id, []).append(host_id)
    holders = {}
    for agency_id in agency_ids:
        hosts = memberships.get(agency_id, [])
        holders[agency_id] = agency_id if not hosts or agency_id in hosts else hosts[0]
    return holders


def _before(days: dict, today: dt.date) -> dict:
    return {year: day for year, day in days.items() if day is not None and day <= today}


def stages_by_agency(agencies: Iterable, *, today: dt.date | None = None) -> dict:
    """{agency_id: StageInfo} for `agencies` (Agency objects or ids), in a handful of queries whatever their
    number: the QMS memberships, documents, published processes, internal audits, management reviews, the
    announcements contract and the supervisor's records."""
    from eiso.audits.selectors import audit_completed_on_by_agency
    from eiso.documents.models import Document
    from eiso.oversight.models import AgencyStage
    from eiso.processes.models import Process
    from eiso.reviews.selectors import review_held_on_by_agency

    today = today or local_today()
    ids = _ids(agencies)
    if not ids:
        return {}
    holders = record_holders(ids)
    sources = list(set(holders.values()))
    documented = set(Document.objects.filter(agency_id__in=sources).order_by()
                     .values_list("agency_id", flat=True).distinct())
    published = set(Process.objects.filter(agency_id__in=sources, document__current_revision__isnull=False)
                    .order_by().values_list("agency_id", flat=True).distinct())
    audits = audit_completed_on_by_agency(sources)
    reviews = review_held_on_by_agency(sources)
    announced_on_by_agency = resolve(ANNOUNCED_ON_BY_AGENCY)
    announced = announced_on_by_agency(sources) if announced_on_by_agency is not None else {}
    records = {stage.agency_id: stage for stage in AgencyStage.objects.filter(agency_id__in=ids)}
    result = {}
    for agency_id in ids:
        source = holders[agency_id]
        audit_years = _before(audits.get(source, {}), today)
        review_years = _before(reviews.get(source, {}), today)
        announced_on = announced.get(source)
        if announced_on is not None and announced_on > today:
            announced_on = None
        derived = derive_stage(has_documents=source in documented, has_published_process=source in published,
                               audit_years=audit_years, review_years=review_years, announced_on=announced_on)
        record = records.get(agency_id)
        confirmed = (record.confirmed_stage or None) if record else None
        result[agency_id] = StageInfo(
            agency_id=agency_id, stage=confirmed or derived, derived=derived, confirmed=confirmed,
            converted=bool(record and record.is_converted),
            had_2008_system=bool(record and record.had_2008_system),
            converted_on=record.converted_on if record else None,
            confirmed_by=record.confirmed_by_id if record else None,
            confirmed_at=record.confirmed_at if record else None, note=record.note if record else "",
            records_of=source if source != agency_id else None, has_documents=source in documented,
            has_published_process=source in published, audit_years=audit_years, review_years=review_years,
            announced_on=announced_on,
        )
    return result


def stage_of(agency, *, today: dt.date | None = None) -> StageInfo:
    return stages_by_agency([agency], today=today)[agency.pk]
