import io

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from eiso.processes.models import Process

pytestmark = pytest.mark.django_db


def _steps_post(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return data


def test_coordinator_builds_edits_submits_head_approves_and_the_public_sees_it(client, world, commune_procedures):
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    client.force_login(coordinator)
    # the wizard
    page = client.get("/processes/bootstrap/").content.decode()
    assert world.own.name in page
    assert client.post("/processes/bootstrap/").status_code == 302
    listing = client.get("/processes/?kind=procedure").content.decode()
    assert "Quy trình giải quyết thủ tục đăng ký khai sinh" in listing
    process = Process.objects.get(procedures=commune_procedures["birth"])
    # edit the steps of the 1-day procedure
    response = client.post(f"/processes/{process.pk}/steps/", _steps_post([
        {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": "2", "duration_unit": "hour",
         "form_codes": "BM.01"},
        {"action": "Thẩm định và trình ký", "responsible": "Công chức Tư pháp - Hộ tịch", "duration": "6",
         "duration_unit": "hour"},
        {"action": "Trả kết quả", "responsible": "Bộ phận Một cửa", "duration_unit": "not_counted",
         "duration_text": "Theo giấy hẹn"},
    ]))
    assert response.status_code == 302
    assert list(process.steps.values_list("action", flat=True))[1] == "Thẩm định và trình ký"
    client.post(f"/processes/{process.pk}/transition/", {"action": "submit", "comment": ""})
    assert process.document.revisions.get().status == "in_review"
    # the public does not see a draft
    anonymous = client.__class__()
    assert anonymous.get(f"/public/{world.own.code}/processes/{process.pk}/").status_code == 404
    client.force_login(head)
    client.post(f"/processes/{process.pk}/transition/", {"action": "approve", "comment": ""})
    client.post(f"/processes/{process.pk}/transition/", {"action": "publish", "comment": ""})
    assert process.document.revisions.get().status == "published"
    # public posting, no login, search without accents
    public = anonymous.get(f"/public/{world.own.code}/", {"q": "khai sinh"}).content.decode()
    assert "Quy trình giải quyết thủ tục đăng ký khai sinh" in public
    assert "01 ngày làm việc" in public
    assert "khai tử" not in public  # still a draft
    detail = anonymous.get(f"/public/{world.own.code}/processes/{process.pk}/").content.decode()
    assert "<svg" in detail and "Thẩm định và trình ký" in detail and "Miễn lệ phí" in detail


def test_exports_open_and_read_back(client, world, commune_procedures):
    client.force_login(world.users["iso_coordinator"])
    client.post("/processes/bootstrap/")
    process = Process.objects.get(procedures=commune_procedures["birth"])
    docx = client.get(f"/processes/{process.pk}/export.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    tables = DocxDocument(io.BytesIO(docx.content)).tables
    cells = " ".join(c.text for t in tables for row in t.rows for c in row.cells)
    assert "QUY TRÌNH" in cells and process.code in cells
    assert "MỤC ĐÍCH" in text
    assert "B1" in cells and "Tổng thời gian" in cells
    pdf = client.get(f"/processes/{process.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    content = " ".join(page.extract_text() for page in reader.pages)
    assert "QUY TRÌNH" in content and "đăng ký khai sinh" in content
    svg = client.get(f"/processes/{process.pk}/flowchart.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"B1" in svg.content


def test_api_bootstrap_steps_workflow_and_exports(api_client, world, commune_procedures):
    api_client.force_authenticate(world.users["iso_coordinator"])
    created = api_client.post("/api/v1/processes/bootstrap/", {"agency": str(world.own.pk)}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["procedure_processes"] == 3
    again = api_client.post("/api/v1/processes/bootstrap/", {"agency": str(world.own.pk)}, format="json")
    assert again.json()["procedure_processes"] == 0
    listed = api_client.get("/api/v1/processes/", {"kind": "procedure"}).json()
    assert listed["count"] == 3
    process = next(p for p in listed["results"] if p["procedure_codes"] == ["1.000656"])
    assert len(process["steps"]) == 5
    too_long = api_client.put(f"/api/v1/processes/{process['id']}/steps/", {"steps": [
        {"action": "Xử lý", "responsible": "Công chức", "duration": "10", "duration_unit": "day"}]}, format="json")
    assert too_long.status_code == 200
    refused = api_client.post(f"/api/v1/processes/{process['id']}/submit/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "process_invalid"
    api_client.put(f"/api/v1/processes/{process['id']}/steps/", {"steps": [
        {"action": "Xử lý", "responsible": "Công chức", "duration": "2", "duration_unit": "day"}]}, format="json")
    assert api_client.post(f"/api/v1/processes/{process['id']}/submit/", {}, format="json").status_code == 200
    api_client.force_authenticate(world.users["agency_head"])
    assert api_client.post(f"/api/v1/processes/{process['id']}/approve/", {}, format="json").json()["status"] == \
        "approved"
    published = api_client.post(f"/api/v1/processes/{process['id']}/publish/", {}, format="json")
    assert published.json()["status"] == "published"
    docx = api_client.get(f"/api/v1/processes/{process['id']}/docx/?published=1")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # another agency's coordinator cannot see or act on it
    api_client.force_authenticate(world.users["supervisor"])
    assert api_client.get(f"/api/v1/processes/{process['id']}/").status_code == 200
    assert api_client.post(f"/api/v1/processes/{process['id']}/submit/", {}, format="json").status_code in (400, 403)
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert "/api/v1/processes/bootstrap/" in schema and "/api/v1/processes/{id}/docx/" in schema


def test_form_files_are_checked_by_content_and_offered_on_the_public_page(client, world, commune_procedures):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eiso.processes.services import process_transition

    coordinator = world.users["iso_coordinator"]
    client.force_login(coordinator)
    client.post("/processes/bootstrap/")
    process = Process.objects.get(procedures=commune_procedures["birth"])
    # a file that claims to be a PDF but is not is refused, nothing is stored
    fake = SimpleUploadedFile("to-khai.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    client.post(f"/processes/{process.pk}/forms/", {"code": "BM.01", "file": fake})
    assert not process.forms.get(code="BM.01").file
    real = SimpleUploadedFile("giay-tiep-nhan.pdf", b"%PDF-1.4 giay tiep nhan", content_type="application/pdf")
    assert client.post(f"/processes/{process.pk}/forms/", {"code": "BM.01", "file": real}).status_code == 302
    form = process.forms.get(code="BM.01")
    assert form.file
    for action, actor in (("submit", coordinator), ("approve", world.users["agency_head"]), ("publish", coordinator)):
        process_transition(actor=actor, process=process, action=action)
    anonymous = client.__class__()
    page = anonymous.get(f"/public/{world.own.code}/processes/{process.pk}/").content.decode()
    link = f"/public/{world.own.code}/processes/{process.pk}/forms/{form.pk}/"
    assert link in page
    download = anonymous.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content if download.streaming else
                                                     [download.content]).startswith(b"%PDF")
