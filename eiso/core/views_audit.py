import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AuditAction, AuditLogEntry
from eiso.core.views import ObjectListView


class AuditLogTable(tables.Table):
    created_at = tables.DateTimeColumn(format="H:i d/m/Y")
    changes = tables.TemplateColumn(template_name="core/partials/changes_cell.html", orderable=False)

    class Meta:
        model = AuditLogEntry
        fields = ["created_at", "actor_repr", "agency", "content_type", "object_repr", "action", "changes"]


class AuditLogFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"))
    object_repr = django_filters.CharFilter(lookup_expr="icontains", label=_("object"))

    class Meta:
        model = AuditLogEntry
        fields = ["action", "object_repr"]


class AuditLogListView(ObjectListView):
    model = AuditLogEntry
    table_class = AuditLogTable
    filterset_class = AuditLogFilterSet
    title = _("Audit trail")

    def get_queryset(self):
        queryset = super().get_queryset().select_related("content_type", "agency")
        agency = getattr(self.request, "agency", None)
        if agency is not None and not self.request.GET.get("all"):
            queryset = queryset.filter(agency=agency)
        return queryset
