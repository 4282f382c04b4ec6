"""Benchmark of the dossier statistics on PostgreSQL: the dashboard's query over the monthly tallies against the
naive aggregate over the dossiers, for one province at 1,000,000 and 10,000,000 dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eiso_bench python bench/dossier_statistics.py \\
        [--sizes 1000000,10000000] [--agencies 100] [--runs 7] [--seed 2026]

Needs an empty, dedicated PostgreSQL database (it is migrated here and filled; SQLite is refused). Loads the
administrative units and the shipped national catalogue (its commune-level procedures), then grows the data to
each size in turn with `eiso.dossiers.synthetic.generate_dossiers` (1,000,000 dossiers, then 9,000,000 more):
`--agencies` synthetic People's Committees of one province, receipts over the last 24 months up to now, the
tallies rebuilt, then VACUUM ANALYZE (as autovacuum would do after a bulk load). At each size, for a supervisor
of the province, over the last 12 months (11 whole months before this one, and this one):

(a) dashboard: `dossier_statistics(user=supervisor, group_by="agency", province_ids=[province], ...)`, the
    selector as the statistics page calls it (restrict(), the sums of the tallies, the count of the open dossiers
    now through the partial index dossier_open_due, the agencies' names); and, apart, (a') the same for the 12
    whole months before this one, which has no figures of the moment (the tallies alone);
(b) naive (baseline, same run): the same figures from the dossier table, one GROUP BY agency with conditional
    counts (received in the period; early, on time, late, cancelled ended in the period; the statutory hours of
    those resolved; ratings and satisfied given in the period; in progress and overdue now), raw SQL. The
    working hours used are left out of (b): they need the working calendar (tallies.py measures them).

Each is run once to warm up, then `--runs` times; the median is reported. The script checks that (a) and (b)
give the same counts for every agency (exit status 1 otherwise). Prints the ratio dashboard / naive at each size
(target <= 1/20) and the dashboard's time at the largest size over the smallest (target: flat, about 1).
"""

import argparse
import datetime as dt
import statistics
import sys
import time

from common import ROOT, setup_postgres  # bench/ is the script's folder, on the path


