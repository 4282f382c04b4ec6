"""Catalogue pages: procedures for everyone signed in; imports (upload, progress, report) for system
administrators only."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.catalog.models import ImportRun, Procedure
from eiso.catalog.services import catalog_import
from tests.catalog.conftest import catalogue_line, detail_record, write_jsonl

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.catalog.urls")]


@pytest.fixture
def imported(sample_path):
    return catalog_import(paths=[sample_path])


def test_procedure_list_searches_without_accents(client, world, imported):
    # given
    client.force_login(world.users["staff"])
    expected = sorted(Procedure.objects.search("dang ky khai sinh").values_list("code", flat=True))
    # when
    response = client.get("/catalog/procedures/", {"q": "dang ky khai sinh"})
    # then
    assert response.status_code == 200
    assert len(expected) == response.context["table"].paginator.count > 0
    shown = sorted(row.record.code for row in response.context["table"].paginated_rows)
    assert shown == expected
    assert "1.000080" not in response.content.decode()


def test_procedure_list_filters_by_field_and_level(client, world, imported):
    # given
    client.force_login(world.users["iso_coordinator"])
    field = Procedure.objects.get(code="1.000080").field
    expected = Procedure.objects.filter(field=field, is_commune_level=True).count()
    # when
    response = client.get("/catalog/procedures/", {"field": field.pk, "level": "commune"})
    # then
    assert response.status_code == 200
    assert response.context["table"].paginator.count == expected > 0


def test_procedure_list_needs_sign_in(client):
    response = client.get("/catalog/procedures/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_procedure_detail_shows_cases_channels_dossier_and_legal_bases(client, world, imported):
    # given
    client.force_login(world.users["staff"])
    procedure = Procedure.objects.get(code="1.000080")
    # when
    response = client.get(f"/catalog/procedures/{procedure.pk}/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.000080.01" in html
    assert re.search(r"<td>12 [^<]+</td>", html)  # 12.00 shown as 12, then the unit
    assert "123/2015/NĐ-CP" in html and "000.00.00.G15-KQ003362" not in html  # components show names only
    assert "Hộ tịch" in html
    assert "* Giấy tờ phải nộp:" in html
    assert "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh" in html


def test_procedure_detail_shows_changes_found_by_a_reimport(client, world, tmp_path):
    # given
    cases = [{"code": "T.000001.01", "name": "Thông thường", "processingDay": {"qty": 5, "type": "WORKING_DAY"}}]
    catalog_import(paths=[write_jsonl(tmp_path / "a.jsonl", [detail_record("T.000001", "Thủ tục", cases)])])
    cases[0]["processingDay"]["qty"] = 7
    catalog_import(paths=[write_jsonl(tmp_path / "b.jsonl", [detail_record("T.000001", "Thủ tục", cases)])])
    client.force_login(world.users["auditor"])
    # when
    response = client.get(f"/catalog/procedures/{Procedure.objects.get().pk}/")
    # then
    html = response.content.decode()
    assert "case T.000001.01: duration" in html
    assert re.search(r">5</td><td[^>]*>7</td>", html)


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("iso_coordinator", 403), ("agency_head", 403),
                                              ("supervisor", 403), ("staff", 403)])
def test_upload_page_is_for_system_administrators(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get("/catalog/imports/new/").status_code == status
    assert client.get("/catalog/imports/").status_code == status


def test_upload_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/catalog/imports/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_cannot_post_an_import(client, world):
    client.force_login(world.users["iso_coordinator"])
    upload = SimpleUploadedFile("a.jsonl", b'{"code": "T.1", "name": "x"}\n')
    assert client.post("/catalog/imports/new/", {"file": upload}).status_code == 403
    assert ImportRun.objects.count() == 0


def test_admin_uploads_a_file_and_sees_the_report(client, world, tmp_path, settings):
    # given
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.users["admin"])
    content = write_jsonl(tmp_path / "upload.jsonl", [
        catalogue_line("T.000001", "Thủ tục một"),
        catalogue_line("T.000002", "<b>Thủ tục</b> hai"),
    ]).read_bytes()
    # when
    response = client.post("/catalog/imports/new/", {"file": SimpleUploadedFile("upload.jsonl", content)})
    # then
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/catalog/imports/{run.pk}/"
    assert (run.status, run.source, run.started_by, run.created, run.warnings) == (
        "done", "upload.jsonl", world.users["admin"], 2, 1)
    stored = list((tmp_path / "media" / "imports").iterdir())
    assert len(stored) == 1 and stored[0].name.endswith("-upload.jsonl") and stored[0].read_bytes() == content
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "T.000002" in html and "HTML removed from: name" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no polling
    assert '<progress max="100" value="100"' in html


def test_upload_refuses_other_file_types(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.users["admin"])
    response = client.post("/catalog/imports/new/", {"file": SimpleUploadedFile("list.csv", b"code,name\n")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportRun.objects.count() == 0


def test_progress_is_polled_while_the_import_runs_and_the_page_reloads_at_the_end(client, world):
    # given
    run = ImportRun.objects.create(source="catalog.jsonl.gz", expected=5670, total=1200, created=1200)
    client.force_login(world.users["admin"])
    # when
    running = client.get(f"/catalog/imports/{run.pk}/progress/", headers={"HX-Request": "true"})
    ImportRun.objects.filter(pk=run.pk).update(status="done", total=5670, created=5670)
    finished = client.get(f"/catalog/imports/{run.pk}/progress/", headers={"HX-Request": "true"})
    # then
    html = running.content.decode()
    assert f'hx-get="/catalog/imports/{run.pk}/progress/"' in html and 'hx-trigger="every 1s"' in html
    assert '<progress max="100" value="21"' in html  # 1200 / 5670
    assert "HX-Refresh" not in running
    assert finished["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in finished.content.decode()


def test_progress_partial_is_for_system_administrators(client, world):
    run = ImportRun.objects.create(source="x.jsonl")
    client.force_login(world.users["iso_coordinator"])
    assert client.get(f"/catalog/imports/{run.pk}/progress/").status_code == 403
    assert client.get(f"/catalog/imports/{run.pk}/").status_code == 403
