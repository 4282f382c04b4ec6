from collections import defaultdict

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AuditAction, AuditLogEntry
from eiso.core.views import ObjectListView


def related_labels_attach(entries) -> None:
    """Name the related objects that the entries' changes point to (an org unit's parent, a document's owner
    unit...) with one query per related model for the whole page, instead of one per entry: the `audit_changes`
    filter reads them from `entry.related_labels`."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model is None or not entry.changes:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None and field.attname in entry.changes:
                pair = entry.changes[field.attname]
                wanted[field.related_model].update(v for v in (pair if isinstance(pair, list) else [pair]) if v)
    labels = {related: {str(o.pk): str(o) for o in related._default_manager.filter(pk__in=pks)}
              for related, pks in wanted.items()}
    for entry in entries:
        entry.related_labels = labels


class AuditLogTable(tables.Table):
    created_at = tables.DateTimeColumn(format="H:i d/m/Y")
    changes = tables.TemplateColumn(template_name="core/partials/changes_cell.html", orderable=False)

    class Meta:
        model = AuditLogEntry
        fields = ["created_at", "actor_repr", "agency", "content_type", "object_repr", "action", "changes"]

    def before_render(self, request):
        related_labels_attach([row.record for row in self.paginated_rows])


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