def prepare(agencies: int):
    """The national units and catalogue (once), the synthetic agencies, and a supervisor of their province."""
    from eiso.accounts.models import User
    from eiso.catalog.models import Procedure
    from eiso.catalog.services import catalog_import
    from eiso.core.permissions import Role
    from eiso.dossiers.synthetic import synthetic_agencies
    from eiso.organizations.models import Agency, RoleAssignment, SupervisingAuthority

    if not Procedure.objects.exists():
        data = ROOT / "eiso" / "catalog" / "data"
        catalog_import(paths=[data / "catalog.jsonl.gz", data / "procedures-sample.jsonl.gz"])
    members = synthetic_agencies(count=agencies)
    province = members[0].province
    dost, _ = Agency.objects.get_or_create(code=f"SYN-{province.code}-SKHCN", defaults={
        "name": f"Sở Khoa học và Công nghệ {province.name} (dữ liệu mẫu)", "kind": "department",
        "admin_unit": province})
    SupervisingAuthority.objects.get_or_create(province=province, agency=dost)
    user, _ = User.objects.get_or_create(username="bench.statistics", defaults={"full_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=user, agency=dost, role=Role.SUPERVISOR)
    return province, user


NAIVE_SQL = """
    SELECT d.agency_id,
           count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s
                            AND NOT (d.status = ANY(%(not_received)s))) AS received,
           count(*) FILTER (WHERE {ended} AND d.status = ANY(%(finished)s) AND d.outcome = 'early') AS early,
           count(*) FILTER (WHERE {ended} AND d.status = ANY(%(finished)s) AND d.outcome = 'on_time') AS on_time,
           count(*) FILTER (WHERE {ended} AND d.status = ANY(%(finished)s) AND d.outcome = 'late') AS late,
           count(*) FILTER (WHERE {ended} AND d.status = ANY(%(cancelled)s)) AS cancelled,
           COALESCE(sum(ROUND(CASE d.duration_unit WHEN 'hour' THEN d.duration WHEN 'working_day' THEN d.duration * 8
                                   WHEN 'day' THEN d.duration * 5 / 7 * 8 ELSE d.duration * 22 * 8 END, 2))
                    FILTER (WHERE {ended} AND d.status = ANY(%(finished)s) AND d.outcome <> ''), 0) AS allowed_hours,
           count(*) FILTER (WHERE d.rated_at >= %(start)s AND d.rated_at < %(end)s AND d.rating > 0) AS ratings,
           count(*) FILTER (WHERE d.rated_at >= %(start)s AND d.rated_at < %(end)s AND d.rating >= 2) AS satisfied,
           count(*) FILTER (WHERE d.status = ANY(%(open)s)) AS in_progress,
           count(*) FILTER (WHERE d.status = ANY(%(open)s) AND d.due_at < %(now)s) AS overdue
    FROM dossiers_dossier d JOIN organizations_agency a ON a.id = d.agency_id
    WHERE a.province_id = %(province)s
    GROUP BY d.agency_id
""".format(ended="d.finished_at >= %(start)s AND d.finished_at < %(end)s")
FIGURES = ("received", "early", "on_time", "late", "cancelled", "allowed_hours", "ratings", "satisfied",
           "in_progress", "overdue")


def median_of(runs: int, function):
    function()  # warm
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times), result


def measure(province, user, runs: int, now) -> dict:
    from django.db import connection
    from django.utils import timezone

    from eiso.core.dates import add_months
    from eiso.dossiers.choices import CANCELLED, FINISHED, NOT_RECEIVED, OPEN_STATUSES
    from eiso.dossiers.statistics import dossier_statistics, month_start

    this_month = month_start(timezone.localtime(now).date())
    first = add_months(this_month, -11)
    local = timezone.get_current_timezone()
    params = {"start": dt.datetime.combine(first, dt.time(), local),
              "end": dt.datetime.combine(add_months(this_month, 1), dt.time(), local), "now": now,
              "province": province.pk, "not_received": [str(s) for s in NOT_RECEIVED],
              "finished": [str(s) for s in FINISHED], "cancelled": [str(s) for s in CANCELLED],
              "open": [str(s) for s in OPEN_STATUSES]}

    def dashboard():
        return dossier_statistics(user=user, date_from=first, date_to=this_month, group_by="agency",
                                  province_ids=[province.pk], now=now)

    def tallies_only():  # the 12 whole months before this one: no figures of the moment
        return dossier_statistics(user=user, date_from=add_months(first, -1), date_to=add_months(this_month, -1),
                                  group_by="agency", province_ids=[province.pk], now=now)

    def naive():
        with connection.cursor() as cursor:
            cursor.execute(NAIVE_SQL, params)
            return cursor.fetchall()

    a_median, a_min, a_max, rows = median_of(runs, dashboard)
    c_median, c_min, c_max, _rows = median_of(runs, tallies_only)
    b_median, b_min, b_max, naive_rows = median_of(runs, naive)
    ours = {row["key"]: tuple(row[f] if f != "allowed_hours" else row[f] for f in FIGURES)
            for row in rows if not row["is_total"]}
    theirs = {agency_id: tuple(values) for agency_id, *values in naive_rows if any(values)}
    mismatched = [agency for agency in set(ours) | set(theirs) if ours.get(agency) != theirs.get(agency)]
    return {"dashboard": (a_median, a_min, a_max), "naive": (b_median, b_min, b_max),
            "tallies_only": (c_median, c_min, c_max), "agencies": len(ours),
            "mismatched": mismatched, "total": rows[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,10000000", help="Dossier counts to reach, in order.")
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    setup_postgres()
    from django.db import connection
    from django.utils import timezone

    from eiso.dossiers.models import Dossier, DossierTally
    from eiso.dossiers.synthetic import generate_dossiers

    province, user = prepare(args.agencies)
    now = timezone.now()
    results = []
    for step, size in enumerate(sizes):
        present = Dossier.objects.filter(agency__code__startswith="SYN-").count()
        if present < size:
            started, last = time.perf_counter(), [0.0]

            def progress(done, total, started=started, last=last):
                if time.perf_counter() - last[0] > 30 or done == total:
                    last[0] = time.perf_counter()
                    print(f"  {done:,} / {total:,} dossiers, {done / (last[0] - started):,.0f} a second", flush=True)

            print(f"generating {size - present:,} dossiers (to {size:,})", flush=True)
            report = generate_dossiers(agencies=args.agencies, dossiers=size - present, months=24,
                                       seed=args.seed + step, batch_size=50_000, progress=progress, now=now)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) dossiers_dossier")
                cursor.execute("VACUUM (ANALYZE) dossiers_dossiertally")
            print(f"  written in {report.seconds:.0f} s ({(size - present) / report.seconds:,.0f} a second); "
                  f"tallies rebuilt in {report.rebuild_seconds:.0f} s ({report.tallies:,} rows); "
                  f"VACUUM ANALYZE {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier'))")
            table_size = cursor.fetchone()[0]
        result = measure(province, user, args.runs, now)
        result.update(size=Dossier.objects.count(), tallies=DossierTally.objects.count(), table=table_size)
        results.append(result)
        a, b = result["dashboard"], result["naive"]
        total = result["total"]
        print(f"{result['size']:,} dossiers ({table_size}), {result['tallies']:,} tally rows; {result['agencies']} "
              f"agencies; the year: {total['received']:,} received, {total['resolved']:,} resolved, on time "
              f"{total['on_time_rate']:.1%}, {total['in_progress']:,} in progress now ({total['overdue']:,} overdue)")
        print(f"  (a) dashboard  median {a[0]:8.1f} ms  (min {a[1]:.1f}, max {a[2]:.1f})")
        print(f"  (b) naive      median {b[0]:8.1f} ms  (min {b[1]:.1f}, max {b[2]:.1f})")
        c = result["tallies_only"]
        print(f"  (a') the 12 months before this one (tallies only, no figures of the moment): median {c[0]:.1f} ms "
              f"(min {c[1]:.1f}, max {c[2]:.1f})")
        print(f"  ratio dashboard / naive: {a[0] / b[0]:.4f} (1/{b[0] / a[0]:.0f}); "
              f"figures {'identical' if not result['mismatched'] else 'DIFFER for ' + str(result['mismatched'])}",
              flush=True)
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"{last['size']:,} / {first['size']:,}: dashboard {last['dashboard'][0] / first['dashboard'][0]:.2f}; "
              f"tallies only {last['tallies_only'][0] / first['tallies_only'][0]:.2f}; "
              f"naive {last['naive'][0] / first['naive'][0]:.2f}")
    return 1 if any(result["mismatched"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
