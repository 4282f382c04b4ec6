"""Synthetic dossiers, for benchmarks and demonstrations: `eiso generate_dossiers` and bench/dossier_statistics.py.

    generate_dossiers(*, agencies, dossiers, months=24, seed=None, province=None, batch_size=20_000,
                      progress=None, now=None) -> GenerateReport
    synthetic_agencies(*, count, province=None) -> list[Agency]
    synthetic_procedures(*, count=20, rng) -> list[Plan]
    plans_for(procedure_ids) -> list[Plan]
    write_dossiers(work: [Work(agency, plans, volume, outcomes)], *, months, now, rng, batch_size, progress) -> int
    ProgressBar(stream, label="", width=30): the commands' text bar, called as progress(done, total)

`write_dossiers` is the one writer: `generate_dossiers` (one province's People's Committees, on procedures
shared by all) and `eiso generate_synthetic` (eiso.oversight.synthetic: every level of several provinces, each
agency on its own procedures and its own share of late results) both give it their agencies' volumes.

The agencies are People's Committees coded SYN-<province code>-0001…, one per commune of the province (reused by
later runs, so a second run adds dossiers to the same agencies); the procedures are real ones of the catalogue
(commune level first), or a few well-known procedures created when the catalogue is empty. Dossiers are recorded
as the one-stop system's (`source=imported`): no steps, clock stops or events, like an imported dossier.

Distributions (seeded): the agencies' volumes vary (log-normal), a few procedures take most dossiers; receipts
fall on working days across the last `months` months, at any moment of the office hours, with the receipt cut-off
and the working calendar applied exactly as at the desk (the due moment is `due_moment`'s, the classification
`classify`'s). About 5% are incomplete or refused at receipt, 3.5% stopped or withdrawn, 0.5% stay open past their
due moment; the others are resolved (68% planned early, 25% on time, 7% late, half of the late ones with an
apology letter; 2% refused after review) and returned within two working days, and 30% of the returned ones are
rated. A dossier whose planned end is after `now` is still in progress. Rows are built in Python and written in
batches with `core.bulk.bulk_insert` (COPY on PostgreSQL); each agency's dossiers in the order of receipt, their
codes numbered per day as the desk numbers them (the day counters are updated). Then `tallies_rebuild`.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from eiso.catalog.choices import Channel, DurationUnit
from eiso.core.text import fold
from eiso.dossiers.choices import ApplicantKind, DossierStatus, Outcome, ReturnMethod, Source
from eiso.dossiers.models import SEARCHED_FIELDS

SHARES = {"incomplete": 0.035, "rejected": 0.015, "cancelled": 0.035, "stuck": 0.005}
OUTCOMES = ((Outcome.EARLY, 0.68), (Outcome.ON_TIME, 0.25), (Outcome.LATE, 0.07))
REFUSED_SHARE, APOLOGY_SHARE, RATED_SHARE = 0.02, 0.5, 0.3
RATINGS = ((3, 0.55), (2, 0.35), (1, 0.10))
CHANNELS = ((Channel.DIRECT, 0.6), (Channel.ONLINE, 0.35), (Channel.POSTAL, 0.05))
RETURNS = ((ReturnMethod.DESK, 0.7), (ReturnMethod.ONLINE, 0.2), (ReturnMethod.POSTAL, 0.1))
DURATIONS = (1, 3, 3, 5, 5, 7, 10, 15, 20)  # working days, for procedures whose catalogue entry gives none
TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving time since 1975

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Thu")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến")
# When the catalogue is empty: well-known commune-level procedures (codes marked SYN, not the national ones).
SAMPLE_PROCEDURES = (
    ("Hộ tịch", "Đăng ký khai sinh", 1), ("Hộ tịch", "Đăng ký kết hôn", 1), ("Hộ tịch", "Đăng ký khai tử", 1),
    ("Hộ tịch", "Cấp bản sao trích lục hộ tịch", 1), ("Chứng thực", "Chứng thực bản sao từ bản chính", 1),
    ("Chứng thực", "Chứng thực chữ ký", 1), ("Đất đai", "Đăng ký biến động quyền sử dụng đất", 10),
    ("Xây dựng", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15), ("Người có công", "Giải quyết chế độ trợ cấp", 20),
    ("Bảo trợ xã hội", "Trợ cấp xã hội hằng tháng", 7),
)


@dataclass(frozen=True)
class Plan:
    procedure_id: int
    case_id: int | None
    days: int


@dataclass
class GenerateReport:
    agencies: int
    procedures: int
    created: int
    seconds: float
    tallies: int
    rebuild_seconds: float


def _time_ordered_id(rng: random.Random) -> uuid.UUID:
    """A UUID of version 7 (48 bits of the Unix time in milliseconds, then 74 random bits): rows written one after
    the other land side by side in the primary key's index instead of on random pages."""
    value = (time.time_ns() // 1_000_000) << 80 | rng.getrandbits(80)
    return uuid.UUID(int=value & ~(0xF << 76 | 0x3 << 62) | 0x7 << 76 | 0x2 << 62)


def pick(rng: random.Random, weighted) -> object:
    """One value of `weighted` ((value, share), … shares summing to 1) drawn with `rng`."""
    u, total = rng.random(), 0.0
    for value, share in weighted:
        total += share
        if u < total:
            return value
    return weighted[-1][0]


def synthetic_agencies(*, count: int, province=None) -> list:
    """SYN-<province>-0001… in `province` (an AdminUnit or its code; default: the first province by code, the
    national list being loaded when there is none), one per commune (the n-th commune by code), created when
    missing (in one query)."""
    from eiso.organizations.choices import AdminUnitLevel, AgencyKind
    from eiso.organizations.models import AdminUnit, Agency

    provinces = AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE)
    if isinstance(province, str):
        province = provinces.get(code=province)
    if province is None:
        if not provinces.exists():
            from eiso.organizations.services import admin_units_load

            admin_units_load()
        province = provinces.order_by("code").first()
    communes = list(AdminUnit.objects.filter(parent=province, level=AdminUnitLevel.COMMUNE).order_by("code")) \
        or [province]
    codes = [f"SYN-{province.code}-{n:04d}" for n in range(1, count + 1)]
    existing = Agency.objects.in_bulk(codes, field_name="code")
    missing = []
    for n, code in enumerate(codes, start=1):
        if code not in existing:
            unit = communes[(n - 1) % len(communes)]
            name, short_name = f"Ủy ban nhân dân {unit.name} (dữ liệu mẫu {n:04d})", f"UBND mẫu {n:04d}"
            missing.append(Agency(code=code, name=name, short_name=short_name, kind=AgencyKind.PEOPLES_COMMITTEE,
                                  admin_unit=unit, province=province,
                                  search_text=fold(f"{name} {short_name} {code}")))  # as save() does
    if missing:
        Agency.objects.bulk_create(missing, batch_size=1000)
        existing = Agency.objects.in_bulk(codes, field_name="code")
    return [existing[code] for code in codes]


