"""Dossiers API: receipt with code and due moment, what is refused, every transition in order, conflicts, the
public lookup and rating (no login, no personal data, rate-limited), the import of one-stop files, lists without
N+1 queries, and the schema."""

import datetime as dt
import json

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from eiso.catalog.models import Procedure, ProcedureCase
from eiso.dossiers.choices import DossierStatus, Outcome, Source
from eiso.dossiers.models import Dossier, DossierEvent, DossierStep
from tests.dossiers.conftest import APPLICANT, at, frozen
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = "/api/v1/dossiers/"
PUBLIC_FIELDS = {"code", "agency_name", "procedure_code", "procedure_name", "status", "status_label", "received_at",
                 "appointment_at", "finished_at", "returned_at", "outcome", "outcome_label", "history", "can_rate"}


def moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def payload(world, **values) -> dict:
    return {"agency": str(world.own.pk), "case": "1.000001.01", "applicant": APPLICANT, "channel": "direct",
            "components": [{"name": "Tờ khai đăng ký kết hôn", "kind": "original", "quantity": 1}], **values}


@pytest.fixture
def staff_client(api_client, world, calendar, process):
    api_client.force_authenticate(world.users["staff"])
    return api_client


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def receive(client, world, when: str) -> dict:
    with frozen(when):
        response = client.post(URL, payload(world), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def post(client, dossier: dict, name: str, when: str, **data):
    with frozen(when):
        return client.post(f"{URL}{dossier['id']}/{name}/", data, format="json")


# --- Receipt ----------------------------------------------------------------------------------------------------


def test_a_dossier_received_after_the_cut_off_on_friday_counts_from_monday(staff_client, world):
    with frozen("2026-11-27 16:05"):
        response = staff_client.post(URL, payload(world, received_at="2026-11-27T16:00:00+07:00"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == f"{world.own.code}-261127-0001" and body["status"] == DossierStatus.IN_PROGRESS
    assert moment(body["received_at"]) == at("2026-11-27 16:00")
    assert moment(body["counted_from"]) == at("2026-11-30 07:30")  # Monday, at opening
    assert moment(body["due_at"]) == moment(body["appointment_at"]) == at("2026-12-02 17:00")  # 3 working days
    read = staff_client.get(f"{URL}{body['id']}/").json()
    assert (read["code"], read["due_at"]) == (body["code"], body["due_at"])
    assert read["applicant_phone"] == APPLICANT["phone"] and read["case_code"] == "1.000001.01"
    assert [s["order"] for s in read["steps"]] == [1, 2, 3] and read["steps"][0]["is_current"] is True
    assert read["steps"][0]["assignee"] == world.users["staff"].pk
    assert [e["action"] for e in read["events"]] == ["receive"] and read["pauses"] == []
    assert read["components"][0] == {"name": "Tờ khai đăng ký kết hôn", "kind": "original", "quantity": 1,
                                     "submitted": True}


def test_a_procedure_code_without_case_takes_its_only_case_and_an_incomplete_dossier_has_no_code(staff_client, world):
    by_procedure = staff_client.post(URL, payload(world, case="", procedure="1.000001"), format="json")
    incomplete = staff_client.post(URL, payload(world, decision="supplement", reason="Thiếu giấy xác nhận"),
                                   format="json")
    assert by_procedure.status_code == 201 and by_procedure.json()["case_code"] == "1.000001.01"
    assert incomplete.status_code == 201
    assert (incomplete.json()["status"], incomplete.json()["code"], incomplete.json()["due_at"]) == (
        DossierStatus.INCOMPLETE, "", None)


def test_of_two_procedures_with_one_code_the_current_one_is_chosen(staff_client, world, procedure):
    Procedure.objects.filter(pk=procedure.pk).update(has_detail=True, source_updated_at=at("2026-01-01 00:00"))
    older = Procedure.objects.create(code="1.000001", name="Bản cũ", has_detail=True,
                                     source_updated_at=at("2025-01-01 00:00"))
    ProcedureCase.objects.create(procedure=older, code="1.000001.01", name="Cũ", duration=10,
                                 duration_unit="working_day")
    response = staff_client.post(URL, payload(world), format="json")
    assert response.status_code == 201 and response.json()["procedure"] == procedure.pk


def test_an_unknown_case_or_procedure_code_is_refused_naming_the_field(staff_client, world):
    case = staff_client.post(URL, payload(world, case="9.999999.01"), format="json")
    procedure = staff_client.post(URL, payload(world, case="", procedure="9.999999"), format="json")
    neither = staff_client.post(URL, payload(world, case=""), format="json")
    assert case.status_code == procedure.status_code == neither.status_code == 400
    assert case.json()["code"] == "unknown_case" and "9.999999.01" in case.json()["errors"]["case"][0]
    assert procedure.json()["code"] == "unknown_procedure" and "procedure" in procedure.json()["errors"]
    assert "case" in neither.json()["errors"]
    assert not Dossier.objects.exists()


def test_a_receipt_in_the_future_is_refused(staff_client, world):
    with frozen("2026-11-25 09:00"):
        response = staff_client.post(URL, payload(world, received_at="2026-11-26T09:00:00+07:00"), format="json")
    assert response.status_code == 400 and "received_at" in response.json()["errors"]
    assert not Dossier.objects.exists()


def test_a_case_whose_statutory_time_is_unknown_is_refused_saying_what_to_configure(staff_client, world):
    unknown = Procedure.objects.create(code="2.000002", name="Thủ tục chưa có thời hạn")
    ProcedureCase.objects.create(procedure=unknown, code="2.000002.01", name="Trường hợp 1")
    response = staff_client.post(URL, payload(world, case="2.000002.01"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duration_unknown" and "2.000002.01" in body["message"]
    assert "Danh mục TTHC" in body["message"] and "quy trình" in body["message"]  # the catalogue or the process
    assert not Dossier.objects.exists()


def test_another_agency_is_refused_like_an_unknown_one_and_auditors_may_not_receive(api_client, world, calendar,
                                                                                    process):
    api_client.force_authenticate(world.users["staff"])
    foreign = api_client.post(URL, payload(world, agency=str(world.foreign.pk)), format="json")
    random = api_client.post(URL, payload(world, agency="00000000-0000-4000-8000-000000000000"), format="json")
    assert foreign.status_code == random.status_code == 400
    assert foreign.json() == random.json() and foreign.json()["code"] == "unknown_agency"
    api_client.force_authenticate(world.users["auditor"])
    assert api_client.post(URL, payload(world), format="json").status_code == 403
    api_client.force_authenticate(None)
    assert api_client.post(URL, payload(world), format="json").status_code in (401, 403)
    assert not Dossier.objects.exists()


# --- Processing -------------------------------------------------------------------------------------------------


def test_every_transition_through_the_api_in_order_until_returned_and_rated(staff_client, world):
    staff = world.users["staff"]
    dossier = receive(staff_client, world, "2026-11-25 08:00")  # due Mon 30/11 08:00
    assert post(staff_client, dossier, "consult", "2026-11-25 09:00", unit_name="Công an phường",
                comment="Xác minh cư trú").status_code == 200
    paused = post(staff_client, dossier, "pause", "2026-11-25 10:00", kind="supplement", reason="Bổ sung bản sao")
    assert paused.status_code == 200 and paused.json()["status"] == DossierStatus.SUSPENDED
    assert paused.json()["pauses"][0]["kind"] == "supplement"
    resumed = post(staff_client, dossier, "resume", "2026-11-26 08:00")
    assert resumed.json()["status"] == DossierStatus.IN_PROGRESS
    assert moment(resumed.json()["due_at"]) == at("2026-12-01 08:00")  # counted again from zero
    apologised = post(staff_client, dossier, "apologise", "2026-11-26 09:00", reason="Chờ kết quả xác minh",
                      new_appointment="2026-12-03T16:00:00+07:00")
    assert moment(apologised.json()["appointment_at"]) == at("2026-12-03 16:00")
    for when in ("2026-11-26 10:00", "2026-11-26 11:00", "2026-11-26 13:00"):
        handed = post(staff_client, dossier, "hand-over", when, assignee=staff.pk, note="Xong")
        assert handed.status_code == 200, handed.json()
    assert handed.json()["status"] == DossierStatus.RESULT_READY and handed.json()["outcome"] == Outcome.LATE
    assert post(staff_client, dossier, "notify", "2026-11-26 14:00", comment="Gọi điện").status_code == 200
    returned = post(staff_client, dossier, "return", "2026-11-26 15:00", method="desk")
    assert returned.status_code == 200 and returned.json()["status"] == DossierStatus.RETURNED
    assert [e["action"] for e in returned.json()["events"]] == [
        "receive", "consult", "supplement", "resume", "apologise", "hand_over", "hand_over", "result_ready", "notify",
        "return"]
    assert all(s["finished_by"] == staff.pk for s in returned.json()["steps"])
    rated = staff_client.post(f"{URL}rate/", {"code": dossier["code"], "digits": "5678", "rating": 3,
                                              "comment": "Nhanh"}, format="json")
    assert rated.status_code == 200 and rated.json()["can_rate"] is False
    assert Dossier.objects.get(pk=dossier["id"]).rating == 3
    again = staff_client.post(f"{URL}rate/", {"code": dossier["code"], "digits": "5678", "rating": 1}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_rated"


def test_a_dossier_can_be_ended_with_the_reason(staff_client, world):
    dossier = receive(staff_client, world, "2026-11-25 08:00")
    ended = post(staff_client, dossier, "end", "2026-11-25 09:00", status="withdrawn", reason="Công dân rút hồ sơ")
    assert ended.status_code == 200 and ended.json()["status"] == DossierStatus.WITHDRAWN
    refused = post(staff_client, dossier, "end", "2026-11-25 10:00", status="returned", reason="x")
    assert refused.status_code == 400 and "status" in refused.json()["errors"]


def test_handing_over_a_step_already_handed_over_is_a_conflict_and_changes_nothing(staff_client, world):
    dossier = receive(staff_client, world, "2026-11-25 08:00")
    first = dossier["steps"][0]["id"]
    assert post(staff_client, dossier, "hand-over", "2026-11-25 09:00", step=first).status_code == 200
    events = DossierEvent.objects.count()
    steps = list(DossierStep.objects.order_by("order").values())
    again = post(staff_client, dossier, "hand-over", "2026-11-25 09:01", step=first)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert DossierEvent.objects.count() == events and list(DossierStep.objects.order_by("order").values()) == steps


def test_transitions_are_refused_to_readers_and_invisible_outside_the_scope(staff_client, api_client, world):
    dossier = receive(staff_client, world, "2026-11-25 08:00")
    api_client.force_authenticate(world.users["auditor"])
    assert api_client.get(f"{URL}{dossier['id']}/").status_code == 200
    assert post(api_client, dossier, "hand-over", "2026-11-25 09:00").status_code == 403
    api_client.force_authenticate(user_with_role("staff", world.sibling))
    assert api_client.get(f"{URL}{dossier['id']}/").status_code == 404
    assert post(api_client, dossier, "hand-over", "2026-11-25 09:00").status_code == 404
    api_client.force_authenticate(world.users["staff"])
    outsider = user_with_role("staff", world.sibling)
    refused = post(api_client, dossier, "hand-over", "2026-11-25 09:00", assignee=outsider.pk)
    assert refused.status_code == 400 and "assignee" in refused.json()["errors"]
    assert DossierStep.objects.filter(finished_at__isnull=False).count() == 0


# --- Lists ------------------------------------------------------------------------------------------------------


def test_the_list_filters_and_does_not_query_per_row(staff_client, world):
    overdue = receive(staff_client, world, "2026-11-25 08:00")  # due 30/11 08:00
    second = receive(staff_client, world, "2026-12-07 08:00")  # due 10/12 08:00

    def listed(**params):
        with frozen("2026-12-07 09:00"):
            response = staff_client.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["code"] for row in response.json()["results"]]

    assert listed(flag="overdue") == [overdue["code"]]
    assert len(listed()) == 2 and listed(q=overdue["code"][-6:]) == [overdue["code"]]
    assert len(listed(q="nguyen van an")) == 2 and listed(q="tran van an") == []  # APPLICANT, accents optional
    assert listed(received_before="2026-12-01T00:00:00+07:00") == [overdue["code"]]
    assert listed(status="returned") == [] and len(listed(agency=str(world.own.pk), source=Source.NATIVE)) == 2
    with CaptureQueriesContext(connection) as two, frozen("2026-12-07 09:00"):
        rows = staff_client.get(URL).json()["results"]
    assert {row["code"]: row["flag"] for row in rows}[overdue["code"]] == "overdue"
    for when in ("2026-12-07 10:00", "2026-12-07 11:00", "2026-12-08 08:00"):
        receive(staff_client, world, when)
    with CaptureQueriesContext(connection) as five, frozen("2026-12-07 09:00"):
        assert staff_client.get(URL).json()["count"] == 5
    assert len(five.captured_queries) == len(two.captured_queries)
    with frozen("2026-12-09 10:00"):  # 6 working hours before the second's due moment
        at_risk = staff_client.get(URL, {"flag": "at_risk"}).json()["results"]
    assert [(row["code"], row["flag"]) for row in at_risk] == [(second["code"], "at_risk")]


# --- Public -----------------------------------------------------------------------------------------------------


def test_the_public_lookup_shows_no_personal_data_and_answers_wrong_codes_and_digits_alike(staff_client, api_client,
                                                                                         world):
    dossier = receive(staff_client, world, "2026-11-25 08:00")
    found = api_client.get(f"{URL}lookup/", {"code": dossier["code"], "digits": "5678"})
    assert found.status_code == 200, found.json()
    assert set(found.json()) == PUBLIC_FIELDS
    assert found.json()["history"][0]["label"] and found.json()["can_rate"] is False
    text = found.content.decode()
    for secret in (*APPLICANT.values(), str(world.users["staff"]), world.users["staff"].username):
        assert secret not in text
    wrong_digits = api_client.get(f"{URL}lookup/", {"code": dossier["code"], "digits": "0000"})
    wrong_code = api_client.get(f"{URL}lookup/", {"code": dossier["code"] + "9", "digits": "5678"})
    assert wrong_digits.status_code == wrong_code.status_code == 404
    assert wrong_digits.json() == wrong_code.json()


def test_the_public_lookup_is_limited_per_address(staff_client, api_client, world):
    dossier = receive(staff_client, world, "2026-11-25 08:00")
    query = {"code": dossier["code"], "digits": "5678"}
    with override_settings(EISO={**settings.EISO, "DOSSIER_LOOKUP_PER_MINUTE": 2}):
        answers = [api_client.get(f"{URL}lookup/", query).status_code for _ in range(3)]
        rating = api_client.post(f"{URL}rate/", {**query, "rating": 3}, format="json")
        other = api_client.get(f"{URL}lookup/", query, REMOTE_ADDR="10.0.0.9")
    assert answers == [200, 200, 429] and rating.status_code == 429
    assert rating.json()["code"] == "throttled" and rating.json()["message"]
    assert other.status_code == 200


def test_a_dossier_is_rated_only_after_its_return(staff_client, api_client, world):
    dossier = receive(staff_client, world, "2026-11-25 08:00")
    early = api_client.post(f"{URL}rate/", {"code": dossier["code"], "digits": "5678", "rating": 2}, format="json")
    assert early.status_code == 400 and early.json()["code"] == "not_returned"
    wrong = api_client.post(f"{URL}rate/", {"code": dossier["code"], "digits": "1111", "rating": 2}, format="json")
    assert wrong.status_code == 404
    assert Dossier.objects.get(pk=dossier["id"]).rating is None


# --- Import -----------------------------------------------------------------------------------------------------

CSV = ("code,procedure_code,case_code,applicant_name,applicant_phone,channel,received,due,finished,returned,status\n"
       "HS-001,1.000001,1.000001.01,Nguyễn Văn An,0912345678,trực tiếp,25/11/2026 09:00,30/11/2026 09:00,"
       "27/11/2026 11:00,28/11/2026 08:00,Đã trả kết quả\n"
       "HS-002,1.000001,,Trần Thị Bình,,trực tuyến,25/11/2026 14:10,30/11/2026 14:10,,,Đang xử lý\n"
       "HS-003,9.999999,,Lê Văn C,,,25/11/2026 14:10,30/11/2026 14:10,,,\n")


def upload(client, world, name="ho-so.csv", content=CSV, **data):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(f"{URL}import/", {"file": file, "agency": str(world.own.pk), **data}, format="multipart")


def test_a_csv_file_imported_twice_changes_nothing_the_second_time(staff_client, world):
    first = upload(staff_client, world)
    assert first.status_code == 200, first.json()
    assert {k: first.json()[k] for k in ("total", "created", "updated", "unchanged")} == {
        "total": 3, "created": 2, "updated": 0, "unchanged": 0}
    assert [(r["line"], r["code"]) for r in first.json()["rejected"]] == [(4, "HS-003")]
    second = upload(staff_client, world)
    assert (second.json()["created"], second.json()["updated"], second.json()["unchanged"]) == (0, 0, 2)
    assert Dossier.objects.filter(agency=world.own, source=Source.IMPORTED).count() == 2


def test_json_files_and_files_stored_on_disk_are_imported(staff_client, world):
    records = [{"code": "HS-101", "procedure_code": "1.000001", "applicant_name": "Phạm Thị Dung",
                "received": "2026-11-25T09:00:00+07:00", "due": "2026-11-30T09:00:00+07:00"}]
    as_json = upload(staff_client, world, name="ho-so.json", content=json.dumps(records))
    assert as_json.status_code == 200 and as_json.json()["created"] == 1, as_json.json()
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0):  # a TemporaryUploadedFile
        on_disk = upload(staff_client, world)
    assert on_disk.status_code == 200 and on_disk.json()["created"] == 2, on_disk.json()


def test_imports_are_refused_to_readers_other_agencies_and_unknown_formats(staff_client, api_client, world):
    unknown = upload(staff_client, world, name="ho-so.txt")
    assert unknown.status_code == 400 and "format" in unknown.json()["errors"]
    assert upload(staff_client, world, name="ho-so.txt", format="csv").json()["created"] == 2
    assert upload(staff_client, world, agency=str(world.foreign.pk)).json()["code"] == "unknown_agency"
    api_client.force_authenticate(world.users["auditor"])
    assert upload(api_client, world).status_code == 403


# --- Schema -----------------------------------------------------------------------------------------------------


def test_the_schema_documents_every_dossier_operation(api_client):
    schema = yaml.safe_load(api_client.get("/api/v1/schema/").content)
    paths = schema["paths"]
    assert set(paths[URL]) == {"get", "post"} and "get" in paths[URL + "{id}/"]
    for name in ("hand-over", "pause", "resume", "consult", "apologise", "notify", "return", "end"):
        assert "post" in paths[f"{URL}{{id}}/{name}/"], name
    assert "get" in paths[f"{URL}lookup/"] and "post" in paths[f"{URL}rate/"] and "post" in paths[f"{URL}import/"]
    assert "security" not in paths[f"{URL}lookup/"]["get"]
