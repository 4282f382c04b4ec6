"""Writes on people: accounts and personal tokens."""

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import ApiToken, User, hash_token
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for
from eiso.core.services import validate


@transaction.atomic
def api_token_create(*, user, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a personal token; returns (token, raw value). The raw value is never stored."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the token a name, e.g. the system that will use it."), code="name_required",
                               errors={"name": [_("This field is required.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(_("The expiry must be in the future."), code="expiry_in_past",
                               errors={"expires_at": [_("The expiry must be in the future.")]})
    raw = ApiToken.generate_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw),
                                    expires_at=expires_at)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDeniedError()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def user_create(*, actor, username: str, password: str, full_name: str = "", email: str = "",
                position: str = "", phone: str = "", is_superuser: bool = False) -> User:
    """Create an account. Managers of an agency create accounts and then assign roles; only system
    administrators create administrators."""
    scope = scope_for(actor)
    if not scope.is_global and not scope.agencies_for("manage_roles"):
        raise PermissionDeniedError(_("Only administrators, agency heads and ISO coordinators can add people."))
    if is_superuser and not scope.is_global:
        raise PermissionDeniedError(_("Only a system administrator can create another administrator."))
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("The user name %(name)s is taken. Choose another.") % {"name": username},
                               code="duplicate_username", errors={"username": [_("This user name is taken.")]})
    user = User(username=username, full_name=full_name, email=email, position=position, phone=phone,
                is_superuser=is_superuser, is_staff=is_superuser)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password",
                               errors={"password": exc.messages}) from exc
    user.set_password(password)
    validate(user)
    user.save()
    audit_record(actor=actor, instance=user, action=AuditAction.CREATE)
    return user


@transaction.atomic
def user_update(*, actor, user: User, data: dict) -> User:
    """Change a person's details or deactivate them. Allowed to system administrators and to the head
    or ISO coordinator of an agency where the person holds a role."""
    if not User.objects.restrict(actor, "change").filter(pk=user.pk).exists():
        raise PermissionDeniedError(_("You can only edit people of an agency where you manage roles."))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDeniedError(_("Only a system administrator can edit an administrator."))
    if user.pk == actor.pk and data.get("is_active") is False:
        raise ApplicationError(_("You cannot deactivate your own account."), code="self_deactivation")
    allowed = {"full_name", "position", "email", "phone", "is_active"}
    before = snapshot(user)
    for name, value in data.items():
        if name in allowed:
            setattr(user, name, value)
    validate(user)
    user.save()
    audit_record(actor=actor, instance=user, action=AuditAction.UPDATE, before=before)
    return user


def ensure_manages_person(actor, user, *, own_message: str) -> None:
    """Account care of someone else (a lost phone, a paused sign-in): system administrators, and those who manage
    roles in an agency where the person holds one; never on oneself, never on an administrator unless one is."""
    if actor.pk == user.pk:
        raise PermissionDeniedError(own_message)
    if not User.objects.restrict(actor, "change").filter(pk=user.pk).exists():
        raise PermissionDeniedError(_("You can only do this for people of an agency where you manage roles."))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDeniedError(_("Only a system administrator can do this for an administrator."))


def sign_in_paused(user) -> bool:
    """Whether too many wrong passwords have paused the person's sign-in (from some address, within the cool-off)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()


@transaction.atomic
def sign_in_unlock(*, actor, user) -> None:
    """End a pause of the person's sign-in before its cool-off (they called to say it was them)."""
    from axes.utils import reset

    ensure_manages_person(actor, user, own_message=_("Ask another manager or an administrator to unlock your sign-in."))
    reset(username=user.username)
    audit_record(actor=actor, instance=user, action=AuditAction.UPDATE, note=_("sign-in unlocked"))