def synthetic_procedures(*, count: int = 20, rng: random.Random, agencies=()) -> list[Plan]:
    """The procedures of the synthetic dossiers: those the `agencies` already have dossiers of (a later run adds
    to the same ones), else `count` catalogue procedures (commune level first; created from SAMPLE_PROCEDURES
    when the catalogue is empty). Each with its statutory time in whole working days (its case's, else a usual
    one) and in a fixed order of popularity, the first ones taking most dossiers."""
    from eiso.catalog.models import Field, Procedure, ProcedureCase
    from eiso.dossiers.models import Dossier

    chosen = sorted(set(Dossier.objects.filter(agency__in=list(agencies)).values_list("procedure_id", flat=True)
                        .distinct())) if agencies else []
    if not chosen:
        if not Procedure.objects.exists():
            for n, (field_name, name, days) in enumerate(SAMPLE_PROCEDURES, start=1):
                field, _created = Field.objects.get_or_create(name=field_name)
                procedure = Procedure.objects.create(code=f"SYN.{n:03d}", name=name, field=field,
                                                     is_commune_level=True)
                ProcedureCase.objects.create(procedure=procedure, code=f"SYN.{n:03d}.01", name=name,
                                             duration=Decimal(days), duration_unit=DurationUnit.WORKING_DAY)
        ids = list(Procedure.objects.filter(is_commune_level=True).order_by("code").values_list("pk", flat=True)) \
            or list(Procedure.objects.order_by("code").values_list("pk", flat=True))
        chosen = sorted(rng.sample(ids, min(count, len(ids))))
    return plans_for(chosen)


