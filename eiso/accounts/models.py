"""People and their personal API tokens."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import scope_for


class UserQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """People are visible to managers of an agency where they hold a role (and to the
        supervisor of that agency's province); everyone sees themself."""
        scope = scope_for(user)
        if scope.is_global:
            return self
        if not user.is_authenticated:
            return self.none()
        from eiso.organizations.models import RoleAssignment

        permitted = RoleAssignment.permitted_roles
        agencies = scope.agencies_for(
            "view" if action == "view" else "manage_roles", permitted if action == "view" else None
        )
        condition = Q(role_assignments__agency__in=agencies)
        if action == "view" and scope.supervises_for("view", permitted):
            condition |= Q(role_assignments__agency__province__in=scope.supervised_provinces)
        if action == "view":
            condition |= Q(pk=user.pk)
        return self.filter(condition).distinct()


class EisoUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person: civil servant, officer, consultant or administrator. What they may do comes from
    their role assignments (organizations.RoleAssignment); `is_superuser` = system administrator."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = EisoUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once at creation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_key() -> str:
        return "eiso_" + secrets.token_urlsafe(32)
