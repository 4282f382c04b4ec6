"""Mergers: recorded by the province's supervising authority (refused otherwise, or when the agencies cannot be
merged, with nothing changed); the successor's people read their predecessors' QMS and change nothing there; both
histories are kept; the successor can start its own QMS from one predecessor; the re-announcement prompt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import Role, forget_scope
from eiso.documents.models import Document
from eiso.documents.services import document_create
from eiso.improvement.models import Nonconformity
from eiso.improvement.services import nonconformity_raise
from eiso.objectives.models import QualityPolicy
from eiso.objectives.services import policy_approve, policy_draft_save
from eiso.organizations import mergers
from eiso.organizations.mergers import merger_record, merger_start_from_predecessor, mergers_in, predecessors_of
from eiso.organizations.models import QMS, Agency
from eiso.processes.models import Process
from eiso.processes.services import process_create, process_steps_replace
from tests.conftest import login
from tests.factories import AgencyFactory, CommuneFactory, supervising, user_with_role

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)
BASIS = "Nghị quyết 1670/NQ-UBTVQH15"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def new_successor(world, **changes):
    return {"code": "UBND-MOI", "name": "Ủy ban nhân dân phường Mới", "kind": "peoples_committee",
            "admin_unit": CommuneFactory(parent=world.province), **changes}


def state():
    """What a refused merger must leave as it was."""
    return (sorted(Agency.objects.values_list("code", "valid_to")),
            sorted(Agency.successors.through.objects.values_list("from_agency_id", "to_agency_id")),
            AuditLogEntry.objects.count())


def merged(world):
    """The sibling commune merged into own on 01/03/2026."""
    merger_record(actor=world.users["supervisor"], predecessors=[world.sibling], successor=world.own,
                  effective_on=ON, legal_basis=BASIS)
    for user in world.users.values():
        forget_scope(user)


# --- Recording ---------------------------------------------------------------------------------------------------


def test_the_supervisor_merges_two_communes_into_a_new_committee(world):
    # when
    merger = merger_record(actor=world.users["supervisor"], predecessors=[world.own, world.sibling],
                           new_successor=new_successor(world), effective_on=ON, legal_basis=BASIS)
    # then the successor exists from the date, the predecessors end the day before and point to it
    successor = Agency.objects.get(code="UBND-MOI")
    assert merger.successor == successor and successor.valid_from == ON and successor.valid_to is None
    for agency in (world.own, world.sibling):
        agency.refresh_from_db()
        assert agency.valid_to == dt.date(2026, 2, 28)
        assert list(agency.successors.all()) == [successor]
    # audited, with the legal basis, and listed with it
    entry = AuditLogEntry.objects.filter(object_id=str(successor.pk), changes__has_key="legal_basis").get()
    assert entry.changes["legal_basis"] == [None, BASIS]
    [listed] = mergers_in(provinces={world.province.pk})
    assert (listed.successor, listed.effective_on, listed.legal_basis) == (successor, ON, BASIS)
    assert listed.predecessors == sorted([world.own, world.sibling], key=lambda a: a.name)
    assert listed.is_new_successor and listed.recorded_by == world.users["supervisor"].username
    assert mergers_in(provinces={world.other_province.pk}) == []


def test_one_agency_merges_into_an_existing_one(world):
    merged(world)
    world.sibling.refresh_from_db()
    assert world.sibling.valid_to == dt.date(2026, 2, 28)
    assert predecessors_of(world.own) == [world.sibling]
    assert AuditLogEntry.objects.filter(object_id=str(world.sibling.pk), note__contains=BASIS).exists()


@pytest.mark.parametrize("case", ["itself", "other_province", "ended", "successor_ended", "one_into_new",
                                  "no_basis", "no_date", "no_successor", "new_in_other_province"])
def test_merging_what_cannot_be_merged_is_refused_and_nothing_changes(world, case):
    supervisor = world.users["supervisor"]
    ended = AgencyFactory(admin_unit=CommuneFactory(parent=world.province), valid_to=dt.date(2025, 6, 30))
    closed_successor = AgencyFactory(admin_unit=CommuneFactory(parent=world.province), valid_to=dt.date(2025, 6, 30))
    kwargs = {"actor": supervisor, "predecessors": [world.sibling], "successor": world.own, "effective_on": ON,
              "legal_basis": BASIS}
    kwargs |= {
        "itself": {"predecessors": [world.sibling, world.own]},
        "other_province": {"predecessors": [world.sibling, world.foreign]},
        "ended": {"predecessors": [ended]},
        "successor_ended": {"successor": closed_successor},
        "one_into_new": {"successor": None, "new_successor": new_successor(world)},
        "no_basis": {"legal_basis": "  "},
        "no_date": {"effective_on": None},
        "no_successor": {"successor": None},
        "new_in_other_province": {"successor": None, "predecessors": [world.own, world.sibling],
                                  "new_successor": new_successor(world, admin_unit=CommuneFactory(
                                      parent=world.other_province))},
    }[case]
    before = state()
    with pytest.raises(ApplicationError) as exc:
        merger_record(**kwargs)
    assert exc.value.message and exc.value.code != "invalid"
    assert state() == before


@pytest.mark.parametrize("who", ["agency_head", "iso_coordinator", "national", "other_supervisor"])
def test_only_the_supervising_authority_records_a_merger(world, who):
    if who == "national":
        user = user_with_role(Role.NATIONAL_SUPERVISOR, AgencyFactory(kind="ministry", admin_unit=world.other_province))
    elif who == "other_supervisor":
        other = AgencyFactory(kind="department", admin_unit=world.other_province)
        supervising(other)
        user = user_with_role(Role.SUPERVISOR, other)
    else:
        user = world.users[who]
    before = state()
    with pytest.raises(PermissionDeniedError):
        merger_record(actor=user, predecessors=[world.sibling], successor=world.own, effective_on=ON,
                      legal_basis=BASIS)
    assert state() == before


def test_the_merger_pages(client, world):
    login(client, world.users["supervisor"])
    form = client.get(reverse("organizations:merger_add"))
    assert form.status_code == 200 and world.foreign.name not in form.content.decode()
    response = client.post(reverse("organizations:merger_add"), {
        "predecessors": [str(world.own.pk), str(world.sibling.pk)], "new_code": "UBND-MOI",
        "new_name": "Ủy ban nhân dân phường Mới", "new_kind": "peoples_committee",
        "new_admin_unit": CommuneFactory(parent=world.province).code, "effective_on": "2026-03-01",
        "legal_basis": BASIS})
    successor = Agency.objects.get(code="UBND-MOI")
    assert response.status_code == 302 and str(successor.pk) in response["Location"]
    listing = client.get(reverse("organizations:merger_list")).content.decode()
    assert BASIS in listing and successor.name in listing and "01/03/2026" in listing
    # a refused merger is explained on the form
    again = client.post(reverse("organizations:merger_add"), {
        "predecessors": [str(successor.pk)], "successor": str(successor.pk), "effective_on": "2026-04-01",
        "legal_basis": BASIS})
    assert again.status_code == 200 and "cannot be merged into itself" in again.content.decode()
    # agency people do not record mergers nor see the list
    login(client, world.users["agency_head"])
    assert client.get(reverse("organizations:merger_list")).status_code == 403
    assert client.post(reverse("organizations:merger_add"), {}).status_code == 403


# --- Read-only access of the successor to its predecessors -------------------------------------------------------


@pytest.fixture
def predecessor_records(world):
    """The sibling's QMS: a procedure process with its steps, a quality policy in force, a nonconformity."""
    qms = QMS.objects.get(agency=world.sibling)
    qms.scope = "Toàn bộ thủ tục hành chính của xã Bảo Hà"
    qms.save()
    process = process_create(actor=None, qms=qms, kind="procedure", code="QT-01", title="Đăng ký khai sinh",
                             data={"purpose": "Giải quyết đúng hạn", "fees": "Miễn phí"})
    process_steps_replace(actor=None, process=process, steps=[
        {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"},
        {"action": "Thẩm định", "responsible": "Công chức Tư pháp", "duration": Decimal("1"), "duration_unit": "day"}])
    policy_approve(actor=None, policy=policy_draft_save(actor=None, agency=world.sibling,
                                                        text="Chính sách chất lượng của xã Bảo Hà"))
    nonconformity = nonconformity_raise(actor=None, agency=world.sibling, description="Hồ sơ trễ hạn của xã Bảo Hà")
    manual = document_create(actor=None, qms=qms, kind="manual", code="STCL", title="Sổ tay chất lượng xã Bảo Hà")
    return {"process": process, "nonconformity": nonconformity, "manual": manual}


def test_the_successor_reads_the_predecessor_records(client, world, predecessor_records):
    merged(world)
    process, nonconformity = predecessor_records["process"], predecessor_records["nonconformity"]
    login(client, world.users["agency_head"])
    assert client.get(reverse("processes:process_detail", args=[process.pk])).status_code == 200
    manual = predecessor_records["manual"]
    assert client.get(reverse("documents:document_detail", args=[manual.pk])).status_code == 200
    assert client.get(reverse("improvement:nonconformity_detail", args=[nonconformity.pk])).status_code == 200
    page = client.get(reverse("organizations:predecessors")).content.decode()
    assert reverse("processes:process_detail", args=[process.pk]) in page  # the predecessor's processes, listed
    ncs = client.get(reverse("improvement:nonconformity_list"), {"agency": world.sibling.pk}).content.decode()
    assert "Hồ sơ trễ hạn của xã Bảo Hà" in ncs


def test_every_write_on_a_predecessor_record_is_refused(client, api_client, world, predecessor_records):
    merged(world)
    process, nonconformity = predecessor_records["process"], predecessor_records["nonconformity"]
    manual = predecessor_records["manual"]
    head = world.users["agency_head"]
    before = (Process.objects.filter(pk=process.pk).values_list("title", "purpose").get(),
              list(process.document.revisions.values_list("status", flat=True)),
              Nonconformity.objects.filter(pk=nonconformity.pk).values_list("description", "status").get(),
              list(process.steps.values_list("action", flat=True)),
              list(manual.revisions.values_list("status", flat=True)))
    login(client, head)
    assert client.get(reverse("processes:process_edit", args=[process.pk])).status_code == 403
    assert client.post(reverse("processes:process_edit", args=[process.pk]),
                       {"title": "Đổi", "purpose": "Đổi"}).status_code == 403
    assert client.post(reverse("processes:process_steps", args=[process.pk]), {}).status_code in (403, 404)
    assert client.post(reverse("documents:document_transition", args=[process.document.pk]),
                       {"action": "submit"}).status_code == 403
    assert client.post(reverse("improvement:nonconformity_edit", args=[nonconformity.pk]),
                       {"description": "Đổi"}).status_code == 403
    api_client.force_login(head)
    assert api_client.patch(f"/api/v1/processes/{process.pk}/", {"title": "Đổi"},
                            format="json").status_code in (403, 404)
    assert api_client.post(f"/api/v1/nonconformities/{nonconformity.pk}/transition/",
                           {"action": "analyse", "note": "Đổi"}, format="json").status_code in (403, 404)
    assert api_client.post(f"/api/v1/documents/{manual.pk}/transition/", {"action": "submit"},
                           format="json").status_code in (403, 404)
    after = (Process.objects.filter(pk=process.pk).values_list("title", "purpose").get(),
             list(process.document.revisions.values_list("status", flat=True)),
             Nonconformity.objects.filter(pk=nonconformity.pk).values_list("description", "status").get(),
             list(process.steps.values_list("action", flat=True)),
             list(manual.revisions.values_list("status", flat=True)))
    assert after == before


def test_both_histories_are_kept(client, world, predecessor_records):
    from eiso.calendars.services import holidays_seed_year
    from eiso.catalog.models import Procedure, ProcedureCase
    from eiso.dossiers.models import Dossier
    from eiso.dossiers.services import dossier_receive

    holidays_seed_year(year=dt.date.today().year)
    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký kết hôn")
    case = ProcedureCase.objects.create(procedure=procedure, code="1.000894.01", name="Đăng ký kết hôn",
                                        duration=Decimal(3), duration_unit="working_day")
    dossier = dossier_receive(actor=None, agency=world.sibling, procedure=procedure, case=case,
                              applicant={"name": "Nguyễn Văn Lịch Sử", "phone": "0900000009"})
    merged(world)
    # the predecessor's records stay attached to it
    assert Dossier.objects.get(pk=dossier.pk).agency == world.sibling
    assert Document.objects.get(pk=predecessor_records["process"].document.pk).agency == world.sibling
    # and list under it, for the successor's people too
    staff = world.users["staff"]
    login(client, staff)
    assert client.get(reverse("dossiers:dossier_detail", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("documents:document_detail", args=[predecessor_records["manual"].pk])).status_code == 200
    api_client = APIClient()
    api_client.force_login(staff)
    listed = api_client.get("/api/v1/dossiers/", {"agency": str(world.sibling.pk)}).json()["results"]
    assert [row["id"] for row in listed] == [str(dossier.pk)]
    # the successor's own lists do not absorb them
    own = client.get(reverse("dossiers:dossier_list")).content.decode()
    assert "Nguyễn Văn Lịch Sử" not in own and dossier.code not in own
    own_documents = client.get(reverse("documents:document_list"), {"agency": world.own.pk}).content.decode()
    assert "Đăng ký khai sinh" not in own_documents


# --- The predecessors page -----------------------------------------------------------------------------------------


def test_the_predecessors_page(client, world, monkeypatch):
    merged(world)
    login(client, world.users["staff"])
    page = client.get(reverse("organizations:predecessors")).content.decode()
    assert world.sibling.name in page and "Ended on 28/02/2026" in page
    assert f"{reverse('processes:process_list')}?agency={world.sibling.pk}" in page
    assert f"{reverse('documents:document_list')}?agency={world.sibling.pk}" in page
    assert "Start our QMS from this agency" not in page  # staff do not start the QMS
    # the supervisor opens it for the successor; other agencies' people do not
    login(client, world.users["supervisor"])
    assert world.sibling.name in client.get(reverse("organizations:predecessors"),
                                            {"agency": world.own.pk}).content.decode()
    login(client, user_with_role(Role.STAFF, world.foreign))
    assert client.get(reverse("organizations:predecessors"), {"agency": world.own.pk}).status_code == 404
    # the re-announcement prompt, from the announcements app's contract
    monkeypatch.setattr(mergers, "reannouncement_reasons", lambda agency: ["Xã Bảo Hà was merged into this agency"])
    login(client, world.users["agency_head"])
    page = client.get(reverse("organizations:predecessors")).content.decode()
    assert "Re-announcement due" in page and "Xã Bảo Hà was merged into this agency" in page
    assert "Prepare re-announcement" in page and f'href="{reverse("announcements:announcement_add")}"' in page


def test_the_reannouncement_reasons_include_the_merger(world):
    from eiso.announcements.services import announcement_record

    announcement_record(actor=None, agency=world.own, signed_on=dt.date(2026, 1, 5), number=3,
                        signer_name="Trần Văn Thủ Trưởng")
    assert mergers.reannouncement_reasons(world.own) == []
    merged(world)
    reasons = mergers.reannouncement_reasons(world.own)
    assert len(reasons) == 1 and world.sibling.name in reasons[0]


# --- Start from a predecessor ---------------------------------------------------------------------------------------


def test_the_coordinator_starts_the_successor_qms_from_a_predecessor(client, world, predecessor_records):
    merged(world)
    login(client, world.users["iso_coordinator"])
    page = client.get(reverse("organizations:predecessors")).content.decode()
    assert "Start our QMS from this agency" in page
    response = client.post(reverse("organizations:predecessor_start", args=[world.sibling.pk]))
    assert response.status_code == 302
    # the successor has the process as a draft of issue 1, with the content and the steps, not the history
    copy = Process.objects.get(agency=world.own, code="QT-01")
    assert (copy.title, copy.purpose, copy.fees) == ("Đăng ký khai sinh", "Giải quyết đúng hạn", "Miễn phí")
    assert list(copy.steps.values_list("order", "action")) == [(1, "Tiếp nhận hồ sơ"), (2, "Thẩm định")]
    assert list(copy.document.revisions.values_list("number", "status")) == [(1, "draft")]
    assert QMS.objects.get(agency=world.own).scope == "Toàn bộ thủ tục hành chính của xã Bảo Hà"
    policy = QualityPolicy.objects.get(agency=world.own)
    assert (policy.text, policy.status) == ("Chính sách chất lượng của xã Bảo Hà", "draft")
    # the predecessor is unchanged
    assert Process.objects.filter(agency=world.sibling).count() == 1
    assert QualityPolicy.objects.get(agency=world.sibling).status == "approved"
    assert AuditLogEntry.objects.filter(agency=world.own, note__contains="QMS started from the predecessor").exists()
    # a second start is refused, saying what to do, and copies nothing more
    with pytest.raises(ApplicationError) as exc:
        merger_start_from_predecessor(actor=world.users["iso_coordinator"], successor=world.own,
                                      predecessor=world.sibling)
    assert exc.value.code == "successor_has_processes" and "one by one" in exc.value.message
    assert Process.objects.filter(agency=world.own).count() == 1


def test_starting_from_a_predecessor_is_refused_when_it_should(world, predecessor_records):
    merged(world)
    for user in (world.users["staff"], world.users["auditor"], world.users["supervisor"]):
        with pytest.raises(PermissionDeniedError):
            merger_start_from_predecessor(actor=user, successor=world.own, predecessor=world.sibling)
    with pytest.raises(ApplicationError) as exc:
        merger_start_from_predecessor(actor=world.users["agency_head"], successor=world.own,
                                      predecessor=world.foreign)
    assert exc.value.code == "not_a_predecessor"
    assert not Process.objects.filter(agency=world.own).exists()
    assert not QualityPolicy.objects.filter(agency=world.own).exists()
