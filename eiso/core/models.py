"""Framework models: the agency-owned base (tenancy) and the audit trail."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.errors import ApplicationError
from eiso.core.querysets import AuthorityManager, RestrictedManager, RestrictedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AgencyOwnedModel(TimeStampedModel):
    """Base of every domain model that belongs to one agency (the tenant).

    Invariants: a UUID primary key (ids are not guessable across agencies); `agency` is never null;
    all reads for users go through `objects.restrict(user, action)`. A system check (eiso.E001)
    fails when a domain model does not inherit this base and is not on the reference allowlist.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )

    objects = RestrictedManager()

    # Narrow the role table per model: {"view": {"agency_head", ...}}. None = ROLE_ACTIONS as is.
    permitted_roles: dict | None = None
    # Path to an OrgUnit for org-unit-limited assignments, e.g. "org_unit".
    org_unit_field: str | None = None

    class Meta:
        abstract = True


class AuthorityOwnedModel(AgencyOwnedModel):
    """Base of a record kept by a province's supervising authority (rollout plans, reporting periods, inspection
    plans, trainings, consultants): `agency` is the authority's agency. See AuthorityQuerySet for who sees it."""

    objects = AuthorityManager()

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("status changed")


class AuditLogQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise ApplicationError(_("The audit trail cannot be edited."), code="audit_immutable")

    def delete(self):
        raise ApplicationError(_("The audit trail cannot be deleted."), code="audit_immutable")


class AuditLogEntry(models.Model):
    """One create/update/delete/transition of a domain object: who, when, which agency, before → after.

    Append-only: saving an existing entry, queryset updates and deletes are refused, and no UI or API
    route writes it.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_repr = models.CharField(_("by"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("object type"))
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = models.Manager.from_queryset(AuditLogQuerySet)()

    permitted_roles = {
        "view": {"agency_head", "iso_coordinator", "auditor", "supervisor"},
    }
    org_unit_field = None
    agency_field = "agency"

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ApplicationError(_("The audit trail cannot be edited."), code="audit_immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ApplicationError(_("The audit trail cannot be deleted."), code="audit_immutable")
