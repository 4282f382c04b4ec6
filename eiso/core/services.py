"""Generic create/update/delete services: validate, save, audit and re-check scope in one transaction.

Every interface (UI, API, command) that edits a plain domain object calls these; domain services with
richer rules call them too, or `audit_record` directly.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction


def validate(instance, *, exclude=None) -> None:
    """full_clean() with Django's ValidationError turned into the ApplicationError every interface
    renders (the message of the first problem, and every field's errors)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", errors=errors) from exc


def _ensure_in_scope(*, actor, instance, action: str) -> None:
    """NetBox's rule: a write is re-checked inside its transaction and refused if it left the
    actor's scope (e.g. an object moved to an agency the actor may not edit)."""
    if actor is None:  # system jobs and commands run without a user
        return
    model = type(instance)
    if not model.objects.restrict(actor, action).filter(pk=instance.pk).exists():
        raise PermissionDeniedError(
            _("You may not %(action)s this %(object)s here. Ask your ISO coordinator or administrator.")
            % {"action": action, "object": model._meta.verbose_name}
        )


@transaction.atomic
def object_create(*, actor, model, data: dict, exclude_clean=None):
    instance = model(**data)
    validate(instance, exclude=exclude_clean)
    instance.save()
    _ensure_in_scope(actor=actor, instance=instance, action="add")
    audit_record(actor=actor, instance=instance, action=AuditAction.CREATE)
    return instance


@transaction.atomic
def object_update(*, actor, instance, data: dict):
    model = type(instance)
    locked = model.objects.select_for_update().get(pk=instance.pk)
    _ensure_in_scope(actor=actor, instance=locked, action="change")
    before = snapshot(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    validate(locked)
    locked.save()
    _ensure_in_scope(actor=actor, instance=locked, action="change")
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, before=before)
    return locked


@transaction.atomic
def object_delete(*, actor, instance) -> None:
    _ensure_in_scope(actor=actor, instance=instance, action="delete")
    before = snapshot(instance)
    audit_record(actor=actor, instance=instance, action=AuditAction.DELETE, before=before)
    instance.delete()


def text_required(value: str, field: str, message) -> str:
    """The text stripped, or a refusal with `message` (the error sits on `field`)."""
    if not (value or "").strip():
        raise ApplicationError(message, code=f"{field}_required", errors={field: [_("This field is required.")]})
    return value.strip()
