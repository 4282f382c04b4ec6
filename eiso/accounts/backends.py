"""Authentication that refuses people whose every role has expired (e.g. a consultant's contract)."""

from django.contrib.auth.backends import ModelBackend

from eiso.accounts.selectors import user_access_expired


class RoleAwareModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user_access_expired(user=user)
