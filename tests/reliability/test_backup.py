"""`eiso backup` and `eiso restore` round-trip on the configured engine (SQLite and PostgreSQL): after a backup,
rows are changed, deleted and added and files removed and added; the restore brings back every table's rows and
every file's bytes. A damaged archive or one of another engine is refused before anything changes."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from eiso.core.backup import MANIFEST, storage_files
from eiso.documents.models import Attachment, Document
from eiso.documents.services import attachment_add, attachment_remove
from eiso.organizations.models import Agency
from tests.factories import AgencyFactory, QMSFactory, UserFactory
from tests.qms_records import build_documents, hold_review

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def table_digests() -> dict[str, str]:
    """Each table's rows, as a digest independent of the order the database returns them in."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def file_digests() -> dict[str, str]:
    result = {}
    for name in storage_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            result[name] = hashlib.sha256(handle.read()).hexdigest()
    return result


def make_data():
    agency = AgencyFactory(name="Ủy ban nhân dân phường Cam Đường")
    QMSFactory(agency=agency)
    manual = build_documents(agency)
    attachment = attachment_add(actor=None, document=manual, file=SimpleUploadedFile("Quyết định ban hành.pdf", PDF))
    hold_review(agency, 2025)
    default_storage.save("forms/2025/bieu-mau.pdf", ContentFile(PDF + b"% form\n"))
    return agency, manual, attachment


def change_everything(agency, manual, attachment):
    Document.objects.filter(pk=manual.pk).update(title="Đã sửa sau sao lưu")
    attachment_remove(actor=None, attachment=attachment)  # the row, and its file once committed
    Agency.objects.filter(pk=agency.pk).update(name="Tên khác")
    AgencyFactory()
    UserFactory(username="after-backup")
    default_storage.save("stray/new.pdf", ContentFile(b"%PDF-1.4 added later"))


def test_backup_then_restore_brings_back_every_row_and_file(tmp_path):
    agency, manual, attachment = make_data()
    rows_before, files_before = table_digests(), file_digests()
    assert attachment.file.name in files_before and len(files_before) == 2

    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "b.tar"), stdout=out)
    assert "Backup written to" in out.getvalue()
    archive = tmp_path / "b.tar"
    assert archive.is_file() and not list(tmp_path.glob(".*.partial"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert manifest["engine"] == connection.vendor
    assert ["documents", "0001_initial"] in manifest["migrations"]
    assert f"files/{attachment.file.name}" in manifest["members"]

    change_everything(agency, manual, attachment)
    assert table_digests() != rows_before and file_digests() != files_before
    assert not default_storage.exists(attachment.file.name)

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "Restored" in out.getvalue()

    assert table_digests() == rows_before
    assert file_digests() == files_before
    restored = Attachment.objects.get(pk=attachment.pk)
    assert restored.file.read() == PDF
    # the key sequences came back with the rows: a new row gets a key after the restored ones
    User = get_user_model()
    assert UserFactory(username="after-restore").pk > max(User.objects.exclude(username="after-restore")
                                                          .values_list("pk", flat=True))


def test_tampered_archive_is_refused_and_nothing_changes(tmp_path):
    agency, manual, attachment = make_data()
    archive = tmp_path / "b.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        offset = tar.getmember(f"files/{attachment.file.name}").offset_data
    data = bytearray(archive.read_bytes())
    data[offset + 3] ^= 0x01  # one byte of the attachment
    archive.write_bytes(bytes(data))

    change_everything(agency, manual, attachment)
    rows_changed, files_changed = table_digests(), file_digests()
    with pytest.raises(CommandError, match="checksum of files/documents/.* does not match"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert table_digests() == rows_changed
    assert file_digests() == files_changed


def test_archive_of_another_engine_or_without_confirmation_is_refused(tmp_path, monkeypatch):
    make_data()
    archive = tmp_path / "b.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    rows, files = table_digests(), file_digests()

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled; nothing was changed"):
        call_command("restore", str(archive), stdout=io.StringIO())

    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    forged = tmp_path / "other.tar"
    with tarfile.open(archive) as source, tarfile.open(forged, "w") as target:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == MANIFEST:
                manifest = json.loads(data)
                manifest["engine"] = other
                data = json.dumps(manifest).encode()
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match=f"backup of a {other} database; this installation uses "
                                           f"{connection.vendor}"):
        call_command("restore", str(forged), yes=True, stdout=io.StringIO())

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(archive), stdout=io.StringIO())
    assert table_digests() == rows and file_digests() == files
