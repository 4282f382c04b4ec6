"""Benchmark of document search over 1,000,000 revisions on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eiso_search python bench/search_documents.py [--revisions 1000000]

Needs an empty, dedicated PostgreSQL database (it is migrated here and filled). Builds one agency with
documents of 10 revisions each (`--revisions` in all), whose texts are made of the real national
catalogue's procedure names and the framework model's sections, folded as eISO folds them; the rows are
written with COPY (core.bulk.bulk_insert) and the full-text GIN indexes are built after the load, as a bulk
load would. Then runs `--queries` two- and three-word queries picked from the same texts, each twice
(the first run warms up, the second is timed):

* raw SQL, the baseline: the full-text condition written by hand over the revisions, and over the
  documents in the list's order;
* through the ORM as the application runs it: `revisions_matching(...)[:50]`; the document list's first
  page exactly as the list view reads it (restrict() for a staff member, the filter set with `q`, the
  status of each row, SearchPaginator's 50 + 1 rows); the same with `history` (every earlier revision too);
  and the whole page through Django's test client (HTML rendered), for scale.

Prints p50/p95 latency of each and the ratios against the baselines. Target (issue "Document control"):
p95 < 50 ms.
"""

import argparse
import gzip
import json
import random
import statistics
import time
import uuid

from common import ROOT, setup_postgres  # bench/ is the script's folder, on the path


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
    setup_postgres()
    from django.db import connection, transaction
    from django.test import Client

    from eiso.core.bulk import bulk_insert
    from eiso.core.permissions import Role
    from eiso.core.text import fold
    from eiso.documents.models import Document, Revision
    from eiso.documents.search import DOCUMENT_INDEX_NAME, INDEX_NAME, combined_text, revisions_matching
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
            cursor.execute(f"DROP INDEX IF EXISTS {DOCUMENT_INDEX_NAME}")
        batch = 10_000
        for first in range(0, documents, batch):
            with transaction.atomic():
                docs, revisions = [], []
                for n in range(first, min(first + batch, documents)):
                    code = f"TL-{n:07d}"
                    title = rng.choice(texts)[:200]
                    doc_id = uuid.uuid4()
                    bodies = [" ".join(rng.sample(texts, 3)) for _ in range(per_document)]
                    for number, body in enumerate(bodies, start=1):
                        revisions.append({"agency_id": agency.pk, "document_id": doc_id, "number": number,
                                          "status": "published" if number == per_document else "superseded",
                                          "search_text": body})
                    # What Document.save() computes: code and title, then the latest (= current) revision.
                    docs.append({"id": doc_id, "agency_id": agency.pk, "qms_id": qms.pk, "kind": "instruction",
                                 "code": code, "title": title,
                                 "search_text": combined_text(fold(f"{code} {title}"), bodies[-1])})
                bulk_insert(Document, docs)
                bulk_insert(Revision, revisions)
            print(f"\r{min(first + batch, documents) * per_document:,} revisions", end="", flush=True)
        load = time.perf_counter() - start
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {INDEX_NAME} ON documents_revision "
                           "USING gin (to_tsvector('simple'::regconfig, search_text))")
            cursor.execute(f"CREATE INDEX {DOCUMENT_INDEX_NAME} ON documents_document USING gin (search_vector)")
            cursor.execute("ANALYZE documents_revision")
            cursor.execute("ANALYZE documents_document")
        print(f"\nloaded in {load:.0f} s; full-text indexes built in {time.perf_counter() - start:.0f} s")

    revisions_count = Revision.objects.count()
    queries = []
    for _ in range(args.queries):
        words = [w for w in rng.choice(texts).split() if len(w) > 2]
        size = rng.choice((2, 3))
        if len(words) >= size:
            at = rng.randrange(0, len(words) - size + 1)
            queries.append(" ".join(words[at:at + size]))

    agency = Agency.objects.get(code="BENCH-SEARCH")
    staff = bench_user(agency, Role.STAFF)
    raw_revisions_sql = ("SELECT id FROM documents_revision WHERE to_tsvector('simple'::regconfig, search_text) "
                         "@@ plainto_tsquery('simple'::regconfig, %s) LIMIT 50")
    raw_documents_sql = ("SELECT id FROM documents_document WHERE agency_id = %s AND "
                         "search_vector @@ plainto_tsquery('simple'::regconfig, %s) ORDER BY kind, code LIMIT 51")

    def raw(sql, *params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def orm_revisions(q):
        return list(revisions_matching(Revision.objects.order_by(), q).values_list("id", flat=True)[:50])

    def list_page(q, history=False):
        """The list view's rows: its queryset, filter set and paginator (eiso.documents.views)."""
        from django.test import RequestFactory

        from eiso.core.paginators import SearchPaginator
        from eiso.documents.filtersets import DocumentFilterSet
        from eiso.documents.views import DocumentListView

        request = RequestFactory().get("/documents/", {"q": q, **({"history": "on"} if history else {})})
        request.user, request.agency = staff, agency
        view = DocumentListView()
        view.setup(request)
        queryset = DocumentFilterSet(request.GET, queryset=view.get_queryset(), request=request).qs
        page = SearchPaginator(queryset, 50).page(1)
        return [(d.code, d.latest_status) for d in page.object_list]

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(staff)

    def whole_page(q):
        response = client.get("/documents/", {"q": q})
        assert response.status_code == 200, response.status_code
        return response.content

    results = {
        "raw SQL, revisions (baseline)": timed(queries, lambda q: raw(raw_revisions_sql, q)),
        "ORM, revisions": timed(queries, orm_revisions),
        "raw SQL, documents (baseline)": timed(queries, lambda q: raw(raw_documents_sql, agency.pk, q)),
        "list view, first page": timed(queries, list_page),
        "list view, with history": timed(queries, lambda q: list_page(q, history=True)),
        "whole page (HTML)": timed(queries, whole_page),
    }
    hits = statistics.mean(len(list_page(q)) for q in queries[:50])
    print(f"database: {connection.vendor}; revisions: {revisions_count:,}; documents: {Document.objects.count():,}; "
          f"queries: {len(queries)} (mean rows on the first page: {hits:.0f} of 51)")
    for label, values in results.items():
        print(f"{label:32s} p50 {percentile(values, .5):7.2f} ms   p95 {percentile(values, .95):7.2f} ms")

    def ratio(label, baseline):
        a, b = results[label], results[baseline]
        return f"p50 {percentile(a, .5) / percentile(b, .5):.2f}, p95 {percentile(a, .95) / percentile(b, .95):.2f}"

    print(f"ratio ORM/raw, revisions: {ratio('ORM, revisions', 'raw SQL, revisions (baseline)')}")
    print(f"ratio list view/raw, documents: {ratio('list view, first page', 'raw SQL, documents (baseline)')}")


def bench_user(agency, role):
    from eiso.accounts.models import User
    from eiso.organizations.models import RoleAssignment

    user, _ = User.objects.get_or_create(username="bench.search", defaults={"full_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=user, agency=agency, role=role)
    return user


def timed(queries, function):
    values = []
    for q in queries:
        function(q)  # warm
        start = time.perf_counter()
        function(q)
        values.append((time.perf_counter() - start) * 1000)
    return values

if __name__ == "__main__":
    main()
