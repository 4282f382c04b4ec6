"""The restrict() queryset: every listing of agency data goes through it."""

from django.db import models
from django.db.models import Q

from eiso.core.permissions import scope_for
from eiso.core.text import fold


class SearchableQuerySetMixin:
    """Accent-insensitive search on the model's folded `search_text` column ("ha noi" finds "Hà Nội")."""

    def search(self, text: str):
        key = fold(text)
        return self.filter(search_text__contains=key) if key else self


class RestrictedQuerySet(models.QuerySet):
    """QuerySet of an agency-owned model.

    `restrict(user, action)` keeps the rows the user may `action` (view, add, change, delete,
    approve). Supervisors see (view only) every agency of the provinces they supervise.
    """

    # Path from the model to the owning agency and, optionally, to an org unit.
    agency_field = "agency"
    org_unit_field: str | None = None

    def _agency_lookup(self) -> str:
        return getattr(self.model, "agency_field", self.agency_field)

    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        if scope.is_global:
            return self
        if not scope.grants and not scope.supervised_provinces:
            return self.none()
        permitted = getattr(self.model, "permitted_roles", None)
        agency = self._agency_lookup()
        org_unit_field = getattr(self.model, "org_unit_field", None)
        limits = scope.org_unit_limits(action, permitted) if org_unit_field else {}
        agencies = scope.agencies_for(action, permitted)
        condition = Q(**{f"{agency}__in": agencies - set(limits)})
        for agency_id, units in limits.items():
            condition |= Q(**{f"{agency}": agency_id, f"{org_unit_field}__in": units})
        if scope.supervises_for(action, permitted):
            condition |= Q(**{f"{agency}__province__in": scope.supervised_provinces})
        return self.filter(condition)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


class AuthorityQuerySet(RestrictedQuerySet):
    """QuerySet of a record of the supervising authority itself (a rollout plan, a reporting period, an
    inspection plan, a training course): `agency` is the authority (the province's Department of Science and
    Technology). Read by the supervisors of its province and national supervisors; added, changed, deleted and
    approved by the supervisors of its province; nobody else sees it (the agencies see their own part of it
    through agency-owned records: their stage, their report, their inspection)."""

    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        if scope.is_global:
            return self
        provinces = scope.supervised_provinces if action == "view" else scope.authority_provinces
        if not provinces:
            return self.none()
        return self.filter(**{f"{self._agency_lookup()}__province__in": provinces})


class AuthorityManager(models.Manager.from_queryset(AuthorityQuerySet)):
    pass


class ReferenceQuerySet(models.QuerySet):
    """Global reference data (administrative units, holidays): every signed-in user reads it; only
    system administrators change it."""

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated:
            return self.none()
        if action == "view" or scope_for(user).is_global:
            return self
        return self.none()


class ReferenceManager(models.Manager.from_queryset(ReferenceQuerySet)):
    pass
