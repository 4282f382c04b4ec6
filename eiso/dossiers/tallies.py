"""Statistics kept up to date, not scanned: every change of a dossier adds its difference to the
`DossierTally` rows of its agency, procedure and month, in the same transaction.

What a dossier contributes: `received` in the month of its receipt; in the month its processing ended,
one of early / on_time / late (resolved: result ready, returned or refused) with the working hours used
and allowed, or `cancelled` (stopped or withdrawn); a rating in the month it was given. Changing a dossier
(a status, an imported correction) subtracts what it contributed before and adds what it contributes now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from eiso.dossiers.choices import CANCELLED, FINISHED, NOT_RECEIVED

CENT = Decimal("0.01")
COUNTERS = ("received", "early", "on_time", "late", "cancelled", "used_hours", "allowed_hours", "ratings",
            "satisfied")


def _month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def contribution(dossier, *, hours_used=None) -> dict:
    """{(procedure_id, month): {counter: amount}} of one dossier as it is now. `hours_used(dossier)`:
    the working hours it took (default `used_hours`, which reads its stops; the importer passes its own,
    with the stops and the calendar already in hand)."""
    hours_used = hours_used or used_hours
    from eiso.dossiers.clock import allowed_hours

    rows: dict = defaultdict(lambda: defaultdict(Decimal))
    if dossier.status in NOT_RECEIVED or dossier.received_at is None:
        return {}
    rows[(dossier.procedure_id, _month(dossier.received_at))]["received"] += 1
    if dossier.finished_at is not None:
        key = (dossier.procedure_id, _month(dossier.finished_at))
        if dossier.status in FINISHED and dossier.outcome:
            rows[key][dossier.outcome] += 1
            if dossier.duration and dossier.counted_from:
                rows[key]["used_hours"] += hours_used(dossier)
                rows[key]["allowed_hours"] += allowed_hours(dossier.duration, dossier.duration_unit)
        elif dossier.status in CANCELLED:
            rows[key]["cancelled"] += 1
    if dossier.rating and dossier.rated_at:
        key = (dossier.procedure_id, _month(dossier.rated_at))
        rows[key]["ratings"] += 1
        rows[key]["satisfied"] += 1 if dossier.rating >= 2 else 0
    return {key: dict(values) for key, values in rows.items()}


def used_hours(dossier) -> Decimal:
    """Working hours from the start of the count to the end of processing, the clock's stops excluded."""
    from eiso.calendars.services import office_schedule_for, working_calendar

    return measured_hours(working_calendar(), office_schedule_for(agency=dossier.agency_id), dossier,
                          [(p.started_at, p.ended_at) for p in dossier.pauses.all()])


def measured_hours(calendar, schedule, dossier, stops) -> Decimal:
    """used_hours() with the working calendar, the office hours and the clock's stops ((start, end) pairs) given:
    for runs over many dossiers, which read them once. Stops begun before the count (re)started are ignored."""
    from eiso.calendars import engine

    kept = [(start, end) for start, end in stops if start >= dossier.counted_from]
    spent = engine.working_time_between(calendar, schedule, dossier.counted_from, dossier.finished_at, pauses=kept)
    return (Decimal(spent.total_seconds()) / 3600).quantize(CENT)


def difference(before: dict, after: dict) -> dict:
    changes: dict = defaultdict(lambda: defaultdict(Decimal))
    for sign, rows in ((-1, before), (1, after)):
        for key, values in rows.items():
            for counter, amount in values.items():
                changes[key][counter] += sign * amount
    return {key: {c: a for c, a in values.items() if a} for key, values in changes.items()
            if any(values.values())}


