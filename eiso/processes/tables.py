import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from eiso.processes.models import Process


class ProcessTable(tables.Table):
    code = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = tables.Column(accessor="document__current_status", verbose_name=_("Status"), orderable=False,
                           empty_values=())

    class Meta:
        model = Process
        fields = ["code", "title", "kind", "status"]

    def render_status(self, record):
        revision = record.document.revisions.all()[0] if record.document.revisions.all() else None
        return revision.get_status_display() if revision else "—"
