"""Optional single sign-on through a provincial OpenID Connect identity provider (mozilla-django-oidc), switched on by
EISO_OIDC_CLIENT_ID and the provider's endpoints (docs/security.md, "Single sign-on").

The provider proves who the person is; eISO still decides what they may do. So the provider only signs in people who
already have an active eISO account — matched by user name against the claim EISO_OIDC_USERNAME_CLAIM — and never
creates one: a manager adds the person and assigns roles in eISO as usual. A consultant whose roles have all ended is
refused, as with a password. Two-factor sign-in still applies after it (unless the province's provider already asks
for a second factor and EISO_TWO_FACTOR_REQUIRED is turned off)."""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from eiso.accounts.selectors import user_access_expired


class ExistingPersonBackend(OIDCAuthenticationBackend):
    def _claimed_username(self, claims) -> str:
        return str(claims.get(settings.EISO_OIDC_USERNAME_CLAIM) or "").strip()

    def verify_claims(self, claims) -> bool:
        return bool(self._claimed_username(claims))

    def describe_user_by_claims(self, claims) -> str:
        return f"{settings.EISO_OIDC_USERNAME_CLAIM} {self._claimed_username(claims)!r}"

    def filter_users_by_claims(self, claims):
        username = self._claimed_username(claims)
        if not username:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(username__iexact=username, is_active=True)
        return [user for user in users if not user_access_expired(user=user)]

    def create_user(self, claims):
        return None  # never: accounts and roles are created in eISO (OIDC_CREATE_USER is off as well)

    def update_user(self, user, claims):
        return user  # the provider does not overwrite what the agency keeps about its people
