"""Benchmark of the catalogue importer: speed, peak memory, and proof that memory does not grow with the file.

    python bench/import_catalog.py [--data FOLDER] [--n 5670]   (default data: eiso/catalog/data/)

Uses a temporary SQLite database, or DATABASE_URL when set (it is migrated and its catalogue tables are
emptied between measurements: confirm with --empty-catalogue-of-database-url). Measures, each on an empty catalogue:

(a) the 5,670-line catalogue and (b) the 300 detail records: records/second (without tracemalloc), peak
    Python memory (tracemalloc, separate run), and a baseline measured in the same run: the time to
    decompress and json-parse the same file without the database; the ratio importer/parse says what the
    mapping, comparing and writing cost on top of reading;
(c) streaming: synthetic catalogue files of N and 4N lines (real lines repeated with new codes) imported
    under tracemalloc; the ratio of peak memories must be close to 1 (it would be close to 4 if the
    importer held the file).
"""

import argparse
import gzip
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eiso.settings_test")
    os.environ.setdefault("EISO_DATA_DIR", str(workdir))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DEBUG"] = "false"  # no query log
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def empty_catalogue() -> None:
    from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureChange

    ProcedureChange.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    ImportRun.objects.all().delete()


def parse_only(path: Path) -> tuple[float, int]:
    """Baseline: decompress and json-parse every line, nothing else."""
    start = time.perf_counter()
    count = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                json.loads(line)
                count += 1
    return time.perf_counter() - start, count


def timed_import(path: Path):
    from eiso.catalog.services import catalog_import

    empty_catalogue()
    start = time.perf_counter()
    run = catalog_import(paths=[path])
    return time.perf_counter() - start, run


def peak_import(path: Path) -> int:
    from eiso.catalog.services import catalog_import

    empty_catalogue()
    tracemalloc.start()
    tracemalloc.reset_peak()
    catalog_import(paths=[path])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def synthetic(source: Path, target: Path, lines: int) -> Path:
    """`lines` catalogue lines: the real ones repeated, each with a new code 9.NNNNNNN."""
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        real = [json.loads(line) for line in handle if line.strip()]
    with gzip.open(target, "wt", encoding="utf-8") as out:
        for number in range(lines):
            record = dict(real[number % len(real)], code=f"9.{number:07d}", codeNotation=f"9.{number:07d}",
                          id=f"bench-{number}")
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def mib(value: int) -> str:
    return f"{value / 2**20:.1f} MiB"


def measure(label: str, path: Path) -> None:
    elapsed, run = timed_import(path)
    parse_seconds, parsed = parse_only(path)
    peak = peak_import(path)
    print(f"{label}: {run.total} records, {run.created} created, {run.failed} failed, {run.warnings} warnings")
    print(f"  import        {elapsed:6.2f} s  {run.total / elapsed:8.0f} records/s  peak {mib(peak)}")
    print(f"  parse only    {parse_seconds:6.2f} s  {parsed / parse_seconds:8.0f} records/s  (baseline)")
    print(f"  ratio importer/parse: {elapsed / parse_seconds:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    shipped = ROOT / "eiso" / "catalog" / "data"
    default = shipped if (shipped / "catalog.jsonl.gz").exists() else Path("/work/shared/data/tthc")
    parser.add_argument("--data", default=os.environ.get("EISO_TTHC_DATA", str(default)),
                        help="folder of catalog.jsonl.gz and procedures-sample.jsonl.gz")
    parser.add_argument("--n", type=int, default=5670, help="lines of the smaller synthetic file")
    parser.add_argument("--empty-catalogue-of-database-url", action="store_true",
                        help="confirm that the catalogue tables of DATABASE_URL may be emptied")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL") and not args.empty_catalogue_of_database_url:
        parser.error("DATABASE_URL is set: its catalogue tables would be emptied. Confirm with "
                     "--empty-catalogue-of-database-url, or unset it to use a temporary SQLite database.")
    data = Path(args.data)
    catalog, sample = data / "catalog.jsonl.gz", data / "procedures-sample.jsonl.gz"
    with tempfile.TemporaryDirectory(prefix="eiso-bench-") as tmp:
        workdir = Path(tmp)
        setup(workdir)
        from django.db import connection

        print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPU(s), "
              f"database {connection.vendor}")
        measure("(a) catalogue", catalog)
        measure("(b) details", sample)

        from eiso.catalog.services import catalog_import

        empty_catalogue()
        catalog_import(paths=[sample, catalog])
        start = time.perf_counter()
        run = catalog_import(paths=[sample, catalog])
        print(f"re-import of both files (nothing changed): {run.total} records in "
              f"{time.perf_counter() - start:.2f} s, {run.unchanged} unchanged")

        small = synthetic(catalog, workdir / "n.jsonl.gz", args.n)
        large = synthetic(catalog, workdir / "4n.jsonl.gz", 4 * args.n)
        peak_small, peak_large = peak_import(small), peak_import(large)
        print(f"(c) streaming: peak {mib(peak_small)} for {args.n} lines, {mib(peak_large)} for {4 * args.n} lines; "
              f"ratio 4N/N = {peak_large / peak_small:.2f}")


if __name__ == "__main__":
    main()
