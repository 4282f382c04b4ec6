import django_filters
from django.utils.translation import gettext_lazy as _

from eiso.core.filtersets import SearchFilterSet
from eiso.organizations.choices import AdminUnitLevel, AgencyKind
from eiso.organizations.models import AdminUnit, Agency, OrgUnit


class AdminUnitFilterSet(SearchFilterSet):
    level = django_filters.ChoiceFilter(choices=AdminUnitLevel.choices, label=_("level"))
    parent = django_filters.ModelChoiceFilter(
        queryset=AdminUnit.objects.filter(level="province").order_by("name"), label=_("province")
    )

    class Meta:
        model = AdminUnit
        fields = ["q", "level", "parent"]


class AgencyFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("kind"))

    class Meta:
        model = Agency
        fields = ["q", "kind"]


class OrgUnitFilterSet(SearchFilterSet):
    class Meta:
        model = OrgUnit
        fields = ["q"]
