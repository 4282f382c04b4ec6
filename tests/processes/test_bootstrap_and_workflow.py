import datetime as dt
from decimal import Decimal

import pytest

from eiso.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.documents.models import Document, Revision
from eiso.processes.bootstrap import proposed_steps, qms_bootstrap
from eiso.processes.library import framework_manifest
from eiso.processes.models import Process
from eiso.processes.selectors import process_problems
from eiso.processes.services import process_steps_replace, process_transition, process_update

pytestmark = pytest.mark.django_db


def _bootstrapped(world, commune_procedures):
    qms_bootstrap(actor=world.users["iso_coordinator"], agency=world.own)
    return Process.objects.get(agency=world.own, procedures=commune_procedures["death"])


def test_bootstrap_creates_framework_documents_and_one_process_per_commune_procedure(world, commune_procedures):
    # when
    result = qms_bootstrap(actor=world.users["iso_coordinator"], agency=world.own)
    # then
    documents = len(framework_manifest()["documents"])
    assert result["framework_documents"] == documents == 10
    assert result["procedure_processes"] == 3
    processes = Process.objects.filter(agency=world.own, kind="procedure")
    assert sorted(processes.values_list("procedures__code", flat=True)) == ["1.000656", "1.000894", "1.001193"]
    assert Process.objects.filter(agency=world.own, kind="system").count() == 6
    assert Document.objects.filter(agency=world.own, kind="manual").count() == 1
    assert all(r.status == "draft" for r in Revision.objects.filter(agency=world.own))
    manual = Document.objects.get(agency=world.own, kind="manual").revisions.get()
    assert world.own.name in str(manual.content["sections"])
    assert "{{" not in str(manual.content["sections"])


def test_bootstrap_twice_creates_nothing_twice(world, commune_procedures):
    qms_bootstrap(actor=world.users["iso_coordinator"], agency=world.own)
    counts = (Process.objects.count(), Document.objects.count(), Revision.objects.count())
    second = qms_bootstrap(actor=world.users["iso_coordinator"], agency=world.own)
    assert (second["framework_documents"], second["procedure_processes"]) == (0, 0)
    assert (Process.objects.count(), Document.objects.count(), Revision.objects.count()) == counts


def test_bootstrap_is_refused_outside_the_actor_agency(world, commune_procedures):
    with pytest.raises(PermissionDeniedError):
        qms_bootstrap(actor=world.users["iso_coordinator"], agency=world.sibling)
    with pytest.raises(PermissionDeniedError):
        qms_bootstrap(actor=world.users["staff"], agency=world.own)
    assert not Process.objects.exists()


def test_proposed_steps_fit_the_shortest_case(world, commune_procedures):
    process = _bootstrapped(world, commune_procedures)
    hours = sum(s.hours for s in process.steps.all())
    assert hours == Decimal(24)  # the 3-working-day case, not the 5-day one
    assert [s.order for s in process.steps.all()] == [1, 2, 3, 4, 5]
    assert process.steps.last().duration_unit == "not_counted"
    assert process_problems(process=process) == []


@pytest.mark.parametrize("hours", [Decimal(1), Decimal(8), Decimal(24), Decimal(168)])
def test_proposed_steps_add_up_to_the_statutory_time(hours):
    steps = proposed_steps(hours=hours, level="commune")
    assert sum((s["duration"] or 0) for s in steps) == hours


def test_a_step_table_longer_than_the_deadline_cannot_be_submitted(world, commune_procedures):
    process = _bootstrapped(world, commune_procedures)
    coordinator = world.users["iso_coordinator"]
    process_steps_replace(actor=coordinator, process=process, steps=[
        {"action": "Tiếp nhận", "responsible": "Một cửa", "duration": Decimal(4), "duration_unit": "hour"},
        {"action": "Xử lý", "responsible": "Công chức", "duration": Decimal(3), "duration_unit": "day"},
    ])
    problems = process_problems(process=process)
    assert len(problems) == 1 and "1.000656.01" in problems[0]
    with pytest.raises(ApplicationError) as exc:
        process_transition(actor=coordinator, process=process, action="submit")
    assert exc.value.code == "process_invalid"
    assert process.document.revisions.get().status == "draft"


