"""Uploads are judged by content and size, stored under names the uploader cannot steer, and never served
from a public media URL."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from eiso.core.errors import ApplicationError
from eiso.core.files import DOCUMENT_KINDS, IMAGE_KINDS, check_upload, file_kind, safe_name

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def _zip(names: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("report.pdf", PDF, "pdf"), ("scan.docx", PDF, "pdf"),  # the content decides, not the name
    ("photo.png", PNG, "png"), ("form.docx", DOCX, "docx"), ("form.odt", ODT, "odt"),
    ("page.pdf", HTML, None), ("archive.docx", _zip({"evil.html": HTML}), None), ("image.svg", b"<svg/>", None),
])
def test_kind_comes_from_the_content(name, content, kind):
    assert file_kind(SimpleUploadedFile(name, content)) == kind


def test_a_file_that_lies_about_its_type_is_refused():
    with pytest.raises(ApplicationError) as error:
        check_upload(SimpleUploadedFile("to-khai.pdf", HTML), allowed=DOCUMENT_KINDS | IMAGE_KINDS, max_bytes=10**6)
    assert error.value.code == "file_type"


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(ApplicationError) as error:
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), allowed=DOCUMENT_KINDS, max_bytes=1024)
    assert error.value.code == "file_too_large"
    assert check_upload(SimpleUploadedFile("small.pdf", PDF), allowed=DOCUMENT_KINDS, max_bytes=1024) == "pdf"


@pytest.mark.parametrize(("name", "stored"), [
    ("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\a\\bien-ban.pdf", "bien-ban.pdf"),
    ("/var/lib/eiso/x.pdf", "x.pdf"), ("..", "file.pdf"), ("", "file.pdf"), ("...", "file.pdf"),
    ('a"b<c>.pdf', "abc.pdf"), ("page.html", "page.pdf"), ("Tờ khai.pdf", "Tờ_khai.pdf"),
])
def test_stored_names_cannot_leave_their_folder_or_lie_about_the_type(name, stored):
    assert safe_name(name, "pdf") == stored


def test_form_files_are_stored_under_the_extension_of_their_content():
    from eiso.processes.services import _check_form_file

    upload = SimpleUploadedFile("../bieu-mau.html", PDF)
    _check_form_file(upload)
    assert upload.name == "bieu-mau.pdf"


@pytest.mark.parametrize("path", [
    ("documents", "upload_to_attachment"), ("objectives", "upload_to_evidence"),
])
def test_upload_folders_come_from_ids_not_from_the_uploader(path):
    import uuid
    from types import SimpleNamespace

    from eiso.documents.models import _attachment_path
    from eiso.objectives.models import _evidence_path

    ids = SimpleNamespace(agency_id=uuid.uuid4(), revision_id=uuid.uuid4(), indicator_id=uuid.uuid4(),
                          pk=uuid.uuid4())
    function = _attachment_path if path[0] == "documents" else _evidence_path
    stored = function(ids, safe_name("../../x/evil.html", "pdf"))
    assert stored.startswith(f"{path[0]}/{ids.agency_id}/") and ".." not in stored and stored.endswith("-evil.pdf")
    assert stored.count("/") == 3


def test_there_is_no_media_url_route(client, settings):
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}documents/x/y/z.pdf")
