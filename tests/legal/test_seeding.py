"""The legal register is seeded from the real catalogue; a re-imported record whose legal bases changed
opens update tasks for the processes implementing it."""

import copy
import json

import pytest

from eiso.catalog.models import Procedure
from eiso.catalog.services import catalog_import
from eiso.legal.models import LegalDocument, UpdateTask
from eiso.legal.seeding import legal_register_seed
from eiso.organizations.models import QMS
from eiso.processes.services import process_create
from tests.catalog.conftest import SAMPLE as CATALOG_DATA_SAMPLE
from tests.catalog.conftest import read_jsonl

pytestmark = pytest.mark.django_db


def test_importing_the_detail_records_fills_the_register_once(db):
    # when: the 300 real detail records are imported (the import seeds the register)
    catalog_import(paths=[CATALOG_DATA_SAMPLE])
    # then: every distinct number is one legal document, linked to the procedures that cite it
    records = [r["data"] for r in read_jsonl(CATALOG_DATA_SAMPLE)]
    cited = {b["code"].strip().rstrip(".") for r in records for b in r.get("legalBasisesDetails") or []}
    documents = LegalDocument.objects.count()
    assert 0 < documents <= len(cited)
    decree = LegalDocument.objects.get(number="118/2025/NĐ-CP")
    assert decree.doc_type == "decree" and decree.issuer == "Chính phủ"
    citing = {r["code"] for r in records if any("118/2025/NĐ-CP" in (b["code"] or "")
                                                 for b in r.get("legalBasisesDetails") or [])}
    assert set(decree.procedures.values_list("code", flat=True)) == citing
    # and seeding again creates and links nothing more
    again = legal_register_seed()
    assert (again["created"], again["linked"], again["unreadable"]) == (0, 0, [])
    assert LegalDocument.objects.count() == documents


def test_a_re_imported_record_with_changed_legal_bases_opens_tasks_for_its_processes(world, tmp_path):
    # given: a real record imported, and a process of the own agency implementing it
    record = read_jsonl(CATALOG_DATA_SAMPLE)[0]
    first = tmp_path / "v1.jsonl"
    first.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    catalog_import(paths=[first])
    procedure = Procedure.objects.get(code=record["data"]["code"].strip())
    process = process_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="procedure", code="QT-09",
                             title="Quy trình thử", procedures=[procedure])
    # when: the portal publishes the record again with one more legal basis
    changed = copy.deepcopy(record)
    changed["data"]["legalBasisesDetails"] = [*changed["data"].get("legalBasisesDetails", []),
                                             {"code": "07/2026/TT-BTP", "name": "Thông tư sửa đổi"}]
    second = tmp_path / "v2.jsonl"
    second.write_text(json.dumps(changed, ensure_ascii=False) + "\n", encoding="utf-8")
    catalog_import(paths=[second])
    # then: one task for that process, and the new circular is in the register, linked
    task = UpdateTask.objects.get()
    assert (task.document, task.procedure, task.reason, task.status) == (
        process.document, procedure, "catalogue_change", "open")
    assert "legal_bases" in task.summary
    assert LegalDocument.objects.get(number="07/2026/TT-BTP").procedures.filter(pk=procedure.pk).exists()
