import django_filters
from django.utils.translation import gettext_lazy as _

from eiso.catalog.choices import ImportStatus, ProcedureLevel
from eiso.catalog.models import Field, ImportRun, Procedure
from eiso.core.filtersets import SearchFilterSet


class ProcedureFilterSet(SearchFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search (code or name)"))
    field = django_filters.ModelChoiceFilter(queryset=Field.objects.all(), label=_("field"))
    level = django_filters.ChoiceFilter(choices=ProcedureLevel.choices, method="filter_level", label=_("level"))

    class Meta:
        model = Procedure
        fields = ["q", "field", "level"]

    def filter_level(self, queryset, name, value):
        return queryset.for_level(value)


class ImportRunFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("status"))

    class Meta:
        model = ImportRun
        fields = ["status"]
