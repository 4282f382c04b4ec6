"""Catalogue API: procedures, cases and fields read by everyone signed in; imports by administrators."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase
from eiso.catalog.services import catalog_import
from eiso.core.text import fold
from tests.catalog.conftest import catalogue_line, write_jsonl

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.catalog.urls")]


@pytest.fixture
def imported(sample_path):
    return catalog_import(paths=[sample_path])


def test_procedure_list_needs_authentication(api_client):
    response = api_client.get("/api/v1/procedures/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "code", "errors"}


def test_procedure_list(api_client, world, imported):
    # given
    api_client.force_authenticate(world.users["staff"])
    # when
    response = api_client.get("/api/v1/procedures/", {"page_size": 500})
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 300
    first = body["results"][0]
    assert first["code"] == "1.000080"
    assert first["field"] == {"id": Field.objects.get(name="Hộ tịch").pk, "code": "G15-TP07", "name": "Hộ tịch"}
    assert first["is_commune_level"] is True and first["has_detail"] is True


def test_procedure_search_is_accent_insensitive(api_client, world, imported):
    # given
    api_client.force_authenticate(world.users["iso_coordinator"])
    expected = sorted(p.code for p in Procedure.objects.all() if "dang ky khai sinh" in fold(f"{p.code} {p.name}"))
    # when
    response = api_client.get("/api/v1/procedures/", {"q": "dang ky khai sinh", "page_size": 500})
    # then
    codes = sorted(r["code"] for r in response.json()["results"])
    assert codes == expected and len(codes) > 0
    assert all("đăng ký khai sinh" in r["name"].lower() for r in response.json()["results"])


def test_procedure_filters_by_level_field_and_code(api_client, world, imported):
    api_client.force_authenticate(world.users["staff"])
    field = Field.objects.get(name="Hộ tịch")
    by_level = api_client.get("/api/v1/procedures/", {"level": "province", "page_size": 500}).json()
    by_field = api_client.get("/api/v1/procedures/", {"field": field.pk, "page_size": 500}).json()
    by_code = api_client.get("/api/v1/procedures/", {"code": "1.000080"}).json()
    assert by_level["count"] == Procedure.objects.filter(is_province_level=True).count() > 0
    assert by_field["count"] == Procedure.objects.filter(field=field).count() > 0
    assert [r["code"] for r in by_code["results"]] == ["1.000080"]


def test_procedure_detail_has_cases_channels_and_legal_bases(api_client, world, imported):
    # given
    api_client.force_authenticate(world.users["auditor"])
    procedure = Procedure.objects.get(code="1.000080")
    # when
    body = api_client.get(f"/api/v1/procedures/{procedure.pk}/").json()
    # then
    assert [(c["code"], c["duration"], c["duration_unit"]) for c in body["cases"]] == [
        ("1.000080.01", "12.00", "working_day")]
    assert [c["channel"] for c in body["channels"]] == ["online", "postal", "direct"]
    assert len(body["legal_bases"]) == 16
    assert body["changes"] == []
    assert body["source_created_at"] == "2026-04-08T21:52:58.803000+07:00"


def test_cases_and_fields(api_client, world, imported):
    api_client.force_authenticate(world.users["consultant"])
    cases = api_client.get("/api/v1/procedure-cases/", {"procedure__code": "1.000080"}).json()
    fields = api_client.get("/api/v1/fields/", {"page_size": 500}).json()
    assert [(c["code"], c["procedure_code"], c["duration"]) for c in cases["results"]] == [
        ("1.000080.01", "1.000080", "12.00")]
    assert fields["count"] == Field.objects.count()
    unknown = api_client.get("/api/v1/procedure-cases/", {"duration_unit": "unknown"}).json()
    assert unknown["count"] == ProcedureCase.objects.filter(duration_unit="unknown").count() == 3


def test_procedures_are_read_only(api_client, world, imported):
    api_client.force_authenticate(world.users["admin"])
    procedure = Procedure.objects.get(code="1.000080")
    assert api_client.post("/api/v1/procedures/", {"code": "X"}, format="json").status_code == 405
    assert api_client.patch(f"/api/v1/procedures/{procedure.pk}/", {"name": "X"}, format="json").status_code == 405
    assert api_client.delete(f"/api/v1/procedures/{procedure.pk}/").status_code == 405


def test_admin_creates_an_import_with_a_file(api_client, world, tmp_path, settings):
    # given
    settings.MEDIA_ROOT = tmp_path / "media"
    api_client.force_authenticate(world.users["admin"])
    content = write_jsonl(tmp_path / "a.jsonl", [catalogue_line("T.000001", "Thủ tục một"), {"name": "no code"}])
    # when
    response = api_client.post("/api/v1/catalog-imports/",
                               {"file": SimpleUploadedFile("a.jsonl", content.read_bytes())}, format="multipart")
    # then
    body = response.json()
    assert response.status_code == 201
    run = ImportRun.objects.get()
    assert (body["id"], body["status"], body["total"], body["created"], body["failed"]) == (run.pk, "done", 2, 1, 1)
    assert (body["started_by"], body["started_by_username"]) == (world.users["admin"].pk, "admin")
    assert [(e["line"], e["kind"]) for e in body["report"]] == [(2, "missing_code")]
    listed = api_client.get("/api/v1/catalog-imports/").json()
    assert [r["id"] for r in listed["results"]] == [run.pk] and "report" not in listed["results"][0]
    detail = api_client.get(f"/api/v1/catalog-imports/{run.pk}/").json()
    assert detail["report"] == body["report"]


def test_admin_import_refuses_other_file_types(api_client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    api_client.force_authenticate(world.users["admin"])
    response = api_client.post("/api/v1/catalog-imports/", {"file": SimpleUploadedFile("a.csv", b"x")},
                               format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_file_type"
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("role", ["iso_coordinator", "agency_head", "supervisor", "staff", "consultant"])
def test_others_cannot_create_or_read_imports(api_client, world, tmp_path, settings, role):
    # given
    settings.MEDIA_ROOT = tmp_path / "media"
    run = ImportRun.objects.create(source="x.jsonl")
    api_client.force_authenticate(world.users[role])
    # when
    created = api_client.post("/api/v1/catalog-imports/", {"file": SimpleUploadedFile("a.jsonl", b"{}\n")},
                              format="multipart")
    listed = api_client.get("/api/v1/catalog-imports/")
    read = api_client.get(f"/api/v1/catalog-imports/{run.pk}/")
    # then
    assert (created.status_code, listed.status_code, read.status_code) == (403, 403, 403)
    assert created.json()["code"] == "permission_denied"
    assert ImportRun.objects.count() == 1
    assert not (tmp_path / "media" / "imports").exists()


def test_schema_tags_the_catalogue_endpoints(api_client, world):
    api_client.force_authenticate(world.users["staff"])
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert paths["/api/v1/procedures/"]["get"]["tags"] == ["catalog"]
    assert "multipart/form-data" in paths["/api/v1/catalog-imports/"]["post"]["requestBody"]["content"]
