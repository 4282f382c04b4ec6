"""The desk's list of dossiers."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.dossiers.models import Dossier
from eiso.dossiers.selectors import at_risk_until, dossier_flag

FLAG_LABELS = {"overdue": gettext_lazy("Overdue"), "at_risk": gettext_lazy("At risk")}


def flag_badge(flag: str) -> str:
    if not flag:
        return ""
    return format_html('<span class="badge flag-{}" data-flag="{}">{}</span>', flag, flag, FLAG_LABELS[flag])


class DossierTable(tables.Table):
    code = tables.Column(verbose_name=gettext_lazy("dossier code"), empty_values=(), order_by=("code",))
    applicant_name = tables.Column()
    procedure = tables.Column(accessor="procedure__code", verbose_name=gettext_lazy("procedure"))
    submitted_at = tables.DateTimeColumn(format="H:i d/m/Y", verbose_name=gettext_lazy("received at"))
    appointment_at = tables.DateTimeColumn(format="H:i d/m/Y", verbose_name=gettext_lazy("appointment"))
    status = tables.Column()
    flag = tables.Column(verbose_name=gettext_lazy("flag"), empty_values=(), orderable=False)

    class Meta:
        model = Dossier
        fields = ["code", "applicant_name", "procedure", "submitted_at", "appointment_at", "status", "flag"]
        attrs = {"id": "dossiers"}
        row_attrs = {"data-code": lambda record: record.code}

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self._risk_limits = {}  # agency id -> at_risk_until(), computed once per agency for the page

    def flag_of(self, record) -> str:
        if record.agency_id not in self._risk_limits:
            self._risk_limits[record.agency_id] = at_risk_until(agency_id=record.agency_id, now=self.now)
        return dossier_flag(record, now=self.now, risk_limit=self._risk_limits[record.agency_id])

    def render_code(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.code or _("no code"))

    def render_procedure(self, record):
        return format_html('<span title="{}">{}</span>', record.procedure.name, record.procedure.code)

    def render_appointment_at(self, record, value):
        text = timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
        if record.due_at and record.due_at != value:
            due = timezone.localtime(record.due_at).strftime("%H:%M %d/%m/%Y")
            return format_html('{}<br><small class="muted">{} {}</small>', text, _("due"), due)
        return text

    def render_flag(self, record):
        return flag_badge(self.flag_of(record)) or "—"
