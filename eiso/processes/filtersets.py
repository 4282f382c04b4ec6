import django_filters
from django.utils.translation import gettext_lazy as _

from eiso.processes.choices import ProcessKind
from eiso.processes.models import Process


class ProcessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ProcessKind.choices, label=_("kind"))

    class Meta:
        model = Process
        fields = ["q", "kind"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
