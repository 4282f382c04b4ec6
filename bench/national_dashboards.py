"""Benchmark of the oversight dashboards on PostgreSQL at national scale: the province dashboard and the national
view against the naive aggregates over the dossier table, at 1,000,000 and 10,000,000 dossiers, with the time
`eiso generate_synthetic` takes to generate them.

    createdb -h 127.0.0.1 -U postgres helper_a_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_a_bench python bench/national_dashboards.py \\
        [--sizes 1000000,10000000] [--provinces 4] [--processes 20] [--runs 7] [--seed 2026]
    dropdb -h 127.0.0.1 -U postgres --force helper_a_bench

Needs an empty, dedicated PostgreSQL database (it is migrated here and filled; SQLite is refused). Grows the data
to each size in turn with `eiso.oversight.synthetic.generate_synthetic`, the code of `eiso generate_synthetic`
(the first run also loads the administrative units and the national catalogue and creates the agencies of the
first `--provinces` provinces by code, every commune of them, with their QMS records; the later one adds
dossiers to the same agencies), then VACUUM ANALYZE (as autovacuum would do after a bulk load). At each size:

(a) dashboard, as the /oversight/ page computes it for the first province (Hà Nội, the largest):
    `province_overview(province=...)` (every agency's level, QMS stage, overdue obligations and this year's
    dossiers resolved and on time, from the monthly tallies, and the level × stage counts); apart, its dossier
    part alone, `resolved_on_time_by_agency` of the province's agencies;
(b) naive (baseline, same run): the same dossier figures of the province from the dossier table, one GROUP BY
    agency with conditional counts over this year's resolved dossiers (raw SQL);
(c) national view: `national_overview()` (every province, its agencies by level and stage, overdue);
(d) national dossier figures from the tallies (`resolved_on_time_by_agency` of every agency, summed by province),
    against (e) naive: the same from the dossier table, one GROUP BY province;
(f) the pages themselves through the Django test client: /oversight/ as the province's supervisor and
    /oversight/national/ as a national supervisor.

Each is run once to warm up, then `--runs` times; the median is reported. The script checks that (a) and (b)
give the same resolved and on-time counts for every agency and (d) and (e) for every province, that the national
view counts the agencies the database holds, and that neither (a) nor (c) reads the dossier table (exit status 1
otherwise). Prints the ratios dashboard /
naive at each size (target well below 1) and the dashboard's time at the largest size over the smallest (target:
flat, about 1).
"""

import argparse
import datetime as dt
import logging
import re
import statistics
import sys
import time

from common import setup_postgres  # bench/ is the script's folder, on the path

PROVINCE_SQL = """
    SELECT d.agency_id,
           count(*) FILTER (WHERE d.outcome IN ('early', 'on_time', 'late')) AS resolved,
           count(*) FILTER (WHERE d.outcome IN ('early', 'on_time')) AS on_time
    FROM dossiers_dossier d JOIN organizations_agency a ON a.id = d.agency_id
    WHERE a.province_id = %(province)s AND d.status = ANY(%(finished)s)
      AND d.finished_at >= %(start)s AND d.finished_at < %(end)s
    GROUP BY d.agency_id
"""
NATIONAL_SQL = """
    SELECT a.province_id,
           count(*) FILTER (WHERE d.outcome IN ('early', 'on_time', 'late')) AS resolved,
           count(*) FILTER (WHERE d.outcome IN ('early', 'on_time')) AS on_time
    FROM dossiers_dossier d JOIN organizations_agency a ON a.id = d.agency_id
    WHERE d.status = ANY(%(finished)s) AND d.finished_at >= %(start)s AND d.finished_at < %(end)s
    GROUP BY a.province_id
"""


def median_of(runs: int, function):
    function()  # warm
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times), result


