"""Row makers: catalogue, processes, documents, legal register, dossiers."""

from __future__ import annotations

import datetime as dt

from eiso.core.permissions import Role
from tests.query_budgets.rows.base import YEAR, today

# --- Catalogue, processes, documents, legal register, dossiers ---------------------------------------------------


def add_procedure(rows, i):
    rows.procedure(i)


def add_field(rows, i):
    from eiso.catalog.models import Field

    Field.objects.create(name=f"Lĩnh vực riêng {i}")


def add_import_run(rows, i):
    from eiso.catalog.models import ImportRun

    ImportRun.objects.create(source=f"tthc-{i}.jsonl", status=["done", "failed"][i % 2],
                             started_by=rows.person(i, Role.ISO_COORDINATOR))


def add_process(rows, i):
    rows.process(i, published=bool(i % 2), procedures=[rows.procedure(i)])


def add_document(rows, i):
    from eiso.documents.services import document_create, revision_transition

    document = document_create(actor=None, qms=rows.qms, kind=["manual", "policy", "instruction"][i % 3],
                               code=f"TL-{i:02d}", title=f"Tài liệu thứ {i}", owner_unit=rows.unit(i))
    if i % 2:
        revision = document.revisions.get()
        for action in ("submit", "approve", "publish"):
            revision = revision_transition(actor=None, revision=revision, action=action)


def add_document_to_read(rows, i):
    """A published manual distributed to the signed-in user, not yet read."""
    from eiso.documents.services import document_create, revision_distribute, revision_transition

    document = document_create(actor=None, qms=rows.qms, kind="manual", code=f"DR-{i:02d}", title=f"Sổ tay {i}",
                               owner_unit=rows.unit(i))
    revision = document.revisions.get()
    for action in ("submit", "approve", "publish"):
        revision = revision_transition(actor=None, revision=revision, action=action)
    revision_distribute(actor=None, revision=revision, users=[rows.world.users[rows.made["role"]], rows.person(i)])


def add_review_due(rows, i):
    """A published document whose periodic review is overdue."""
    from eiso.documents.models import Document
    from eiso.documents.services import document_create, revision_transition

    document = document_create(actor=None, qms=rows.qms, kind="policy", code=f"RV-{i:02d}", title=f"Chính sách {i}",
                               owner_unit=rows.unit(i))
    revision = document.revisions.get()
    issued = today() - dt.timedelta(days=400 + i)
    for action in ("submit", "approve", "publish"):
        revision = revision_transition(actor=None, revision=revision, action=action, effective_on=issued)
    Document.objects.filter(pk=document.pk).update(last_reviewed_on=issued, review_interval_months=12)


def add_legal_document(rows, i):
    from eiso.legal.services import legal_document_record

    legal_document_record(actor=None, number=f"{i:02d}/2026/TT-BTP", doc_type=["circular", "decree"][i % 2],
                          issuer="Bộ Tư pháp", effective_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))


def add_update_task(rows, i):
    from eiso.documents.models import Document
    from eiso.legal.models import LegalDocument
    from eiso.legal.services import legal_document_record

    process = rows.process(i, published=True)
    basis = LegalDocument.objects.create(doc_type="circular", number=f"{i:02d}/2020/TT-BTP",
                                         key=f"{i:02d}/2020/TT-BTP")
    basis.documents.add(Document.objects.get(process=process))
    legal_document_record(actor=None, number=f"{i:02d}/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                          relations=[("replaces", basis)])


def add_dossier(rows, i):
    from eiso.calendars.services import holidays_seed_year
    from eiso.dossiers.services import dossier_receive

    rows.once("holidays", lambda: holidays_seed_year(year=YEAR))
    procedure = rows.procedure(i)
    rows.process(i, published=True, procedures=[procedure])
    dossier_receive(actor=rows.person(i), agency=rows.own, procedure=procedure, case=procedure.cases.first(),
                    applicant={"name": f"Người nộp {i}", "phone": f"09000000{i:02d}"},
                    channel=["direct", "online"][i % 2])
