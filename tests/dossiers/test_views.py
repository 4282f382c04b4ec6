"""The one-stop desk's pages: the receipt form, the list and its filters, a dossier's page with its control
slip, the actions posted from it, and who may see and act."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.catalog.models import ProcedureCase
from eiso.dossiers.choices import DossierStatus, Outcome
from eiso.dossiers.models import Dossier, DossierEvent
from eiso.dossiers.services import dossier_receive, dossier_step_complete
from tests.conftest import login
from tests.dossiers.conftest import APPLICANT, at, frozen
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

COMPONENTS = [{"name": "Tờ khai đăng ký kết hôn", "kind": "original", "quantity": 1},
              {"name": "Giấy xác nhận tình trạng hôn nhân", "kind": "original", "quantity": 1}]


def url(name, dossier=None):
    return reverse(f"dossiers:{name}", args=[dossier.pk] if dossier is not None else [])


def enter(client, user):
    """Signed in, the pages in English (the messages are asserted in English)."""
    login(client, user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pdf(dossier, kind):
    return reverse("dossiers:dossier_pdf", args=[dossier.pk, kind])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def current(dossier):
    return dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """The pages are visited at frozen moments, days away from the real clock the session was opened on."""
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


@pytest.fixture
def officer(world):
    return user_with_role("staff", world.own)


@pytest.fixture
def desk(client, world, calendar, process):
    process.dossier_components = COMPONENTS
    process.save(update_fields=["dossier_components"])
    return enter(client, world.users["staff"])


def receipt_data(procedure, **overrides):
    data = {"procedure": procedure.pk, "case": procedure.cases.get().pk, "applicant_kind": "person",
            "applicant_name": APPLICANT["name"], "applicant_id_number": APPLICANT["id_number"],
            "applicant_phone": APPLICANT["phone"], "applicant_address": APPLICANT["address"], "channel": "direct",
            "components": ["0"], "submitted_at": "", "decision": "accept", "reason": ""}
    return {**data, **overrides}


# --- Receipt --------------------------------------------------------------------------------------------------


def test_the_receipt_form_lists_the_desk_procedures_and_the_checklist_of_the_process(desk, procedure):
    page = desk.get(url("dossier_receive"))
    assert page.status_code == 200
    assert procedure.name in page.content.decode()
    options = desk.get(url("dossier_receive_options"), {"procedure": procedure.pk}, HTTP_HX_REQUEST="true")
    text = options.content.decode()
    assert COMPONENTS[0]["name"] in text and COMPONENTS[1]["name"] in text
    assert "1.000001.01" in text
    by_code = desk.get(url("dossier_receive_options"), {"procedure_code": "1.000001"}, HTTP_HX_REQUEST="true")
    assert COMPONENTS[1]["name"] in by_code.content.decode()


def test_an_accepted_dossier_gets_a_code_and_an_appointment(desk, world, procedure):
    with frozen("2026-11-25 08:00"):
        response = desk.post(url("dossier_receive"), receipt_data(procedure), follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == dossier.get_absolute_url()
    assert dossier.status == DossierStatus.IN_PROGRESS and dossier.code
    assert dossier.due_at == at("2026-11-30 08:00") and dossier.received_by == world.users["staff"]
    assert [row["submitted"] for row in dossier.components] == [True, False]
    [message] = messages_of(response)
    assert dossier.code in message and "08:00 30/11/2026" in message
    assert pdf(dossier, "receipt") in message
    text = response.content.decode()
    assert dossier.code in text and "08:00 30/11/2026" in text


def test_a_dossier_received_earlier_counts_from_its_moment(desk, procedure):
    with frozen("2026-11-27 10:00"):
        future = desk.post(url("dossier_receive"), receipt_data(procedure, submitted_at="08:00 30/11/2026"))
        assert future.status_code == 200 and future.context["form"].errors["submitted_at"]
        desk.post(url("dossier_receive"), receipt_data(procedure, submitted_at="08:00 25/11/2026"))
    assert Dossier.objects.get().due_at == at("2026-11-30 08:00")


@pytest.mark.parametrize("decision, status", [("supplement", DossierStatus.INCOMPLETE),
                                              ("reject", DossierStatus.REJECTED)])
def test_incomplete_and_refused_dossiers_are_recorded_with_the_reason_and_no_code(desk, procedure, decision, status):
    with frozen("2026-11-25 08:00"):
        response = desk.post(url("dossier_receive"), receipt_data(procedure, decision=decision,
                                                                  reason="Thiếu giấy xác nhận"), follow=True)
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.code, dossier.due_at, dossier.reason) == (status, "", None, "Thiếu giấy xác nhận")
    assert response.status_code == 200 and "Thiếu giấy xác nhận" in response.content.decode()
    assert not dossier.steps.exists()


def test_a_refusal_without_reason_or_a_missing_applicant_name_saves_nothing(desk, procedure):
    with frozen("2026-11-25 08:00"):
        response = desk.post(url("dossier_receive"), receipt_data(procedure, decision="supplement"))
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        response = desk.post(url("dossier_receive"), receipt_data(procedure, applicant_name=""))
        assert response.status_code == 200 and response.context["form"].errors["applicant_name"]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_a_case_of_another_procedure_is_refused(desk, procedure):
    other = ProcedureCase.objects.create(procedure=procedure.__class__.objects.create(code="2.000002", name="Khác"),
                                         code="2.000002.01", name="Khác")
    with frozen("2026-11-25 08:00"):
        response = desk.post(url("dossier_receive"), receipt_data(procedure, case=other.pk))
    assert response.status_code == 200 and not Dossier.objects.exists()


def test_only_the_desk_may_receive_and_an_agency_must_be_chosen(client, world, calendar, process):
    for role in ("auditor", "consultant", "supervisor"):
        enter(client, world.users[role])
        assert client.get(url("dossier_receive")).status_code == 403, role
    enter(client, world.users["admin"])  # no role: no current agency
    page = client.get(url("dossier_receive"))
    assert page.status_code == 200 and 'id="choose-agency"' in page.content.decode()


# --- List -----------------------------------------------------------------------------------------------------


@pytest.fixture
def three(world, receive):
    overdue = receive("2026-11-16 08:00", applicant={**APPLICANT, "name": "Trần Thị Bình"})  # due Thu 19/11
    at_risk = receive("2026-11-25 08:00")  # due Mon 30/11 08:00
    later = receive("2026-11-26 08:00", applicant={**APPLICANT, "name": "Lê Văn Cường", "id_number": "079"})
    incomplete = receive("2026-11-26 09:00", decision="supplement", reason="Thiếu tờ khai")
    return overdue, at_risk, later, incomplete


def codes(response) -> set:
    return {row.record.pk for row in response.context["table"].page.object_list}


def test_the_list_filters_by_status_flag_search_and_dates(client, world, three):
    overdue, at_risk, later, incomplete = three
    enter(client, world.users["staff"])
    with frozen("2026-11-27 10:00"):
        everything = client.get(url("dossier_list"))
        assert codes(everything) == {d.pk for d in three}
        assert 'id="receive-link"' in everything.content.decode()
        text = everything.content.decode()
        assert 'data-flag="overdue"' in text and 'data-flag="at_risk"' in text
        assert "08:00 25/11/2026" in text and "08:00 30/11/2026" in text  # received, appointment
        assert codes(client.get(url("dossier_list"), {"flag": "overdue"})) == {overdue.pk}
        assert codes(client.get(url("dossier_list"), {"flag": "at_risk"})) == {at_risk.pk}
        assert codes(client.get(url("dossier_list"), {"status": "incomplete"})) == {incomplete.pk}
        assert codes(client.get(url("dossier_list"), {"q": "Cường"})) == {later.pk}
        assert codes(client.get(url("dossier_list"), {"q": "le van cuong"})) == {later.pk}  # accents optional
        assert codes(client.get(url("dossier_list"), {"q": "TRAN THI"})) == {overdue.pk}
        assert codes(client.get(url("dossier_list"), {"q": overdue.code})) == {overdue.pk}
        assert codes(client.get(url("dossier_list"), {"received_from": "25/11/2026",
                                                      "received_to": "25/11/2026"})) == {at_risk.pk}
        partial = client.get(url("dossier_list"), {"flag": "overdue"}, HTTP_HX_REQUEST="true")
        assert "<html" not in partial.content.decode()


def test_the_list_does_not_query_per_row(client, world, receive):
    enter(client, world.users["staff"])
    receive("2026-11-25 08:00")
    with frozen("2026-11-27 10:00"), CaptureQueriesContext(connection) as one:
        client.get(url("dossier_list"))
    for hour in ("09", "10", "11"):
        receive(f"2026-11-25 {hour}:00")
    with frozen("2026-11-27 10:00"), CaptureQueriesContext(connection) as four:
        client.get(url("dossier_list"))
    assert len(four) == len(one)


def test_who_sees_the_list(client, world, three):
    enter(client, world.users["auditor"])
    page = client.get(url("dossier_list"))
    assert len(codes(page)) == 4 and 'id="receive-link"' not in page.content.decode()
    for role in ("consultant", "supervisor"):
        enter(client, world.users[role])
        assert codes(client.get(url("dossier_list"))) == set(), role


# --- A dossier's page and its actions ----------------------------------------------------------------------------


def test_the_page_shows_the_control_slip_trail_and_printouts(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["staff"])
    with frozen("2026-11-25 09:00"):
        page = client.get(dossier.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and 'id="control-slip"' in text
    for action in ("Tiếp nhận, kiểm tra hồ sơ", "Thẩm định hồ sơ", "Ký duyệt kết quả"):
        assert action in text
    assert "13:30 25/11/2026" in text  # B1's due moment (4 working hours, lunch break)
    assert pdf(dossier, "receipt") in text and pdf(dossier, "control-slip") in text
    assert pdf(dossier, "apology") not in text
    assert 'data-action="receive"' in text
    assert set(page.context["actions"]) == {"hand_over", "pause", "consult", "apologise", "end"}


def post(client, name, dossier, when, data=None, **kwargs):
    with frozen(when):
        return client.post(url(name, dossier), {"seen_status": dossier.status, **(data or {})}, follow=True, **kwargs)


def test_handing_over_names_the_next_assignee_and_a_second_hand_over_is_a_conflict(client, world, receive, officer):
    dossier = receive("2026-11-25 08:00")
    step = current(dossier)
    enter(client, world.users["staff"])
    response = post(client, "dossier_hand_over", dossier, "2026-11-25 10:00",
                    {"step": step.pk, "assignee": officer.pk, "note": "Đủ thành phần"})
    assert response.redirect_chain[-1][0] == dossier.get_absolute_url()
    step2 = current(dossier)
    assert (step2.order, step2.assignee, step2.started_at) == (2, officer, at("2026-11-25 10:00"))
    step.refresh_from_db()
    assert step.note == "Đủ thành phần" and step.finished_by == world.users["staff"]
    # the coordinator's page still showed B1: their hand-over is refused and changes nothing
    enter(client, world.users["iso_coordinator"])
    response = post(client, "dossier_hand_over", dossier, "2026-11-25 10:05", {"step": step.pk})
    assert any("handed over by someone else" in m for m in messages_of(response))
    assert current(dossier).pk == step2.pk and current(dossier).assignee == officer
    assert dossier.steps.filter(finished_at__isnull=False).count() == 1


def test_the_hand_over_form_is_shown_only_to_who_may_hand_the_step_over(client, world, receive, officer):
    dossier = receive("2026-11-25 08:00")
    with frozen("2026-11-25 09:00"):
        dossier_step_complete(actor=world.users["staff"], step=current(dossier), assignee=officer)
        enter(client, world.users["staff"])  # B2 is the officer's
        assert "hand_over" not in client.get(dossier.get_absolute_url()).context["actions"]
        enter(client, officer)
        assert "hand_over" in client.get(dossier.get_absolute_url()).context["actions"]


def test_pause_and_resume(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["staff"])
    response = post(client, "dossier_pause", dossier, "2026-11-26 09:00",
                    {"kind": "supplement", "reason": "Bổ sung bản sao giấy khai sinh"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUSPENDED
    assert "Bổ sung bản sao giấy khai sinh" in response.content.decode()
    assert set(response.context["actions"]) == {"resume", "consult", "apologise", "end"}
    post(client, "dossier_resume", dossier, "2026-12-01 10:00")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS and dossier.due_at == at("2026-12-04 10:00")


def test_a_pause_without_reason_is_refused(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["staff"])
    response = post(client, "dossier_pause", dossier, "2026-11-26 09:00", {"kind": "supplement", "reason": ""})
    assert messages_of(response) and Dossier.objects.get().status == DossierStatus.IN_PROGRESS


def test_consultation_is_recorded_in_the_internal_trail(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["staff"])
    response = post(client, "dossier_consult", dossier, "2026-11-25 09:00",
                    {"unit_name": "Công an phường", "comment": "Xác minh cư trú"})
    event = DossierEvent.objects.get(action="consult")
    assert not event.public and "Công an phường" in response.content.decode()


def test_the_apology_moves_the_appointment_and_offers_the_letter(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["staff"])
    response = post(client, "dossier_apologise", dossier, "2026-11-26 09:00",
                    {"reason": "Chờ kết quả xác minh", "new_appointment": "16:00 02/12/2026"})
    dossier.refresh_from_db()
    assert dossier.apology_at == at("2026-11-26 09:00") and dossier.appointment_at == at("2026-12-02 16:00")
    text = response.content.decode()
    assert pdf(dossier, "apology") in text and "16:00 02/12/2026" in text
    assert "apologise" not in response.context["actions"]


def test_an_early_result_is_notified_before_it_is_returned(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    for hour in ("09", "10", "11"):
        with frozen(f"2026-11-25 {hour}:00"):
            dossier = dossier_step_complete(actor=world.users["staff"], step=current(dossier))
    assert dossier.status == DossierStatus.RESULT_READY and dossier.outcome == Outcome.EARLY
    enter(client, world.users["staff"])
    response = post(client, "dossier_return", dossier, "2026-11-25 14:00", {"method": "desk"})
    assert any("Applicant notified" in m for m in messages_of(response))
    assert Dossier.objects.get().status == DossierStatus.RESULT_READY
    response = post(client, "dossier_notify", dossier, "2026-11-25 14:00", {"comment": "Gọi điện"})
    assert set(response.context["actions"]) == {"return"}
    post(client, "dossier_return", dossier, "2026-11-26 08:00", {"method": "desk"})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.notified_at, dossier.returned_at, dossier.return_method) == (
        DossierStatus.RETURNED, at("2026-11-25 14:00"), at("2026-11-26 08:00"), "desk")


def test_ending_a_dossier(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["iso_coordinator"])
    response = post(client, "dossier_end", dossier, "2026-11-26 09:00",
                    {"status": "withdrawn", "reason": "Người nộp xin rút hồ sơ"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN and dossier.reason == "Người nộp xin rút hồ sơ"
    assert response.context["actions"] == {}


# --- Who ------------------------------------------------------------------------------------------------------


def test_another_agencys_dossier_is_not_found(client, world, calendar, procedure):
    with frozen("2026-11-25 08:00"):
        other = dossier_receive(actor=None, agency=world.sibling, procedure=procedure, applicant=APPLICANT)
    enter(client, world.users["agency_head"])
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(url("dossier_end", other), {"status": "withdrawn", "reason": "x"}).status_code == 404
    assert Dossier.objects.get().status == DossierStatus.IN_PROGRESS


def test_the_auditor_reads_but_may_not_act(client, world, receive):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users["auditor"])
    page = client.get(dossier.get_absolute_url())
    assert page.status_code == 200 and page.context["actions"] == {}
    assert 'id="actions"' not in page.content.decode()
    for name, data in (("dossier_hand_over", {"step": current(dossier).pk}), ("dossier_end", {
            "status": "withdrawn", "reason": "x"}), ("dossier_pause", {"kind": "fee", "reason": "x"})):
        assert client.post(url(name, dossier), data).status_code == 403, name
    assert Dossier.objects.get().status == DossierStatus.IN_PROGRESS


@pytest.mark.parametrize("role", ["consultant", "supervisor"])
def test_consultants_and_supervisors_do_not_see_dossiers(client, world, receive, role):
    dossier = receive("2026-11-25 08:00")
    enter(client, world.users[role])
    assert client.get(dossier.get_absolute_url()).status_code == 404
    assert client.post(url("dossier_end", dossier), {"status": "withdrawn", "reason": "x"}).status_code == 404
