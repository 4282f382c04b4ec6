import datetime as dt

from django.apps import apps

from eiso.core.permissions import today


def user_access_expired(*, user, on: dt.date | None = None) -> bool:
    """True when the user had role assignments and all of them have ended (a consultant whose
    contract is over). Users without any assignment (new accounts, administrators) are not expired."""
    if user.is_superuser:
        return False
    RoleAssignment = apps.get_model("organizations", "RoleAssignment")
    assignments = RoleAssignment.objects.filter(user=user)
    if not assignments.exists():
        return False
    return not assignments.active(on=on or today()).exists()


def user_access_ended_on(*, user) -> dt.date | None:
    RoleAssignment = apps.get_model("organizations", "RoleAssignment")
    dates = RoleAssignment.objects.filter(user=user, valid_until__isnull=False).values_list("valid_until", flat=True)
    return max(dates, default=None)