def plans_for(procedure_ids) -> list[Plan]:
    """The plans of these procedures: each with its statutory time in whole working days (its first case counted
    in whole working days, else a usual one), in a fixed order of popularity (the first ones take most dossiers).
    One query."""
    from eiso.catalog.models import ProcedureCase

    chosen = sorted(set(procedure_ids))
    cases: dict = {}
    for case in ProcedureCase.objects.filter(procedure_id__in=chosen, duration_unit=DurationUnit.WORKING_DAY,
                                             duration__gte=1).order_by("procedure_id", "code"):
        if case.duration == int(case.duration):
            cases.setdefault(case.procedure_id, case)
    plans = [Plan(pk, cases[pk].pk, int(cases[pk].duration)) if pk in cases
             else Plan(pk, None, DURATIONS[pk % len(DURATIONS)]) for pk in chosen]
    return sorted(plans, key=lambda plan: plan.procedure_id * 2_654_435_761 % 2 ** 32)


class Timeline:
    """Working days as ranks and the office day as seconds of work: a moment is a position (rank × seconds per
    day + seconds done that day), so working time is a subtraction (what `engine` computes, for one agency)."""

    def __init__(self, *, calendar, schedule, first: dt.date, last: dt.date):
        self.bounds = [(s // 1_000_000, e // 1_000_000, before // 1_000_000) for s, e, before in schedule._bounds]
        self.per_day = schedule._per_day // 1_000_000
        self.days = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += dt.timedelta(days=1)
        self.midnight = [dt.datetime(d.year, d.month, d.day, tzinfo=TZ) for d in self.days]
        self.rank_of = {d: rank for rank, d in enumerate(self.days)}

    def open_moment(self, position: int) -> tuple[int, int]:
        """(rank, second of the day) of a position, a day's end being the next day's opening."""
        rank, done = divmod(position, self.per_day)
        for start, end, before in self.bounds:
            if done < before + (end - start):
                return rank, start + done - before
        raise AssertionError("unreachable")  # pragma: no cover

    def close_moment(self, position: int) -> tuple[int, int]:
        """The same, but a count that ends with a period gives that period's end (11:30, 17:00), as the due moment."""
        rank = (position - 1) // self.per_day
        done = position - rank * self.per_day
        for start, end, before in self.bounds:
            if before + (end - start) >= done:
                return rank, start + done - before
        raise AssertionError("unreachable")  # pragma: no cover

    def moment(self, point: tuple[int, int]) -> dt.datetime:
        return self.midnight[point[0]] + dt.timedelta(seconds=point[1])


def _classify(finished: tuple, due: tuple) -> str:
    """clock.classify on (rank, second) moments."""
    if finished > due:
        return Outcome.LATE
    if settings.EISO["DOSSIER_CLASSIFICATION"] == "by_time":
        return Outcome.EARLY if finished < due else Outcome.ON_TIME
    return Outcome.EARLY if finished[0] < due[0] else Outcome.ON_TIME


def _applicant(rng: random.Random, commune: str) -> dict:
    if rng.random() < 0.1:
        name = f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
        kind, number = ApplicantKind.ORGANISATION, f"{rng.randrange(10 ** 9, 10 ** 10)}"
    else:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        kind, number = ApplicantKind.PERSON, f"0{rng.randrange(10 ** 10, 10 ** 11)}"
    return {"applicant_kind": kind, "applicant_name": name, "applicant_id_number": number,
            "applicant_phone": f"09{rng.randrange(10 ** 8):08d}", "applicant_address": f"Thôn {rng.randint(1, 12)}, "
                                                                                     f"{commune}"}


class AgencyGenerator:
    """The dossiers of one agency, in the order of receipt."""

    def __init__(self, *, agency, plans: list[Plan], months: int, now: dt.datetime, rng: random.Random,
                 outcomes=OUTCOMES, timelines: dict | None = None):
        from eiso.calendars.services import office_schedule_for, working_calendar
        from eiso.core.dates import add_months
        from eiso.dossiers.clock import receipt_cutoff
        from eiso.dossiers.models import DossierCounter, DossierSettings

        self.agency, self.plans, self.now, self.rng, self.outcomes = agency, plans, now, rng, outcomes
        today = timezone.localtime(now).date()
        start = add_months(today.replace(day=1), -(months - 1))
        schedule = office_schedule_for(agency=agency)
        timelines = {} if timelines is None else timelines  # agencies with the same office hours share theirs
        if (schedule, start) not in timelines:
            timelines[schedule, start] = Timeline(calendar=working_calendar(), schedule=schedule, first=start,
                                                  last=today + dt.timedelta(days=200))
        self.line = timelines[schedule, start]
        self.first_rank = 0
        self.last_rank = max(r for r, d in enumerate(self.line.days) if d <= today)
        cutoff = receipt_cutoff(agency)
        self.cutoff = cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second
        own = DossierSettings.objects.filter(agency=agency).first()
        self.unit = (own.unit_code if own and own.unit_code else agency.code) or ""
        self.pattern = own.code_pattern if own and own.code_pattern else settings.EISO["DOSSIER_CODE_PATTERN"]
        self.counters = dict(DossierCounter.objects.filter(agency=agency).values_list("day", "last"))
        self.commune = agency.admin_unit.name
        self.weights = [1 / (n + 1) for n in range(len(plans))]  # a few procedures take most dossiers

    def rows(self, count: int):
        """`count` dossiers as dicts for bulk_insert, in the order of receipt."""
        rng, line, per = self.rng, self.line, self.line.per_day
        receipts = sorted((rng.randint(self.first_rank, self.last_rank), rng.randrange(per)) for _ in range(count))
        plans = rng.choices(self.plans, weights=self.weights, k=count)
        now_point = self._now_point()
        for (rank, done), plan in zip(receipts, plans, strict=True):
            received = line.open_moment(rank * per + done)
            if received > now_point:  # today, later than now: the day before
                received = line.open_moment(max(rank - 1, 0) * per + done)
            row = self._row(received, plan, now_point)
            row["search_text"] = fold(" ".join(row.get(name) or "" for name in SEARCHED_FIELDS))  # as save() does
            yield row

    def _now_point(self) -> tuple[int, int]:
        local = timezone.localtime(self.now)
        day = local.date()
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        if day in self.line.rank_of:
            return self.line.rank_of[day], seconds
        return max(r for r, d in enumerate(self.line.days) if d <= day), 86_400

    def _row(self, received: tuple, plan: Plan, now_point: tuple) -> dict:
        rng, line, per = self.rng, self.line, self.line.per_day
        moment = line.moment(received)
        row = {"id": _time_ordered_id(rng), "agency_id": self.agency.pk,
               "procedure_id": plan.procedure_id, "case_id": plan.case_id, "source": Source.IMPORTED,
               "channel": pick(rng, CHANNELS), "submitted_at": moment, "created_at": moment,
               **_applicant(rng, self.commune)}
        u = rng.random()
        if u < SHARES["incomplete"] + SHARES["rejected"]:
            row["status"] = DossierStatus.INCOMPLETE if u < SHARES["incomplete"] else DossierStatus.REJECTED
            row["reason"] = "Thiếu giấy tờ theo quy định" if u < SHARES["incomplete"] else "Không thuộc thẩm quyền"
            return row
        day = line.days[received[0]]
        self.counters[day] = seq = self.counters.get(day, 0) + 1
        # the clock: from the receipt, or the next working day's opening after the cut-off
        counted = (received[0] + 1, line.bounds[0][0]) if received[1] > self.cutoff else received
        start = counted[0] * per + self._done(counted[1])
        due_position = start + plan.days * per
        due = line.close_moment(due_position)
        row.update(code=self.pattern.format(unit=self.unit, date=day, seq=seq), received_at=moment,
                   counted_from=line.moment(counted), duration=Decimal(plan.days),
                   duration_unit=DurationUnit.WORKING_DAY, due_at=line.moment(due), status=DossierStatus.IN_PROGRESS)
        row["appointment_at"] = row["due_at"]
        u -= SHARES["incomplete"] + SHARES["rejected"]
        if u < SHARES["stuck"]:
            return row
        if u < SHARES["stuck"] + SHARES["cancelled"]:
            finished = line.open_moment(start + rng.randrange(3600, max(3601, due_position - start + 2 * per)))
            if finished <= now_point:
                row.update(status=DossierStatus.STOPPED if rng.random() < 0.66 else DossierStatus.WITHDRAWN,
                           finished_at=line.moment(finished), reason="Theo đề nghị của người nộp hồ sơ")
            return row
        finished = self._finish(start, due_position, pick(rng, self.outcomes))
        if finished > now_point:
            return row
        outcome = _classify(finished, due)
        row.update(finished_at=line.moment(finished), outcome=outcome, status=DossierStatus.RESULT_READY)
        if outcome == Outcome.LATE and rng.random() < APOLOGY_SHARE and due_position - 2 * per > start:
            apology = line.open_moment(due_position - per - rng.randrange(per))
            row.update(apology_at=line.moment(apology), apology_reason="Cần xác minh thêm thông tin",
                       appointment_at=line.moment(line.close_moment(due_position + 5 * per)))
        if rng.random() < REFUSED_SHARE:
            row.update(status=DossierStatus.REFUSED, reason="Không đủ điều kiện theo quy định")
            return row
        returned = line.open_moment(finished[0] * per + self._done(finished[1]) + rng.randrange(2 * per))
        if returned > now_point:
            return row
        row.update(status=DossierStatus.RETURNED, returned_at=line.moment(returned),
                   return_method=pick(rng, RETURNS))
        if outcome == Outcome.EARLY:
            row["notified_at"] = row["finished_at"] + (row["returned_at"] - row["finished_at"]) / 2
        if rng.random() < RATED_SHARE:
            rated_at = row["returned_at"] + dt.timedelta(seconds=rng.randrange(48 * 3600))
            if rated_at <= self.now:
                row.update(rating=pick(rng, RATINGS), rated_at=rated_at)
        return row

    def _done(self, second: int) -> int:
        """Seconds of work done on a working day by `second` (an open moment)."""
        return sum(max(0, min(second, end) - start) for start, end, _before in self.line.bounds)

    def _finish(self, start: int, due_position: int, planned: str) -> tuple[int, int]:
        rng, line, per = self.rng, self.line, self.line.per_day
        due_day = (due_position - 1) // per
        if planned == Outcome.EARLY and due_day * per > start + 1800:
            return line.open_moment(rng.randrange(start + 1800, due_day * per))
        if planned == Outcome.LATE:
            return line.open_moment(due_position + rng.randrange(3600, 5 * per))
        low = max(start + 1800, due_day * per + 1)
        return line.close_moment(rng.randrange(low, due_position + 1) if low <= due_position else due_position)


def spread_volumes(total: int, count: int, rng: random.Random, base: list[float] | None = None) -> list[int]:
    """`total` split over `count` agencies by log-normal weights (times `base`, one per agency, when given;
    largest remainders)."""
    weights = [rng.lognormvariate(0, 0.6) for _ in range(count)]
    if base is not None:
        weights = [w * b for w, b in zip(weights, base, strict=True)]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    volumes = [math.floor(s) for s in shares]
    for index in sorted(range(count), key=lambda i: shares[i] - volumes[i], reverse=True)[: total - sum(volumes)]:
        volumes[index] += 1
    return volumes


def _write(rows: list[dict]) -> None:
    """New dossiers: on PostgreSQL by COPY of the values as they are (every value here is of a type the driver
    sends as it is: aware datetimes, UUIDs, decimals, text), elsewhere by core.bulk.bulk_insert."""
    from eiso.core.bulk import _columns, _complete, _defaults, bulk_insert
    from eiso.dossiers.models import Dossier

    if connection.vendor != "postgresql":
        bulk_insert(Dossier, rows)
        return
    fields = _columns(Dossier)
    constant, computed = _defaults(fields, timezone.now())
    constant["components"] = "[]"
    values = operator.itemgetter(*(field.attname for field in fields))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(
            f"COPY {quote(Dossier._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(values(_complete(row, constant, computed)))


def outcomes_with_late(late: float) -> tuple:
    """The planned outcomes with `late` (0–1) of the resolved dossiers late, the others early and on time in the
    usual proportion."""
    early, on_time = OUTCOMES[0][1], OUTCOMES[1][1]
    rest = 1 - late
    return ((Outcome.EARLY, rest * early / (early + on_time)), (Outcome.ON_TIME, rest * on_time / (early + on_time)),
            (Outcome.LATE, late))


@dataclass
class Work:
    """The dossiers to add to one agency: `volume` of them on `plans`, resolved with `outcomes`."""

    agency: object
    plans: list[Plan]
    volume: int
    outcomes: tuple = field(default=OUTCOMES)


def seed_holidays(*, months: int, now: dt.datetime) -> None:
    """The working calendar of the years the receipts and due moments fall in."""
    from eiso.calendars.services import holidays_seed_year

    today = timezone.localtime(now).date()
    for year in range(today.year - (months // 12) - 1, today.year + 2):
        holidays_seed_year(year=year)


def write_dossiers(work: list[Work], *, months: int, now: dt.datetime, rng: random.Random, batch_size: int,
                   progress: Callable | None = None) -> int:
    """Write the dossiers of `work` (each agency's in the order of receipt), `batch_size` a transaction whatever
    the agencies they belong to, and the agencies' day counters with the batch that ends their dossiers.
    `progress(done, total)` before the first batch (done 0) and after each one. Returns the number written. The
    tallies are the caller's."""
    from eiso.dossiers.models import DossierCounter

    total = sum(item.volume for item in work)
    timelines: dict = {}
    done, batch, finished = 0, [], []
    if progress:
        progress(0, total)

    def flush():
        nonlocal done
        with transaction.atomic():
            if batch:
                _write(batch)
            for generator in finished:
                DossierCounter.objects.bulk_create(
                    [DossierCounter(agency=generator.agency, day=day, last=last)
                     for day, last in generator.counters.items()],
                    update_conflicts=True, unique_fields=["agency", "day"], update_fields=["last"], batch_size=2000)
        written = len(batch)
        done += written
        batch.clear()
        finished.clear()
        if progress and written:
            progress(done, total)

    for item in work:
        if item.volume <= 0 or not item.plans:
            continue
        generator = AgencyGenerator(agency=item.agency, plans=item.plans, months=months, now=now, rng=rng,
                                    outcomes=item.outcomes, timelines=timelines)
        for row in generator.rows(item.volume):
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        finished.append(generator)
    if batch or finished:
        flush()
    return done


def rebuild_tallies(agency_ids: list) -> int:
    """tallies_rebuild of these agencies, then the planner's statistics of the dossier table (PostgreSQL)."""
    from eiso.dossiers.models import Dossier
    from eiso.dossiers.tallies import tallies_rebuild

    tallies = tallies_rebuild(agency_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
    return tallies


def generate_dossiers(*, agencies: int, dossiers: int, months: int = 24, seed: int | None = None, province=None,
                      batch_size: int = 20_000, progress: Callable | None = None,
                      now: dt.datetime | None = None) -> GenerateReport:
    """Create `dossiers` synthetic dossiers over `agencies` synthetic agencies (see the module's docstring), then
    rebuild their tallies. `progress(done, total)` is called after each batch."""
    if agencies < 1 or dossiers < 0 or months < 1 or batch_size < 1:
        raise ValueError("agencies, months and batch_size must be at least 1, dossiers at least 0")
    started = time.perf_counter()
    now = now or timezone.now()
    rng = random.Random(seed)
    seed_holidays(months=months, now=now)
    members = synthetic_agencies(count=agencies, province=province)
    plans = synthetic_procedures(rng=rng, agencies=members)
    work = [Work(agency, plans, volume) for agency, volume in zip(members, spread_volumes(dossiers, agencies, rng),
                                                                  strict=True)]
    write_dossiers(work, months=months, now=now, rng=rng, batch_size=batch_size, progress=progress)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    tallies = rebuild_tallies([agency.pk for agency in members])
    return GenerateReport(agencies=len(members), procedures=len(plans), created=dossiers, seconds=generated,
                          tallies=tallies, rebuild_seconds=time.perf_counter() - started)


class ProgressBar:
    """A text progress bar for the commands: `[#####-----]  45%  4,500,000 / 10,000,000  19,000/s  ETA 4m50s`,
    redrawn in place on a terminal (at most 5 times a second), one line every 10 seconds elsewhere (a log).
    Call it as `progress(done, total)`."""

    def __init__(self, stream=None, *, label: str = "", width: int = 30):
        self.stream = stream or sys.stdout
        self.label, self.width = label, width
        self.started = time.perf_counter()
        self.shown = 0.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def line(self, done: int, total: int) -> str:
        elapsed = time.perf_counter() - self.started
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        minutes, seconds = divmod(int(round(left)), 60)
        return (f"{self.label}[{'#' * filled}{'-' * (self.width - filled)}] {fraction:4.0%}  {done:,} / {total:,}"
                f"  {rate:,.0f}/s  ETA {minutes}m{seconds:02d}s")

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == 0:  # the start of the work: the rate counts from here
            self.started = now
        last = done >= total
        if not last and now - self.shown < (0.2 if self.tty else 10):
            return
        self.shown = now
        text = ("\r" if self.tty else "") + self.line(done, total) + ("\n" if last or not self.tty else "")
        if hasattr(self.stream, "ending"):  # a command's OutputWrapper, which would end every write with a newline
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
