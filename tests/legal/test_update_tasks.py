"""The legal register and the 3-month rule: recording a legal change creates exactly the update tasks it
should, publishing closes them, overdue ones are visible to the supervising authority."""

import datetime as dt

import pytest
from django.urls import reverse

from eiso.catalog.models import Procedure
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.documents.services import document_create, revision_transition
from eiso.legal.models import LegalDocument, LegalRelation, UpdateTask
from eiso.legal.services import (
    legal_document_record,
    legal_relation_add,
    update_task_dismiss,
    update_tasks_for_procedure_changes,
)
from eiso.organizations.models import QMS
from eiso.processes.services import process_create

pytestmark = pytest.mark.django_db


def _process(agency, code, procedure):
    qms = QMS.objects.get(agency=agency)
    return process_create(actor=None, qms=qms, kind="procedure", code=code, title=f"Quy trình {code}",
                          procedures=[procedure])


def _publish(document, head, coordinator):
    revision = document.revisions.order_by("-number").first()
    for actor, action in ((coordinator, "submit"), (head, "review"), (head, "approve"), (head, "publish")):
        revision = revision_transition(actor=actor, revision=revision, action=action)
    return revision


@pytest.fixture
def basis_world(world):
    """A circular (01/2022/TT-BTP) is a legal basis of two procedures; five processes in three agencies
    rest on it, one process of the own agency does not."""
    basis = LegalDocument.objects.create(doc_type="circular", number="01/2022/TT-BTP", key="1/2022/TT-BTP",
                                         title="Quy định chi tiết hộ tịch", issued_on=dt.date(2022, 1, 4))
    other = LegalDocument.objects.create(doc_type="decree", number="87/2020/NĐ-CP", key="87/2020/NĐ-CP")
    birth = Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh", is_commune_level=True)
    death = Procedure.objects.create(code="1.000656", name="Thủ tục đăng ký khai tử", is_commune_level=True)
    unrelated = Procedure.objects.create(code="1.000894", name="Thủ tục đăng ký kết hôn", is_commune_level=True)
    basis.procedures.add(birth, death)
    other.procedures.add(unrelated)
    processes = [
        _process(world.own, "QT-01", birth), _process(world.own, "QT-02", death),
        _process(world.sibling, "QT-01", birth), _process(world.sibling, "QT-02", death),
        _process(world.foreign, "QT-01", birth),
    ]
    control = _process(world.own, "QT-03", unrelated)
    return {"basis": basis, "processes": processes, "control": control, "birth": birth}


def test_a_circular_replacing_a_basis_creates_one_task_per_affected_process(world, basis_world):
    # when: a new circular, effective 15/01/2026, replaces the basis
    new = legal_document_record(
        actor=world.users["admin"], number="Thông tư số 05/2026/TT-BTP ngày 02/01/2026 của Bộ trưởng Bộ Tư pháp",
        effective_on=dt.date(2026, 1, 15), relations=[("replaces", basis_world["basis"])])
    # then: exactly the five processes, each due 15/04/2026
    tasks = UpdateTask.objects.filter(legal_document=new)
    assert sorted(t.document_id for t in tasks) == sorted(p.document_id for p in basis_world["processes"])
    assert {t.due_on for t in tasks} == {dt.date(2026, 4, 15)}
    assert {t.agency_id for t in tasks} == {world.own.pk, world.sibling.pk, world.foreign.pk}
    assert all(t.basis == basis_world["basis"] and t.status == "open" for t in tasks)
    assert (new.number, new.doc_type, new.issued_on) == ("05/2026/TT-BTP", "circular", dt.date(2026, 1, 2))
    assert AuditLogEntry.objects.filter(object_id__in=[str(t.pk) for t in tasks], action="create").count() == 5
    # and recording the same relation again, or re-running, creates nothing twice
    with pytest.raises(ApplicationError):
        legal_relation_add(actor=world.users["admin"], source=new, kind="replaces", target=basis_world["basis"])
    assert UpdateTask.objects.count() == 5


