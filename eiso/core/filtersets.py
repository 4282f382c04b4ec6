"""Filter sets shared by every list page and API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from eiso.core.api.filters import IdFilterSet


class SearchFilterSet(django_filters.FilterSet):
    """`q`: accent-insensitive search through the queryset's search() (SearchableQuerySetMixin)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class ApiSearchFilterSet(IdFilterSet, SearchFilterSet):
    """The same for the API, with relations filtered by id only."""