def users(province):
    """A supervisor of `province` (at its Department of Science and Technology) and a national supervisor."""
    from eiso.accounts.models import User
    from eiso.core.permissions import Role
    from eiso.organizations.models import Agency, RoleAssignment

    dost = Agency.objects.get(code=f"SYN-{province.code}-SKHCN")
    supervisor, _ = User.objects.get_or_create(username="bench.supervisor", defaults={"full_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=supervisor, agency=dost, role=Role.SUPERVISOR)
    ministry, _ = Agency.objects.get_or_create(code="BENCH-BKHCN", defaults={
        "name": "Bộ Khoa học và Công nghệ (dữ liệu mẫu)", "kind": "ministry", "admin_unit": province})
    national, _ = User.objects.get_or_create(username="bench.national", defaults={"full_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=national, agency=ministry, role=Role.NATIONAL_SUPERVISOR)
    return supervisor, national


def measure(province, supervisor, national, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from eiso.dossiers.choices import FINISHED
    from eiso.dossiers.selectors import resolved_on_time_by_agency
    from eiso.organizations.models import Agency
    from eiso.oversight.selectors import national_overview, province_overview

    today = timezone.localdate()
    local = timezone.get_current_timezone()
    params = {"province": province.pk, "finished": [str(s) for s in FINISHED],
              "start": dt.datetime(today.year, 1, 1, tzinfo=local),
              "end": dt.datetime(today.year + 1, 1, 1, tzinfo=local)}
    province_ids = list(Agency.objects.filter(province=province).valid_on(today).values_list("pk", flat=True))
    every = dict(Agency.objects.valid_on(today).values_list("pk", "province_id"))

    def naive(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return {key: (resolved, on_time) for key, resolved, on_time in cursor.fetchall()}
        return run

    def national_tallies():
        sums: dict = {}
        for agency_id, (resolved, on_time) in resolved_on_time_by_agency(list(every), year=today.year).items():
            total = sums.setdefault(every[agency_id], [0, 0])
            total[0] += resolved
            total[1] += on_time
        return {key: tuple(value) for key, value in sums.items()}

    result = {
        "dashboard": median_of(runs, lambda: province_overview(province=province, today=today)),
        "dashboard_dossiers": median_of(runs, lambda: resolved_on_time_by_agency(province_ids, year=today.year)),
        "naive": median_of(runs, naive(PROVINCE_SQL)),
        "national": median_of(runs, lambda: national_overview(today=today)),
        "national_dossiers": median_of(runs, national_tallies),
        "national_naive": median_of(runs, naive(NATIONAL_SQL)),
    }
    client = Client()
    client.force_login(supervisor)
    result["page"] = median_of(runs, lambda: client.get("/oversight/", {"province": province.pk}).status_code)
    client.force_login(national)
    result["national_page"] = median_of(runs, lambda: client.get("/oversight/national/").status_code)

    from django.test.utils import CaptureQueriesContext

    dossier_table = re.compile(r'"dossiers_dossier"')
    for name, function in (("province_overview", lambda: province_overview(province=province, today=today)),
                           ("national_overview", lambda: national_overview(today=today))):
        with CaptureQueriesContext(connection) as queries:
            function()
        result[f"{name}_queries"] = len(queries.captured_queries)
        if any(dossier_table.search(query["sql"]) for query in queries.captured_queries):
            result.setdefault("scans", []).append(name)
    overview = result["dashboard"][3]
    ours = {row.agency.pk: (row.resolved, row.on_time) for row in overview.rows if row.resolved}
    problems = [f"agency {key}" for key in set(ours) | set(result["naive"][3])
                if ours.get(key) != result["naive"][3].get(key)]
    theirs = result["national_naive"][3]
    problems += [f"province {key}" for key in set(result["national_dossiers"][3]) | set(theirs)
                 if result["national_dossiers"][3].get(key) != theirs.get(key)]
    counted = {row.province.pk: row.total.total for row in result["national"][3]}
    held: dict = {}
    for province_id in every.values():
        held[province_id] = held.get(province_id, 0) + 1
    problems += [f"national count of province {key}" for key in held if counted.get(key, 0) != held[key]]
    problems += [f"page status {result[name][3]}" for name in ("page", "national_page") if result[name][3] != 200]
    problems += [f"{name} reads the dossier table" for name in result.get("scans", [])]
    result.update(problems=problems, agencies=len(overview.rows), overview=overview,
                  resolved=sum(value[0] for value in ours.values()), on_time=sum(value[1] for value in ours.values()))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,10000000", help="Dossier counts to reach, in order.")
    parser.add_argument("--provinces", type=int, default=4)
    parser.add_argument("--processes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    setup_postgres()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from eiso.dossiers.models import Dossier, DossierTally
    from eiso.dossiers.synthetic import ProgressBar
    from eiso.organizations.models import AdminUnit
    from eiso.oversight.synthetic import generate_synthetic

    setup_test_environment()  # the test client's host
    logging.disable(logging.INFO)  # no request log lines
    settings.DEBUG = False
    now = timezone.now()
    results, generation = [], []
    province = None
    for step, size in enumerate(sizes):
        present = Dossier.objects.count()
        if present < size:
            print(f"generating {size - present:,} dossiers (to {size:,})", flush=True)
            started = time.perf_counter()
            report = generate_synthetic(provinces=args.provinces, dossiers=size - present, processes=args.processes,
                                        seed=args.seed + step, batch_size=50_000, now=now,
                                        progress=ProgressBar(sys.stdout, label="  "), log=print)
            total = time.perf_counter() - started
            generation.append((size - present, total, report))
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) dossiers_dossier")
                cursor.execute("VACUUM (ANALYZE) dossiers_dossiertally")
            print(f"  {report.agencies} agencies ({report.new_agencies} new: {report.stages}); written in "
                  f"{report.seconds:.0f} s ({(size - present) / report.seconds:,.0f} a second); tallies rebuilt in "
                  f"{report.rebuild_seconds:.0f} s ({report.tallies:,} rows); in all {total:.0f} s; VACUUM ANALYZE "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        if province is None:
            province = AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("code").first()
            supervisor, national = users(province)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier'))")
            table_size = cursor.fetchone()[0]
        with open("/proc/loadavg") as file:
            load = " ".join(file.read().split()[:3])
        result = measure(province, supervisor, national, args.runs)
        result.update(size=Dossier.objects.count(), tallies=DossierTally.objects.count(), table=table_size, load=load)
        results.append(result)
        levels = ", ".join(f"{row.level} {row.total}" for row in result["overview"].levels)
        print(f"{result['size']:,} dossiers ({table_size}), {result['tallies']:,} tally rows; load {load}; "
              f"{province}: {result['agencies']} agencies ({levels}); this year {result['resolved']:,} resolved, "
              f"{result['on_time']:,} on time; queries: province_overview {result['province_overview_queries']}, "
              f"national_overview {result['national_overview_queries']}")
        for key, label in (("dashboard", "(a) province dashboard (province_overview)"),
                           ("dashboard_dossiers", "(a') its dossier figures (tallies)"),
                           ("naive", "(b) naive province GROUP BY"),
                           ("national", "(c) national view (national_overview)"),
                           ("national_dossiers", "(d) national dossier figures (tallies)"),
                           ("national_naive", "(e) naive national GROUP BY"),
                           ("page", "(f) GET /oversight/"), ("national_page", "(f') GET /oversight/national/")):
            median, low, high, _value = result[key]
            print(f"  {label:46s} median {median:9.1f} ms  (min {low:.1f}, max {high:.1f})")
        print(f"  ratios: (a)/(b) {result['dashboard'][0] / result['naive'][0]:.4f}; (a')/(b) "
              f"{result['dashboard_dossiers'][0] / result['naive'][0]:.4f}; (c)/(e) "
              f"{result['national'][0] / result['national_naive'][0]:.4f}; (d)/(e) "
              f"{result['national_dossiers'][0] / result['national_naive'][0]:.4f}; figures "
              f"{'identical' if not result['problems'] else 'DIFFER: ' + ', '.join(result['problems'][:10])}",
              flush=True)
    if generation:
        count = sum(n for n, _seconds, _report in generation)
        seconds = sum(s for _n, s, _report in generation)
        print(f"generation: {count:,} dossiers in {seconds:.0f} s ({count / seconds:,.0f} a second), "
              + "; ".join(f"{n:,} in {s:.0f} s" for n, s, _report in generation))
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"{last['size']:,} / {first['size']:,}: " + "; ".join(
            f"{key} {last[key][0] / first[key][0]:.2f}" for key in (
                "dashboard", "dashboard_dossiers", "naive", "national", "national_dossiers", "national_naive",
                "page", "national_page")))
    return 1 if any(result["problems"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