def test_steps_need_a_responsible_and_a_known_unit(world, commune_procedures):
    process = _bootstrapped(world, commune_procedures)
    before = list(process.steps.values_list("action", flat=True))
    with pytest.raises(ApplicationError) as exc:
        process_steps_replace(actor=world.users["iso_coordinator"], process=process, steps=[
            {"action": "Tiếp nhận", "responsible": "", "duration": 2, "duration_unit": "hour"},
            {"action": "Xử lý", "responsible": "X", "duration": 2, "duration_unit": "fortnight"},
        ])
    assert set(exc.value.errors) == {"steps.1.responsible", "steps.2.duration_unit"}
    assert list(process.steps.values_list("action", flat=True)) == before


def test_full_workflow_publishes_a_frozen_snapshot_and_supersedes(world, commune_procedures):
    process = _bootstrapped(world, commune_procedures)
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    # edit, submit, head approves, coordinator publishes
    process_steps_replace(actor=coordinator, process=process, steps=[
        {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"},
        {"action": "Giải quyết", "responsible": "Công chức Tư pháp - Hộ tịch", "duration": 2, "duration_unit": "day"},
    ])
    process_transition(actor=coordinator, process=process, action="submit")
    with pytest.raises(PermissionDeniedError):
        process_transition(actor=coordinator, process=process, action="approve")
    process_transition(actor=head, process=process, action="approve")
    revision = process_transition(actor=coordinator, process=process, action="publish")
    assert revision.status == "published"
    assert revision.effective_on == dt.date.today()
    assert revision.content["approval"]["approved_by"]["name"] == str(head)
    assert [s["action"] for s in revision.content["process"]["steps"]] == ["Tiếp nhận hồ sơ", "Giải quyết"]
    # a change starts issue 2; the published snapshot does not move
    process_update(actor=coordinator, process=process, data={"fees": "Không thu phí"})
    assert process.document.revisions.count() == 2
    revision.refresh_from_db()
    assert revision.content["process"]["fees"] != "Không thu phí"
    process_transition(actor=coordinator, process=process, action="submit")
    process_transition(actor=head, process=process, action="approve")
    second = process_transition(actor=coordinator, process=process, action="publish")
    revision.refresh_from_db()
    assert (revision.status, second.status, second.number) == ("superseded", "published", 2)
    assert [row["issue"] for row in second.content["amendments"]] == [1, 2]
    assert AuditLogEntry.objects.filter(object_id=str(second.pk), action="transition").count() == 3


def test_a_stale_approval_gets_a_conflict_and_changes_nothing(world, commune_procedures):
    process = _bootstrapped(world, commune_procedures)
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    process_transition(actor=coordinator, process=process, action="submit")
    revision = process.document.revisions.get()
    stale = Revision.objects.get(pk=revision.pk)  # what a second browser tab loaded
    from eiso.documents.services import revision_transition

    revision_transition(actor=head, revision=revision, action="approve")
    with pytest.raises(ConflictError):
        revision_transition(actor=head, revision=stale, action="approve")
    assert revision.events.filter(action="approve").count() == 1


def test_return_needs_a_comment(world, commune_procedures):
    process = _bootstrapped(world, commune_procedures)
    process_transition(actor=world.users["iso_coordinator"], process=process, action="submit")
    with pytest.raises(ApplicationError) as exc:
        process_transition(actor=world.users["agency_head"], process=process, action="return")
    assert exc.value.code == "comment_required"
    process_transition(actor=world.users["agency_head"], process=process, action="return", comment="Sửa bước 2")
    assert process.document.revisions.get().status == "draft"


def test_bootstrap_command_is_idempotent(world, commune_procedures):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bootstrap_qms", "--agency", world.own.code, stdout=out)
    assert "10 framework documents and 3 procedure processes" in out.getvalue()
    call_command("bootstrap_qms", "--agency", world.own.code, stdout=out)
    assert "0 framework documents and 0 procedure processes" in out.getvalue()


def test_a_new_qms_starts_from_an_existing_one_without_changing_it(world, commune_procedures):
    from eiso.processes.bootstrap import qms_start_from

    process = _bootstrapped(world, commune_procedures)
    source = process.qms
    before = Document.objects.filter(qms=source).count()
    # the head of the merged successor (here: the sibling commune's, given a role) starts from it
    successor_head = world.users["admin"]
    target = qms_start_from(actor=successor_head, source=source, agency=world.sibling, code="HTQLCL-2026")
    assert Document.objects.filter(qms=target).count() == before
    copied = Process.objects.get(qms=target, code=process.code)
    assert list(copied.steps.values_list("action", flat=True)) == list(process.steps.values_list("action", flat=True))
    assert list(copied.procedures.all()) == list(process.procedures.all())
    assert all(r.status == "draft" and r.number == 1 for r in Revision.objects.filter(document__qms=target))
    assert Document.objects.filter(qms=source).count() == before
    with pytest.raises(PermissionDeniedError):
        qms_start_from(actor=world.users["iso_coordinator"], source=source, agency=world.sibling, code="X")


def test_bootstrap_rows_hold_what_saving_them_would_compute(world, commune_procedures):
    # given: the bootstrap writes rows without save(), computing the derived columns itself
    qms_bootstrap(actor=world.users["iso_coordinator"], agency=world.own)
    processes = list(Process.objects.filter(agency=world.own).prefetch_related("procedures"))
    documents = list(Document.objects.filter(agency=world.own))
    revisions = list(Revision.objects.filter(agency=world.own))
    rows = [*processes, *documents, *revisions]
    stored = {obj.pk: obj.search_text for obj in rows}
    # when: each row is saved through the model
    for obj in rows:
        obj.save()
    # then: nothing changed
    assert {obj.pk: obj.search_text for obj in rows} == stored
    assert all(obj.search_text for obj in [*processes, *documents])
    assert any("so tay chat luong" in r.search_text for r in revisions)  # the manual's content is searchable
    death = Process.objects.get(agency=world.own, procedures=commune_procedures["death"])
    assert death.document.revisions.get().drafted_by == world.users["iso_coordinator"]
    assert [f.code for f in death.forms.order_by("code")] == ["BM.01", "BM.02", "BM.03", "BM.04", "BM.05"]


def test_a_wave_bootstraps_each_agency_and_reports_the_refused_one_without_stopping(world, commune_procedures):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eiso.processes.bootstrap import qms_bootstrap_many

    # given: an administrator builds a wave of two communes
    calls = []
    with CaptureQueriesContext(connection) as queries:
        results = qms_bootstrap_many(actor=world.users["admin"], agencies=[world.sibling, world.foreign],
                                     progress=lambda done, total: calls.append((done, total)))
    # then: both built, the catalogue read once (one query on the procedures table for the two agencies)
    assert [(r["agency"], r["procedure_processes"]) for r in results] == [
        (world.sibling.code, 3), (world.foreign.code, 3)]
    assert calls == [(1, 2), (2, 2)]
    catalogue_reads = [q for q in queries.captured_queries
                       if 'FROM "catalog_procedure"' in q["sql"] and "is_commune_level" in q["sql"]]
    assert len(catalogue_reads) == 1
    # when: a coordinator runs a wave over a sibling commune and their own
    sibling_processes = Process.objects.filter(agency=world.sibling).count()
    results = qms_bootstrap_many(actor=world.users["iso_coordinator"], agencies=[world.sibling, world.own])
    # then: the sibling is refused and reported (in Vietnamese), their own is built
    assert results[0]["agency"] == world.sibling.code and "Thư ký ISO" in results[0]["error"]
    assert results[1]["procedure_processes"] == 3
    assert Process.objects.filter(agency=world.sibling).count() == sibling_processes


def test_bootstrap_command_builds_every_agency_of_a_province(world, commune_procedures):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("bootstrap_qms", "--province", world.province.code, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert f"{world.own.code}: 10 framework documents and 3 procedure processes" in text
    assert f"{world.sibling.code}: 10 framework documents and 3 procedure processes" in text
    assert world.foreign.code not in text
    assert Process.objects.filter(agency=world.foreign).count() == 0
    with pytest.raises(CommandError, match="Unknown agency code NOPE"):
        call_command("bootstrap_qms", "--agency", "NOPE")
    with pytest.raises(CommandError, match="--agency"):
        call_command("bootstrap_qms")