def test_publishing_a_new_revision_closes_the_task_of_that_document_only(world, basis_world):
    new = legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP",
                                effective_on=dt.date(2026, 1, 15), relations=[("amends", basis_world["basis"])])
    first = basis_world["processes"][0]
    # when
    revision = _publish(first.document, world.users["agency_head"], world.users["iso_coordinator"])
    # then
    task = UpdateTask.objects.get(document=first.document)
    assert (task.status, task.revision, task.closed_by) == ("done", revision, world.users["agency_head"])
    assert UpdateTask.objects.filter(legal_document=new, status="open").count() == 4


def test_overdue_tasks_show_for_the_supervisor_of_the_province_only(world, basis_world, client):
    legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                          relations=[("replaces", basis_world["basis"])])
    supervisor = world.users["supervisor"]
    # when
    seen = UpdateTask.objects.restrict(supervisor, "view")
    # then: today (23/11/2026 or later) is past 15/04/2026; Lào Cai's four, not Hà Nội's one
    assert {t.agency_id for t in seen} == {world.own.pk, world.sibling.pk}
    client.force_login(supervisor)
    page = client.get("/legal/update-tasks/?overdue=true").content.decode()
    assert page.count("Quy trình QT-01") == 2 and page.count("Quy trình QT-02") == 2
    assert world.foreign.name not in page


def test_a_document_linked_directly_to_the_basis_is_affected_too(world, basis_world):
    qms = QMS.objects.get(agency=world.own)
    manual = document_create(actor=None, qms=qms, kind="manual", code="STCL", title="Sổ tay chất lượng")
    basis_world["basis"].documents.add(manual)
    new = legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP", effective_on=dt.date(2026, 3, 31),
                                relations=[("partly_replaces", basis_world["basis"])])
    assert UpdateTask.objects.filter(legal_document=new).count() == 6
    assert UpdateTask.objects.get(document=manual).due_on == dt.date(2026, 6, 30)


def test_without_an_effective_date_no_task_is_created_yet(world, basis_world):
    legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP",
                          relations=[("replaces", basis_world["basis"])])
    assert not UpdateTask.objects.exists()


def test_a_guiding_document_creates_no_task(world, basis_world):
    legal_document_record(actor=world.users["admin"], number="06/2026/TT-BTP", effective_on=dt.date(2026, 2, 1),
                          relations=[("guides", basis_world["basis"])])
    assert not UpdateTask.objects.exists()


def test_a_circular_chain_of_replacements_is_refused_and_nothing_changes(world, basis_world):
    admin = world.users["admin"]
    a = basis_world["basis"]
    b = legal_document_record(actor=admin, number="05/2026/TT-BTP", relations=[("replaces", a)])
    c = legal_document_record(actor=admin, number="07/2026/TT-BTP", relations=[("replaces", b)])
    relations = LegalRelation.objects.count()
    with pytest.raises(ApplicationError) as exc:
        legal_relation_add(actor=admin, source=a, kind="replaces", target=c)
    assert exc.value.code == "relation_cycle"
    assert LegalRelation.objects.count() == relations
    with pytest.raises(ApplicationError):
        legal_relation_add(actor=admin, source=a, kind="replaces", target=a)


def test_an_unreadable_number_is_refused_with_a_clear_error(world):
    with pytest.raises(ApplicationError) as exc:
        legal_document_record(actor=world.users["admin"], number="Luật Xây dựng")
    assert exc.value.code == "invalid_legal_number" and "03/2023/TT-BTP" in str(exc.value.message)
    assert not LegalDocument.objects.exists()


def test_only_administrators_and_supervisors_record_legal_documents(world):
    with pytest.raises(PermissionDeniedError):
        legal_document_record(actor=world.users["iso_coordinator"], number="05/2026/TT-BTP")
    document = legal_document_record(actor=world.users["supervisor"], number="05/2026/TT-BTP")
    assert document.pk and LegalDocument.objects.count() == 1
    with pytest.raises(ApplicationError):  # the same number twice
        legal_document_record(actor=world.users["supervisor"], number="05/2026/TT-BTP")


