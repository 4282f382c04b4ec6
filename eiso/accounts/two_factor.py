"""Two-factor sign-in (TOTP, RFC 6238) with django-otp: who must use it, enrolment, verification and backup codes.

Agency heads, ISO coordinators, supervisors (provincial and national) and system administrators must confirm a
code from an authenticator app after their password (settings.EISO_TWO_FACTOR_REQUIRED, on by default); anyone
else may enrol and is then asked too. Until the session is verified, SecondFactorMiddleware lets such a person
reach only the sign-in, sign-out and two-factor pages. Personal API tokens are created from a verified session and
are not asked for a code.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from eiso.core.audit import audit_record
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import Role, scope_for

SECOND_FACTOR_ROLES = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.SUPERVISOR, Role.NATIONAL_SUPERVISOR})
BACKUP_CODE_COUNT = 10
DEVICE_NAME = "authenticator"

# Paths a signed-in person who still owes the second factor may reach: signing in and out, the two-factor pages
# themselves, single sign-on's return, the language switch, static files, health probes and the public (citizen) pages.
EXEMPT_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/two-factor/", "/oidc/", "/i18n/",
                   "/jsi18n/", "/static/", "/health/", "/public/")
# Under /api/, the pages people open in the browser (the interactive documentation) send them to the code step like
# any page; the rest of the API answers 403 in its error format.
API_PAGES = ("/api/v1/docs/", "/api/v1/redoc/")


def second_factor_required(user) -> bool:
    """Whether `user` must confirm a one-time code after the password."""
    if not user.is_authenticated:
        return False
    if user_has_device(user, confirmed=True):
        return True
    if not settings.EISO_TWO_FACTOR_REQUIRED:
        return False
    scope = scope_for(user)
    return scope.is_global or any(g.role in SECOND_FACTOR_ROLES for grants in scope.grants.values() for g in grants)


def is_verified(request) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def owes_second_factor(request) -> bool:
    """A signed-in person who gave the password but not yet the code this session needs (asked once per request:
    the middleware and the menu both ask)."""
    owes = getattr(request, "_eiso_owes_second_factor", None)
    if owes is None:
        user = getattr(request, "user", None)
        owes = bool(user is not None and user.is_authenticated and not is_verified(request)
                    and second_factor_required(user))
        request._eiso_owes_second_factor = owes
    return owes


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session that owes the second factor is sent to confirm it (pages) or
    refused with 403 in the API's error format (the API through a session cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(EXEMPT_PREFIXES) and owes_second_factor(request):
            if request.path.startswith("/api/") and not request.path.startswith(API_PAGES):
                from eiso.core.api.errors import error_body

                message = _("Confirm the code from your authenticator app first: sign in again in the browser.")
                return JsonResponse(error_body(message, "second_factor_required"), status=403)
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (a new secret on first call, the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL of the device as an SVG QR code in a data: URI, drawn here (no external service)."""
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def verify(request, code: str) -> bool:
    """Check a code (from the authenticator, or a backup code) for the signed-in person and mark the session."""
    code = (code or "").strip().replace(" ", "")
    device = django_otp.match_token(request.user, code) if code else None
    if device is None:
        return False
    django_otp.login(request, device)
    request._eiso_owes_second_factor = False
    return True


@transaction.atomic
def enrol(request, code: str) -> list[str]:
    """Confirm the pending authenticator with its first code: it replaces any earlier one, new backup codes are
    made, and the session is verified. Returns the backup codes (shown once). Replacing an enrolled authenticator
    needs a session verified with it: a password alone never replaces it."""
    user = request.user
    if confirmed_device(user) is not None and not is_verified(request):
        raise PermissionDeniedError(_("Confirm the code from your current authenticator first."))
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    code = (code or "").strip().replace(" ", "")
    if device is None or not code.isdigit() or not device.verify_token(code):
        raise ApplicationError(
            _("The code is not correct. Check the time on your phone and enter the 6 digits shown now."),
            code="invalid_code", errors={"code": [_("The code is not correct.")]})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    django_otp.login(request, device)
    request._eiso_owes_second_factor = False
    audit_record(actor=user, instance=user, action=AuditAction.UPDATE, note=_("two-factor sign-in enrolled"))
    return codes


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=c) for c in codes])
    return codes


@transaction.atomic
def reset(*, actor, user) -> None:
    """Remove a person's authenticator and backup codes (a lost phone): they enrol again at their next sign-in."""
    from eiso.accounts.services import ensure_manages_person

    ensure_manages_person(actor, user, own_message=_("Ask another manager or an administrator to reset your own "
                                                     "two-factor sign-in."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, instance=user, action=AuditAction.UPDATE, note=_("two-factor sign-in reset"))
