"""Personal API tokens: `Authorization: Bearer eiso_...` (or `Token eiso_...`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from eiso.accounts.models import ApiToken, hash_token
from eiso.accounts.selectors import user_access_expired


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header. Send: Authorization: Bearer <token>."))
        raw = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is unknown, revoked or expired. Create a new one on the API tokens page.")
            )
        user = token.user
        if not user.is_active or user_access_expired(user=user):
            raise exceptions.AuthenticationFailed(
                _("This account is disabled or its access has expired. Ask your ISO coordinator.")
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return (user, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "eiso.accounts.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Personal API token (eiso_...)"}
