"""Writing the audit trail. Called by services inside their transaction, never by views."""

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from eiso.core.models import AuditAction, AuditLogEntry


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model) -> dict:
    """Concrete field values of an instance as JSON-ready data (foreign keys by id)."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in ("created_at", "updated_at", "password", "search_text"):
            continue
        data[f.attname] = _plain(f.value_from_object(instance))
    return data


def diff(before: dict, after: dict) -> dict:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_agency_id(instance):
    """The agency an object belongs to, for filtering the trail per agency."""
    if instance._meta.model_name == "agency":
        return instance.pk
    return getattr(instance, "agency_id", None)


def audit_record(
    *, actor, instance: models.Model, action: str, before: dict | None = None, after: dict | None = None,
    note: str = "",
) -> AuditLogEntry:
    if action == AuditAction.CREATE:
        changes = diff({}, after or snapshot(instance))
    elif action == AuditAction.DELETE:
        changes = diff(before or {}, {})
    else:
        changes = diff(before or {}, after if after is not None else snapshot(instance))
    return AuditLogEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_repr=(actor.get_username() if actor is not None and actor.is_authenticated else "system"),
        agency_id=audit_agency_id(instance),
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
        note=note,
    )


def history_for(instance: models.Model):
    """Audit entries of one object, newest first."""
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")
