"""Files of a revision: judged by content and size, added only to drafts, served only to those who may
see the document (PDFs and images inline, as the preview), every change in the audit trail."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.files import file_kind
from eiso.core.models import AuditLogEntry
from eiso.documents.models import Attachment
from eiso.documents.services import attachment_add, attachment_remove, document_create
from eiso.organizations.models import QMS
from tests.documents.conftest import publish

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def manual(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return document_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="manual", code="STCL",
                           title="Sổ tay chất lượng")


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.pdf", PDF, "pdf"),
    ("a.docx", _office("docx"), "docx"),
    ("bang.xlsx", _office("xlsx"), "xlsx"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
    ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpeg"),
    ("fake.pdf", b"<html>not a pdf</html>", None),
    ("fake.docx", b"PK\x03\x04 not really a zip", None),
    ("plain.zip", None, None),
])
def test_the_kind_of_a_file_comes_from_its_content(name, content, kind):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    assert file_kind(io.BytesIO(content)) == kind


def test_a_pdf_is_attached_to_the_draft_with_its_checksum_and_audited(world, manual):
    coordinator = world.users["iso_coordinator"]
    # when
    attachment = attachment_add(actor=coordinator, document=manual, file=SimpleUploadedFile("Quyết định.pdf", PDF))
    # then
    assert (attachment.kind, attachment.size, attachment.revision.number) == ("pdf", len(PDF), 1)
    assert attachment.name.endswith(".pdf") and len(attachment.sha256) == 64
    assert attachment.file.read() == PDF
    assert AuditLogEntry.objects.filter(object_id=str(attachment.pk), action="create").exists()


def test_a_file_claiming_to_be_a_pdf_is_refused_and_nothing_is_stored(world, manual, tmp_path):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(actor=world.users["iso_coordinator"], document=manual,
                       file=SimpleUploadedFile("to-khai.pdf", b"<html><script>alert(1)</script></html>"))
    assert exc.value.code == "file_type"
    assert not Attachment.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_200_mb_upload_is_refused_before_it_is_read(world, manual):
    big = SimpleUploadedFile("lon.pdf", PDF)
    big.size = 200 * 1024 * 1024  # what Django reports for a 200 MB upload (spooled to disk, never read here)
    with pytest.raises(ApplicationError) as exc:
        attachment_add(actor=world.users["iso_coordinator"], document=manual, file=big)
    assert exc.value.code == "file_too_large" and "20 MB" in str(exc.value.message)
    assert not Attachment.objects.exists()


def test_a_published_issue_takes_no_file_and_keeps_its_files(world, manual):
    coordinator = world.users["iso_coordinator"]
    attachment = attachment_add(actor=coordinator, document=manual, file=SimpleUploadedFile("a.pdf", PDF))
    publish(manual)
    with pytest.raises(ApplicationError):
        attachment_add(actor=coordinator, document=manual, file=SimpleUploadedFile("b.pdf", PDF))
    with pytest.raises(ApplicationError):
        attachment_remove(actor=coordinator, attachment=attachment)
    assert Attachment.objects.count() == 1


def test_staff_cannot_attach(world, manual):
    with pytest.raises(PermissionDeniedError):
        attachment_add(actor=world.users["staff"], document=manual, file=SimpleUploadedFile("a.pdf", PDF))


def test_the_file_is_served_only_to_those_who_may_see_the_document(client, world, manual):
    attachment = attachment_add(actor=world.users["iso_coordinator"], document=manual,
                                file=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("documents:attachment_download", args=[attachment.pk])
    # anonymous: to the login page
    assert client.get(url).status_code == 302
    # staff of the agency: inline PDF (the preview)
    client.force_login(world.users["staff"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline") and b"".join(response.streaming_content) == PDF
    # someone of another agency: as if it did not exist
    from tests.factories import user_with_role

    client.force_login(user_with_role("staff", world.foreign))
    assert client.get(url).status_code == 404


def test_the_page_attaches_and_lists_the_file(client, world, manual):
    client.force_login(world.users["iso_coordinator"])
    response = client.post(reverse("documents:attachment_add", args=[manual.pk]),
                           {"file": SimpleUploadedFile("bang-tinh.xlsx", _office("xlsx"))})
    assert response.status_code == 302
    page = client.get(manual.get_absolute_url()).content.decode()
    assert 'data-attachment="bang-tinh.xlsx"' in page and 'id="attach-form"' in page