def test_dismissing_needs_a_justification_and_the_right(world, basis_world):
    legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                          relations=[("replaces", basis_world["basis"])])
    task = UpdateTask.objects.filter(agency=world.own).first()
    with pytest.raises(ApplicationError):
        update_task_dismiss(actor=world.users["iso_coordinator"], task=task, justification="  ")
    with pytest.raises(PermissionDeniedError):
        update_task_dismiss(actor=world.users["staff"], task=task, justification="Không ảnh hưởng")
    task.refresh_from_db()
    assert task.status == "open"
    done = update_task_dismiss(actor=world.users["iso_coordinator"], task=task,
                               justification="Thông tư mới không thay đổi trình tự giải quyết")
    assert (done.status, done.closed_by) == ("dismissed", world.users["iso_coordinator"])


def test_a_changed_catalogue_record_creates_tasks_for_its_processes(world, basis_world):
    # when
    created = update_tasks_for_procedure_changes(actor=None, procedures=[basis_world["birth"]],
                                                 on=dt.date(2026, 11, 30))
    # then: the three processes of the birth procedure, due 28/02/2027; not twice
    assert len(created) == 3 and {t.due_on for t in created} == {dt.date(2027, 2, 28)}
    assert update_tasks_for_procedure_changes(actor=None, procedures=[basis_world["birth"]]) == []


def test_heads_and_coordinators_are_reminded_of_due_tasks_once_a_week(world, basis_world, mailoutbox):
    import datetime as dt

    from django.utils import timezone

    from eiso.legal.reminders import update_task_reminders_send

    for role in ("agency_head", "iso_coordinator", "staff"):
        world.users[role].email = f"{role}@camduong.gov.vn"
        world.users[role].save()
    legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                          relations=[("replaces", basis_world["basis"])])
    now = timezone.now()
    # when
    counts = update_task_reminders_send(now=now)
    # then: the own agency's message goes to its head and coordinator (not staff), listing its two tasks
    own = [m for m in mailoutbox if "agency_head@camduong.gov.vn" in m.to]
    assert len(own) == 1 and sorted(own[0].to) == ["agency_head@camduong.gov.vn", "iso_coordinator@camduong.gov.vn"]
    assert "QT-01" in own[0].body and "QT-02" in own[0].body and "15/04/2026" in own[0].body
    assert counts["tasks"] >= 2 and not any("staff@" in address for m in mailoutbox for address in m.to)
    # a second run within the week sends nothing; a week later, again
    sent = len(mailoutbox)
    assert update_task_reminders_send(now=now + dt.timedelta(days=1))["messages"] == 0
    assert len(mailoutbox) == sent
    assert update_task_reminders_send(now=now + dt.timedelta(days=8))["messages"] >= 1


def test_a_document_is_linked_to_a_basis_by_number_and_then_gets_the_tasks(client, world, basis_world):
    qms = QMS.objects.get(agency=world.own)
    manual = document_create(actor=None, qms=qms, kind="manual", code="STCL", title="Sổ tay chất lượng")
    client.force_login(world.users["iso_coordinator"])
    url = reverse("legal:document_bases", args=[manual.pk])
    # an unknown number is refused with a message, nothing linked
    client.post(url, {"number": "99/2026/TT-BTP"})
    assert not manual.legal_documents.exists()
    # the register's number (another spelling) links it; the page lists it
    client.post(url, {"number": "Thông tư số 01/2022/TT-BTP"})
    assert list(manual.legal_documents.all()) == [basis_world["basis"]]
    assert "01/2022/TT-BTP" in client.get(manual.get_absolute_url()).content.decode()
    # the process page lists the bases of its procedure
    process = basis_world["processes"][0]
    page = client.get(process.get_absolute_url()).content.decode()
    assert 'id="legal-bases"' in page and "01/2022/TT-BTP" in page and process.procedures.get().code in page
    # and a replacement now opens a task for the manual too
    legal_document_record(actor=world.users["admin"], number="05/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                          relations=[("replaces", basis_world["basis"])])
    assert UpdateTask.objects.filter(document=manual).count() == 1
