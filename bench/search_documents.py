"""Benchmark of document search over 1,000,000 revisions on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eiso_search python bench/search_documents.py [--revisions 1000000]

Needs an empty, dedicated PostgreSQL database (it is migrated here and filled). Builds one agency with
documents of 10 revisions each (`--revisions` in all), whose texts are made of the real national
catalogue's procedure names and the framework model's sections, folded as eISO folds them; the rows are
written with COPY (core.bulk.bulk_insert) and the full-text GIN index is built after the load, as a bulk
load would. Then runs `--queries` two- and three-word queries picked from the same texts, each twice:

* through the ORM, as the application runs it: `revisions_matching(Revision.objects..., q)[:50]`, and the
  document-level search of the list page (`Document.objects.search(q)`, first page of 50);
* as raw SQL in the same run (the baseline): the same full-text condition written by hand.

Prints p50/p95 latency of each and the ratios ORM/raw. Target (issue "Document control"): p95 < 50 ms.
"""

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eiso.settings_test")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database: this benchmark is about PostgreSQL.")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def vocabulary() -> list[str]:
    from eiso.core.text import fold
    from eiso.processes.library import framework_documents

    names = []
    with gzip.open(ROOT / "eiso" / "catalog" / "data" / "catalog.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            names.append(fold(json.loads(line)["name"]))
    context = {"agency": {"name": "Ủy ban nhân dân xã", "short_name": "UBND xã", "address": "", "admin_unit": "",
                          "province": ""}, "head": {}, "coordinator": {}, "units": [], "year": 2026}
    for doc in framework_documents(context):
        for section in doc.get("sections", []):
            names.append(fold(f"{section.get('heading', '')} {section.get('body', '')}"[:600]))
    return names


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--revisions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction

    from eiso.core.bulk import bulk_insert
    from eiso.documents.models import Document, Revision
    from eiso.documents.search import INDEX_NAME, revisions_matching
    from eiso.organizations.models import QMS, AdminUnit, Agency
    from eiso.organizations.services import admin_units_load

    rng = random.Random(2026)
    texts = vocabulary()
    if not Revision.objects.exists():
        admin_units_load()
        unit = AdminUnit.objects.filter(level="commune").order_by("code").first()
        agency = Agency.objects.create(code="BENCH-SEARCH", name=f"Ủy ban nhân dân {unit.name}",
                                       kind="peoples_committee", admin_unit=unit)
        qms = QMS.objects.create(agency=agency, code="HTQLCL", name="HTQLCL")
        per_document = 10
        documents = args.revisions // per_document
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
        batch = 10_000
        for first in range(0, documents, batch):
            with transaction.atomic():
                docs, revisions = [], []
                for n in range(first, min(first + batch, documents)):
                    code = f"TL-{n:07d}"
                    title = rng.choice(texts)[:200]
                    doc_id = uuid.uuid4()
                    docs.append({"id": doc_id, "agency_id": agency.pk, "qms_id": qms.pk, "kind": "instruction",
                                 "code": code, "title": title, "search_text": f"{code.lower()} {title}"})
                    for number in range(1, per_document + 1):
                        body = " ".join(rng.sample(texts, 3))
                        revisions.append({"agency_id": agency.pk, "document_id": doc_id, "number": number,
                                          "status": "published" if number == per_document else "superseded",
                                          "search_text": body})
                bulk_insert(Document, docs)
                bulk_insert(Revision, revisions)
            print(f"\r{min(first + batch, documents) * per_document:,} revisions", end="", flush=True)
        load = time.perf_counter() - start
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {INDEX_NAME} ON documents_revision "
                           "USING gin (to_tsvector('simple'::regconfig, search_text))")
            cursor.execute("ANALYZE documents_revision")
            cursor.execute("ANALYZE documents_document")
        print(f"\nloaded in {load:.0f} s; full-text index built in {time.perf_counter() - start:.0f} s")

    revisions_count = Revision.objects.count()
    queries = []
    for _ in range(args.queries):
        words = [w for w in rng.choice(texts).split() if len(w) > 2]
        size = rng.choice((2, 3))
        if len(words) >= size:
            at = rng.randrange(0, len(words) - size + 1)
            queries.append(" ".join(words[at:at + size]))

    raw_sql = ("SELECT id FROM documents_revision WHERE to_tsvector('simple'::regconfig, search_text) "
               "@@ plainto_tsquery('simple'::regconfig, %s) LIMIT 50")

    def orm_revisions(q):
        return list(revisions_matching(Revision.objects.order_by(), q).values_list("id", flat=True)[:50])

    def raw_revisions(q):
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [q])
            return cursor.fetchall()

    def orm_documents(q):
        return list(Document.objects.search(q).only("id", "code").order_by("code")[:50])

    def timed(function):
        values = []
        for q in queries:
            function(q)  # warm
            start = time.perf_counter()
            function(q)
            values.append((time.perf_counter() - start) * 1000)
        return values

    raw = timed(raw_revisions)
    orm = timed(orm_revisions)
    docs = timed(orm_documents)
    hits = statistics.mean(len(raw_revisions(q)) for q in queries[:50])
    print(f"database: {connection.vendor}; revisions: {revisions_count:,}; queries: {len(queries)} "
          f"(mean hits in the first 50: {hits:.0f})")
    for label, values in (("raw SQL (baseline)", raw), ("ORM, revisions", orm), ("ORM, document list", docs)):
        print(f"{label:22s} p50 {percentile(values, .5):7.2f} ms   p95 {percentile(values, .95):7.2f} ms")
    print(f"ratio ORM/raw: p50 {percentile(orm, .5) / percentile(raw, .5):.2f}, "
          f"p95 {percentile(orm, .95) / percentile(raw, .95):.2f}; document list/raw p95 "
          f"{percentile(docs, .95) / percentile(raw, .95):.2f}")


if __name__ == "__main__":
    main()
