"""Search and filters of the document list, the same on the page and in the API: q (full text, see
eiso.documents.search), kind, status (of the latest revision), owner unit."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.filtersets import ApiSearchFilterSet, SearchFilterSet
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document
from eiso.organizations.models import OrgUnit


def _with_status(queryset, value):
    return queryset.with_latest_status().filter(latest_status=value) if value else queryset


class HistorySearch:
    """`history`: the search also looks into every earlier revision, not only the latest and current ones.
    Applied with `q`, whichever of the two comes first."""

    def filter_q(self, queryset, name, value):
        return queryset.search(value, history=bool(self.form.cleaned_data.get("history")))

    def filter_history(self, queryset, name, value):
        return queryset  # read by filter_q


def _units(request):
    """Only the units the user may see, of the current agency: a choice list never names other agencies'."""
    if request is None:
        return OrgUnit.objects.none()
    units = OrgUnit.objects.restrict(request.user, "view")
    agency = getattr(request, "agency", None)
    return units.filter(agency=agency) if agency is not None else units


class DocumentFilterSet(HistorySearch, SearchFilterSet):
    history = django_filters.BooleanFilter(
        method="filter_history", label=_("Also search earlier revisions"),
        widget=forms.CheckboxInput)
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=RevisionStatus.choices, method="filter_status", label=_("status"))
    owner_unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("owner unit"))

    class Meta:
        model = Document
        fields = ["q", "history", "kind", "status", "owner_unit"]

    def filter_status(self, queryset, name, value):
        return _with_status(queryset, value)


class ApiDocumentFilterSet(HistorySearch, ApiSearchFilterSet):
    history = django_filters.BooleanFilter(method="filter_history",
                                           help_text="Also search every earlier revision (slower).")
    status = django_filters.ChoiceFilter(choices=RevisionStatus.choices, method="filter_status")

    class Meta:
        model = Document
        fields = ["agency", "qms", "kind", "owner_unit", "status"]

    def filter_status(self, queryset, name, value):
        return _with_status(queryset, value)
