"""Benchmark of the QMS bootstrap: one commune with every commune-level procedure, then 100 communes.

    python bench/bootstrap_qms.py [--communes 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eiso_bench python bench/bootstrap_qms.py

Uses a temporary SQLite database, or the (empty, dedicated) database of DATABASE_URL, migrated here.
Loads the administrative units and the national data shipped in eiso/catalog/data/, creates People's
Committees for real communes, then times `qms_bootstrap` for one commune and `qms_bootstrap_many` (a rollout wave, as
`eiso bootstrap_qms --province` runs it: the catalogue is read once, each commune in its own transaction)
for the next 100. Baseline, measured in the same
run: the time to read the commune-level procedures with their cases once (the least the bootstrap must
do); the ratio bootstrap/baseline says what building the documents, processes and steps costs on top.
Targets (issue "Build the QMS"): one commune under 1 s on PostgreSQL; 100 communes under 60 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eiso.settings_test")
    os.environ.setdefault("EISO_DATA_DIR", str(workdir))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.db import connection

        from eiso.catalog.models import Procedure
        from eiso.organizations.demo import demo_catalog_load
        from eiso.organizations.models import AdminUnit, Agency
        from eiso.organizations.services import admin_units_load
        from eiso.processes.bootstrap import qms_bootstrap, qms_bootstrap_many
        from eiso.processes.models import Process

        admin_units_load()
        demo_catalog_load()
        level_count = Procedure.objects.for_level("commune").count()
        communes = list(AdminUnit.objects.filter(level="commune").order_by("code")[: args.communes + 1])
        agencies = []
        for unit in communes:
            defaults = {"name": f"Ủy ban nhân dân {unit.name}", "kind": "peoples_committee", "admin_unit": unit}
            agency, _created = Agency.objects.get_or_create(code=f"BENCH-{unit.code}", defaults=defaults)
            agencies.append(agency)

        start = time.perf_counter()
        list(Procedure.objects.for_level("commune").prefetch_related("cases"))
        baseline = time.perf_counter() - start

        start = time.perf_counter()
        first = qms_bootstrap(actor=None, agency=agencies[0])
        one = time.perf_counter() - start
        assert first["procedure_processes"] == level_count

        times = []
        last = [time.perf_counter()]

        def lap(done, total):
            now = time.perf_counter()
            times.append(now - last[0])
            last[0] = now

        start_all = time.perf_counter()
        results = qms_bootstrap_many(actor=None, agencies=agencies[1:], progress=lap)
        hundred = time.perf_counter() - start_all
        assert all(r.get("procedure_processes") == level_count for r in results), results[:3]

        start = time.perf_counter()
        again = qms_bootstrap(actor=None, agency=agencies[0])
        rerun = time.perf_counter() - start
        assert again["procedure_processes"] == 0

        print(f"database: {connection.vendor}; commune-level procedures: {level_count}")
        print(f"baseline (read the procedures with their cases): {baseline:.3f} s")
        print(f"bootstrap of one commune: {one:.3f} s  (ratio to baseline: {one / baseline:.1f})")
        median = statistics.median(times)
        print(f"bootstrap of {len(times)} communes as one wave: {hundred:.1f} s  (median {median:.3f} s, "
              f"max {max(times):.3f} s per commune; ratio to baseline: {median / baseline:.1f})")
        print(f"second run on the first commune (creates nothing): {rerun:.3f} s")
        print(f"processes in the database: {Process.objects.count()}")


if __name__ == "__main__":
    main()
