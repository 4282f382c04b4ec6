import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.db import models

from eiso.core.audit import audit_record, history_for
from eiso.core.checks import check_agency_owned_base
from eiso.core.errors import ApplicationError
from eiso.core.models import AuditLogEntry
from eiso.core.services import object_create, object_delete, object_update
from eiso.core.text import fold
from eiso.organizations.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "key"),
    [("Hà Nội", "ha noi"), ("  ĐIỆN   Biên ", "dien bien"), ("Thừa Thiên Huế", "thua thien hue"), ("", ""),
     (None, "")],
)
def test_fold_strips_vietnamese_diacritics(text, key):
    assert fold(text) == key


def test_generic_services_write_the_audit_trail_with_before_and_after(world):
    coordinator = world.users["iso_coordinator"]
    unit = object_create(actor=coordinator, model=OrgUnit, data={"agency": world.own, "name": "Tổ tiếp dân"})
    object_update(actor=coordinator, instance=unit, data={"name": "Tổ tiếp công dân"})
    object_delete(actor=coordinator, instance=OrgUnit.objects.get(pk=unit.pk))
    entries = list(history_for(unit).order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[1].changes == {"name": ["Tổ tiếp dân", "Tổ tiếp công dân"]}
    assert entries[2].changes["name"] == ["Tổ tiếp công dân", None]
    assert all(e.agency_id == world.own.pk and e.actor == coordinator for e in entries)


def test_a_write_that_leaves_the_actor_scope_is_rolled_back(world):
    coordinator = world.users["iso_coordinator"]
    unit = world.own_unit
    with pytest.raises(ApplicationError):
        object_update(actor=coordinator, instance=unit, data={"agency": world.sibling})
    unit.refresh_from_db()
    assert unit.agency == world.own
    assert not history_for(unit).exists()


def test_the_audit_trail_cannot_be_edited_or_deleted(world):
    entry = audit_record(actor=None, instance=world.own_unit, action="create")
    entry.note = "sửa"
    with pytest.raises(ApplicationError):
        entry.save()
    with pytest.raises(ApplicationError):
        entry.delete()
    with pytest.raises(ApplicationError):
        AuditLogEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(ApplicationError):
        AuditLogEntry.objects.all().delete()
    assert AuditLogEntry.objects.get(pk=entry.pk).note == ""


def test_audit_api_is_read_only(api_client, world):
    entry = audit_record(actor=None, instance=world.own_unit, action="create")
    api_client.force_authenticate(world.users["admin"])
    url = f"/api/v1/audit-log/{entry.pk}/"
    assert api_client.get(url).status_code == 200
    assert api_client.patch(url, {"note": "x"}, format="json").status_code == 405
    assert api_client.delete(url).status_code == 405
    assert api_client.post("/api/v1/audit-log/", {}, format="json").status_code == 405
    assert AuditLogEntry.objects.get(pk=entry.pk).note == ""


def test_system_check_flags_a_domain_model_that_skips_the_agency_base(settings):
    # given a domain model in an eISO app that does not inherit AgencyOwnedModel
    class Rogue(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "organizations"

    Rogue.__module__ = "eiso.organizations.models"
    try:
        errors = check_agency_owned_base()
        ids = {(e.id, e.obj) for e in errors}
        assert ("eiso.E001", Rogue) in ids
        assert ("eiso.E002", Rogue) in ids
    finally:
        from django.apps import apps

        del apps.all_models["organizations"]["rogue"]
        apps.clear_cache()
    assert check_agency_owned_base() == []


def test_the_real_project_passes_its_system_checks():
    errors = [e for e in checks.run_checks() if e.level >= checks.WARNING]
    assert errors == []


def test_api_errors_share_one_format(api_client, world):
    api_client.force_authenticate(world.users["supervisor"])
    response = api_client.post("/api/v1/agencies/", {"code": world.own.code, "name": "X", "kind": "other",
                                                      "admin_unit": world.own.admin_unit_id}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate_agency"
    assert "code" in body["errors"]
    invalid = api_client.post("/api/v1/agencies/", {"kind": "nonsense"}, format="json")
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid"
    assert "kind" in invalid.json()["errors"]
    anonymous = api_client.__class__().get("/api/v1/agencies/")
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"message", "code", "errors"}


def test_openapi_schema_documents_the_endpoints(api_client, world):
    api_client.force_authenticate(world.users["staff"])
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/admin-units/", "/api/v1/agencies/", "/api/v1/org-units/", "/api/v1/users/",
                 "/api/v1/role-assignments/", "/api/v1/calendar/add-working-time/", "/api/v1/tokens/"]:
        assert path in paths
    assert ContentType.objects.exists()


def test_openapi_schema_builds_without_warnings(capsys):
    """A new choice set whose name collides with another app's, or a view the generator cannot read, warns: the
    schema (and the clients generated from it) must stay clean, so the warning fails the build here."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    assert "Warning" not in capsys.readouterr().err
