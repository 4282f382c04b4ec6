import django_filters
from django.utils.translation import gettext_lazy as _

from eiso.core.filtersets import SearchFilterSet
from eiso.processes.choices import ProcessKind
from eiso.processes.models import Process


class ProcessFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=ProcessKind.choices, label=_("kind"))

    class Meta:
        model = Process
        fields = ["q", "kind"]