def tallies_add(*, agency, changes: dict) -> None:
    """Add `changes` ({(procedure_id, month): {counter: amount}}) to the agency's tallies."""
    from eiso.catalog.models import Procedure
    from eiso.dossiers.models import DossierTally

    if not changes:
        return
    fields = dict(Procedure.objects.filter(pk__in={p for p, _ in changes}).values_list("pk", "field_id"))
    for (procedure_id, month), values in sorted(changes.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        updates = {counter: F(counter) + amount for counter, amount in values.items()}
        rows = DossierTally.objects.filter(agency_id=agency.pk, procedure_id=procedure_id, month=month)
        if rows.update(**updates):
            continue
        try:
            with transaction.atomic():
                DossierTally.objects.create(agency_id=agency.pk, procedure_id=procedure_id, month=month,
                                            field_id=fields.get(procedure_id), province_id=agency.province_id,
                                            **values)
        except IntegrityError:  # created by a concurrent transaction in the meantime
            rows.update(**updates)


class Tracked:
    """`with Tracked(dossier): ...change it...` adds the difference of its contribution to the tallies."""

    def __init__(self, dossier, *, new: bool = False):
        self.dossier = dossier
        self.before = {} if new else contribution(dossier)

    def __enter__(self):
        return self.dossier

    def __exit__(self, kind, value, traceback):
        if kind is None:
            tallies_add(agency=self.dossier.agency, changes=difference(self.before, contribution(self.dossier)))
        return False


# --- Rebuilding ------------------------------------------------------------------------------------------------

REBUILD_ATTRIBUTES = ("id", "agency_id", "procedure_id", "status", "outcome", "received_at", "counted_from",
                      "finished_at", "duration", "duration_unit", "rating", "rated_at")
def tallies_rebuild(agency_ids=None) -> int:
    """Recompute the tallies of these agencies (default: every agency that has dossiers or tallies) from their
    dossiers, replacing the stored rows; returns the number of rows written. For the synthetic generator and
    for repairs: the result equals what the incremental updates give (rows whose counters are all zero are
    left out).

    Agencies are taken together by their office hours (in practice: one set), and each set is one transaction
    and, on PostgreSQL, one GROUP BY over its dossiers that also measures the working hours used, through the
    working calendar given to the query as a table of working-day ranks (exactly what the calendar engine
    computes); dossiers with clock stops, a few, are measured by the engine in Python. Elsewhere (SQLite) the
    dossiers are read once and added up in Python. On PostgreSQL the tally table is locked against writes while
    a set is rebuilt, so a dossier changed meanwhile waits and then adds its difference to the rebuilt rows."""
    from django.db import connection

    from eiso.calendars.services import office_schedule_for
    from eiso.dossiers.models import Dossier, DossierTally
    from eiso.organizations.models import Agency

    agencies = Agency.objects.only("id", "province_id")
    if agency_ids is None:
        agencies = agencies.filter(pk__in=set(Dossier.objects.values_list("agency_id", flat=True).distinct())
                                   | set(DossierTally.objects.values_list("agency_id", flat=True).distinct()))
    else:
        agencies = agencies.filter(pk__in=list(agency_ids))
    sets: dict = defaultdict(list)
    for agency in agencies:
        sets[office_schedule_for(agency=agency)].append(agency)
    written = 0
    for schedule, members in sets.items():
        ids = [agency.pk for agency in members]
        with transaction.atomic():
            sums = None
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {DossierTally._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
                sums = _sums_sql(ids, schedule)
                if sums is not None:
                    _sums_paused(ids, schedule, sums)
            if sums is None:
                sums = _sums_python(ids, schedule)
            DossierTally.objects.filter(agency_id__in=ids).delete()
            written += _tallies_write(sums, {agency.pk: agency.province_id for agency in members})
    return written


def _hours_function(schedule, pauses: dict):
    """used_hours(dossier) with the calendar read once and the stops given ({dossier_id: [(start, end)]})."""
    from eiso.calendars.services import working_calendar

    calendar = working_calendar()
    return lambda dossier: measured_hours(calendar, schedule, dossier, pauses.get(dossier.pk, ()))


def _add_contribution(sums: dict, dossier, hours, *, counters=None) -> None:
    for (procedure_id, month), values in contribution(dossier, hours_used=hours).items():
        row = sums[(dossier.agency_id, procedure_id, month)]
        for counter, amount in values.items():
            if counters is None or counter in counters:
                # an incremental update adds each dossier's hours rounded to the column's cents
                row[counter] += amount.quantize(CENT, "ROUND_HALF_UP") if counter.endswith("_hours") else amount


def _pauses_of(ids, dossier_ids=None) -> dict:
    from eiso.dossiers.models import DossierPause

    rows = DossierPause.objects.filter(agency_id__in=ids)
    if dossier_ids is not None:
        rows = rows.filter(dossier_id__in=dossier_ids)
    pauses: dict = defaultdict(list)
    for dossier_id, start, end in rows.values_list("dossier_id", "started_at", "ended_at"):
        pauses[dossier_id].append((start, end))
    return pauses


def _received(ids):
    from eiso.dossiers.models import Dossier

    return (Dossier.objects.filter(agency_id__in=ids, received_at__isnull=False).exclude(status__in=NOT_RECEIVED)
            .order_by().only(*REBUILD_ATTRIBUTES))


def _sums_python(ids, schedule) -> dict:
    sums: dict = defaultdict(lambda: defaultdict(Decimal))
    hours = _hours_function(schedule, _pauses_of(ids))
    for dossier in _received(ids).iterator(chunk_size=5000):
        _add_contribution(sums, dossier, hours)
    return sums


def _sums_paused(ids, schedule, sums: dict) -> None:
    """The query leaves out the hours of resolved dossiers with clock stops: added here."""
    from eiso.dossiers.models import DossierPause

    paused = _received(ids).filter(pk__in=DossierPause.objects.filter(agency_id__in=ids).values("dossier_id"),
                                   status__in=FINISHED, finished_at__isnull=False)
    pauses = _pauses_of(ids, paused.values("pk"))
    hours = _hours_function(schedule, pauses)
    for dossier in paused.iterator(chunk_size=2000):
        _add_contribution(sums, dossier, hours, counters=("used_hours",))


def _done_sql(schedule, column: str) -> str:
    """SQL: working microseconds done on a working day from midnight to `column` (microseconds of the day)."""
    return " + ".join(f"GREATEST(0, LEAST({column}, {end}) - {start})" for start, end, _ in schedule._bounds)


def _rank_table(schedule, first: dt.date, last: dt.date) -> tuple[list, list]:
    """(base, working) per day from `first` to `last`: base = working microseconds from `first` to the day's
    midnight; working = whether the day is a working day."""
    from eiso.calendars.services import working_calendar

    calendar = working_calendar()
    base, working = [], []
    day, done = first, 0
    while day <= last:
        is_working = calendar.is_working_day(day)
        base.append(done)
        working.append(is_working)
        done += schedule._per_day if is_working else 0
        day += dt.timedelta(days=1)
    return base, working


UTC7_US = 7 * 3_600_000_000  # Vietnam's time has been UTC+7 without daylight saving time since 13/06/1975
DAY_US = 86_400_000_000


def _sums_sql(ids, schedule) -> dict | None:
    """One scan of the agencies' received dossiers, in three steps: each dossier's months (of receipt, of the end
    of processing, of the rating), classification and working time; then the dossiers grouped by all of these
    (few groups: most end in the month they start or the next); then each group spread over its months. The
    working time is W(finished) - W(counted from), W(t) = working microseconds from an origin to t, read from two
    arrays indexed by the day (engine._between does the same sum day by day)."""
    from django.conf import settings
    from django.db import connection

    from eiso.dossiers.choices import CANCELLED
    from eiso.dossiers.models import Dossier, DossierPause

    table, pauses = Dossier._meta.db_table, DossierPause._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(counted_from), max(finished_at) FROM {table} "  # noqa: S608 — model's table  # nosec B608
                       "WHERE agency_id = ANY(%s)", [ids])
        first, last = cursor.fetchone()
    utc7 = dt.timezone(dt.timedelta(hours=7))
    first = (first.astimezone(utc7).date() if first else dt.date(2000, 1, 1)) - dt.timedelta(days=1)
    last = (last.astimezone(utc7).date() if last else first) + dt.timedelta(days=1)
    if first < dt.date(1975, 7, 1):
        return None
    base, working = _rank_table(schedule, first, last)
    origin = (first - dt.date(1970, 1, 1)).days

    def local_us(column: str) -> str:  # microseconds since 1970-01-01 00:00 in Vietnam's time
        return f"(round(date_part('epoch', d.{column}) * 1000000)::bigint + {UTC7_US})"

    def w(column: str) -> str:
        day = f"({local_us(column)} / {DAY_US} - {origin} + 1)::int"
        tod = f"({local_us(column)} - ({local_us(column)} / {DAY_US}) * {DAY_US})"
        return (f"(%(base)s::bigint[])[{day}] + CASE WHEN (%(working)s::boolean[])[{day}] "
                f"THEN {_done_sql(schedule, tod)} ELSE 0 END")

    cent = 36_000_000  # a hundredth of an hour in microseconds; rounded half to even, as Decimal.quantize does
    hundredths = (f"(x.used / {cent} + CASE WHEN 2 * mod(x.used, {cent}) > {cent} THEN 1 "
                  f"WHEN 2 * mod(x.used, {cent}) = {cent} THEN mod(x.used / {cent}, 2) ELSE 0 END)")
    allowed = ("ROUND(CASE d.duration_unit WHEN 'hour' THEN d.duration WHEN 'working_day' THEN d.duration * 8 "
               "WHEN 'day' THEN d.duration * 5 / 7 * 8 ELSE d.duration * 22 * 8 END, 2)")
    month = "date_trunc('month', d.{0} AT TIME ZONE %(tz)s)::date"
    resolved = "(d.status = ANY(%(finished)s) AND d.outcome <> '')"
    timed = f"({resolved} AND d.duration IS NOT NULL AND d.duration <> 0 AND d.counted_from IS NOT NULL)"
    # Only names from the models and constants are put into the text; every value is a parameter.
    sql = f"""
        WITH g AS (
            SELECT x.agency_id, x.procedure_id, x.m_received, x.m_finished, x.m_rated, x.outcome, x.cancelled,
                   x.satisfied, count(*) AS n, SUM(x.allowed) AS allowed, SUM({hundredths}) AS used
            FROM (
                SELECT d.agency_id, d.procedure_id, {month.format("received_at")} AS m_received,
                       CASE WHEN d.finished_at IS NOT NULL THEN {month.format("finished_at")} END AS m_finished,
                       CASE WHEN d.rating > 0 AND d.rated_at IS NOT NULL THEN {month.format("rated_at")} END
                           AS m_rated,
                       CASE WHEN {resolved} THEN d.outcome ELSE '' END AS outcome,
                       d.status = ANY(%(cancelled)s) AS cancelled, COALESCE(d.rating >= 2, false) AS satisfied,
                       CASE WHEN {timed} THEN {allowed} END AS allowed,
                       CASE WHEN {timed} AND d.finished_at IS NOT NULL AND p.dossier_id IS NULL
                            THEN GREATEST(0, ({w("finished_at")}) - ({w("counted_from")})) END AS used
                FROM {table} d
                LEFT JOIN (SELECT DISTINCT dossier_id FROM {pauses} WHERE agency_id = ANY(%(ids)s)) p
                       ON p.dossier_id = d.id
                WHERE d.agency_id = ANY(%(ids)s) AND d.received_at IS NOT NULL
                      AND NOT (d.status = ANY(%(not_received)s))
                OFFSET 0
            ) x
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        )
        SELECT g.agency_id, g.procedure_id, v.month, SUM(v.received), SUM(v.early), SUM(v.on_time), SUM(v.late),
               SUM(v.cancelled), SUM(v.used), SUM(v.allowed), SUM(v.ratings), SUM(v.satisfied)
        FROM g CROSS JOIN LATERAL (VALUES
            (g.m_received, g.n, 0, 0, 0, 0, 0::numeric, 0::numeric, 0, 0),
            (g.m_finished, 0, CASE WHEN g.outcome = 'early' THEN g.n ELSE 0 END,
             CASE WHEN g.outcome = 'on_time' THEN g.n ELSE 0 END, CASE WHEN g.outcome = 'late' THEN g.n ELSE 0 END,
             CASE WHEN g.cancelled THEN g.n ELSE 0 END, COALESCE(g.used, 0), COALESCE(g.allowed, 0), 0, 0),
            (g.m_rated, 0, 0, 0, 0, 0, 0, 0, g.n, CASE WHEN g.satisfied THEN g.n ELSE 0 END)
        ) AS v(month, received, early, on_time, late, cancelled, used, allowed, ratings, satisfied)
        WHERE v.month IS NOT NULL
        GROUP BY 1, 2, 3"""  # noqa: S608  # nosec B608
    params = {"base": base, "working": working, "ids": ids, "tz": settings.TIME_ZONE,
              "finished": [str(s) for s in FINISHED], "cancelled": [str(s) for s in CANCELLED],
              "not_received": [str(s) for s in NOT_RECEIVED]}
    sums: dict = defaultdict(lambda: defaultdict(Decimal))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for agency_id, procedure_id, month, *values in cursor.fetchall():
            row = sums[(agency_id, procedure_id, month)]
            for counter, amount in zip(COUNTERS, values, strict=True):
                row[counter] += Decimal(amount) / 100 if counter == "used_hours" else amount
    return sums


def _tallies_write(sums: dict, provinces: dict) -> int:
    from eiso.catalog.models import Procedure
    from eiso.core.bulk import bulk_insert
    from eiso.dossiers.models import DossierTally

    fields = dict(Procedure.objects.filter(pk__in={p for _a, p, _m in sums}).values_list("pk", "field_id"))
    rows = [{"agency_id": agency_id, "procedure_id": procedure_id, "month": month,
             "field_id": fields.get(procedure_id), "province_id": provinces.get(agency_id),
             **{counter: Decimal(values.get(counter, 0)) if counter.endswith("_hours") else
                int(values.get(counter, 0)) for counter in COUNTERS}}
            for (agency_id, procedure_id, month), values in sorted(sums.items(), key=lambda i: str(i[0]))
            if any(values.values())]
    for first in range(0, len(rows), 10_000):
        bulk_insert(DossierTally, rows[first:first + 10_000])
    return len(rows)
