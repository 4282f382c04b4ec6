"""Uploaded files in S3-compatible object storage: the settings' EISO_S3_* switch, tried against a real S3 server
speaking HTTP on the loopback (moto's), not a mock of boto3. Attachments land in the bucket, stay private and come
back byte for byte only through the authorised view; a catalogue import goes through the storage to the task;
removing a file removes its object."""

import runpy
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.catalog.models import ImportRun
from eiso.catalog.tasks import import_catalog_task
from eiso.documents.models import Attachment
from eiso.documents.services import document_create
from eiso.organizations.models import QMS
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "eiso" / "settings.py"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # every byte value: nothing may be re-encoded
KEY_ID, SECRET = "eiso-test-key", "eiso-test-secret"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch, settings, tmp_path, request):
    """A new bucket, and the default storage pointed at it by eiso/settings.py itself (run with EISO_S3_* set)."""
    name = f"eiso-{request.node.name.replace('_', '-')[:40].lower().strip('-')}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET)
    client.create_bucket(Bucket=name)
    for key, value in {"EISO_S3_BUCKET": name, "EISO_S3_ENDPOINT_URL": s3_endpoint, "EISO_S3_REGION": "us-east-1",
                       "EISO_S3_ACCESS_KEY_ID": KEY_ID, "EISO_S3_SECRET_ACCESS_KEY": SECRET,
                       "EISO_S3_PREFIX": "eiso", "EISO_DATA_DIR": str(tmp_path / "data")}.items():
        monkeypatch.setenv(key, value)
    production = runpy.run_path(str(SETTINGS_FILE))
    assert production["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": production["STORAGES"]["default"]}  # resets the storages
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    yield client, name
    assert not (tmp_path / "media").exists(), "a file went to the local disk instead of the bucket"


def _objects(client, bucket_name) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=bucket_name).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=bucket_name, Key=item["Key"])["Body"].read() for item in listing}


@pytest.fixture
def manual(world):
    return document_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="manual", code="STCL",
                           title="Sổ tay chất lượng")


def test_the_default_storage_is_the_private_bucket(bucket):
    from storages.backends.s3 import S3Storage

    _, bucket_name = bucket
    assert isinstance(default_storage, S3Storage)
    assert (default_storage.bucket_name, default_storage.location) == (bucket_name, "eiso")
    assert default_storage.default_acl is None and default_storage.file_overwrite is False
    assert default_storage.querystring_auth is True  # never an unsigned, permanent URL


def test_an_attachment_uploaded_through_the_page_lands_in_the_bucket_and_downloads_byte_for_byte(
        client, world, manual, bucket):
    s3, bucket_name = bucket
    # when: the coordinator attaches a PDF through the document's page
    client.force_login(world.users["iso_coordinator"])
    response = client.post(reverse("documents:attachment_add", args=[manual.pk]),
                           {"file": SimpleUploadedFile("Quyết định ban hành.pdf", PDF)})
    # then: one private object under the prefix, with exactly the bytes sent
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    stored = _objects(s3, bucket_name)
    assert list(stored) == [f"eiso/{attachment.file.name}"]
    assert stored[f"eiso/{attachment.file.name}"] == PDF
    grants = s3.get_object_acl(Bucket=bucket_name, Key=f"eiso/{attachment.file.name}")["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant
    # and it comes back through the authorised view only
    url = reverse("documents:attachment_download", args=[attachment.pk])
    client.force_login(world.users["staff"])
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert int(download["Content-Length"]) == len(PDF)
    assert b"".join(download.streaming_content) == PDF
    client.force_login(user_with_role("staff", world.foreign))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_saving_twice_under_one_name_keeps_both_files(bucket):
    # as on the file system: S3 would silently replace the first object otherwise
    s3, bucket_name = bucket
    first = default_storage.save("forms/2026/mau.pdf", SimpleUploadedFile("mau.pdf", PDF))
    second = default_storage.save("forms/2026/mau.pdf", SimpleUploadedFile("mau.pdf", PDF + b"second"))
    assert first == "forms/2026/mau.pdf" and second != first
    assert _objects(s3, bucket_name) == {f"eiso/{first}": PDF, f"eiso/{second}": PDF + b"second"}


def test_removing_an_attachment_removes_its_object(client, world, manual, bucket, django_capture_on_commit_callbacks):
    s3, bucket_name = bucket
    client.force_login(world.users["iso_coordinator"])
    client.post(reverse("documents:attachment_add", args=[manual.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)})
    attachment = Attachment.objects.get()
    assert len(_objects(s3, bucket_name)) == 1
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:attachment_remove", args=[attachment.pk]))
    # then
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert _objects(s3, bucket_name) == {}


def test_a_catalogue_import_goes_through_the_bucket_to_the_task(client, world, bucket):
    s3, bucket_name = bucket
    content = (
        '{"code": "T.000001", "name": "Thủ tục một"}\n'
        '{"code": "T.000002", "name": "Thủ tục hai"}\n'
    ).encode()
    client.force_login(world.users["admin"])
    # when: the page saves the upload and the task (in-process here) reads it back from the storage
    response = client.post("/catalog/imports/new/", {"file": SimpleUploadedFile("upload.jsonl", content)})
    # then
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.source, run.created) == ("done", "upload.jsonl", 2)
    stored = _objects(s3, bucket_name)
    assert len(stored) == 1
    (key, body), = stored.items()
    assert key.startswith("eiso/imports/") and key.endswith("-upload.jsonl") and body == content


def test_the_task_reads_the_stored_name_not_a_local_path(world, bucket):
    s3, bucket_name = bucket
    name = default_storage.save("imports/later.jsonl", SimpleUploadedFile(
        "later.jsonl", '{"code": "T.000009", "name": "Thủ tục chín"}\n'.encode()))
    run = ImportRun.objects.create(source="later.jsonl")
    # when: the worker runs the task with what the app sent it
    import_catalog_task.apply(args=[run.pk, [name]])
    # then
    run.refresh_from_db()
    assert (run.status, run.created) == ("done", 1)
    assert f"eiso/{name}" in _objects(s3, bucket_name)


def test_a_stored_file_that_is_gone_fails_the_run_with_a_reason(world, bucket):
    run = ImportRun.objects.create(source="gone.jsonl")
    import_catalog_task.apply(args=[run.pk, ["imports/gone.jsonl"]])
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None
    assert run.report[-1]["kind"] == "import_stopped"


def test_readiness_checks_the_bucket(bucket, client, settings):
    settings.EISO_S3_BUCKET = bucket[1]
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"
    bucket[0].delete_bucket(Bucket=bucket[1])  # empty: nothing was uploaded
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("unavailable")
