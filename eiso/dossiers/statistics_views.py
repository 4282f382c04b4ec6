"""The statistics page (/dossiers/statistics/) and its CSV and XLSX exports (/dossiers/statistics/export/).

Both read the same filters (period by months, grouping, agencies, procedure, field) and the same rows
(`statistics.dossier_statistics`); the charts are SVG drawn on the server (charts.py). A user who may read no
agency's statistics gets the page with nothing in it, like an empty list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.dossiers import charts
from eiso.dossiers.models import DossierTally
from eiso.dossiers.statistics import (
    COLUMNS,
    GROUPS,
    HOURS,
    RATES,
    dossier_statistics,
    month_label,
    month_start,
    parse_month,
    statistics_agencies,
    table_value,
)

KINDS = ["rate" if key in RATES else "hours" if key in HOURS else "count" for key, _header in COLUMNS]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class MonthField(forms.Field):
    widget = MonthInput(attrs={"placeholder": "mm/yyyy", "pattern": r"\d{4}-\d{2}|\d{1,2}/\d{4}"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Enter a month as mm/yyyy."), code="invalid")
        return month


class StatisticsFilterForm(forms.Form):
    date_from = MonthField(label=gettext_lazy("From month"), required=False)
    date_to = MonthField(label=gettext_lazy("To month"), required=False)
    group_by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=list(GROUPS.items()), required=False)
    agency = forms.ModelMultipleChoiceField(label=gettext_lazy("Agencies"), queryset=None, required=False)
    procedure = forms.ModelChoiceField(label=gettext_lazy("Procedure"), queryset=None, required=False,
                                       empty_label=gettext_lazy("All procedures"))
    field = forms.ModelChoiceField(label=gettext_lazy("Field"), queryset=None, required=False,
                                   empty_label=gettext_lazy("All fields"))

    def __init__(self, *args, user, **kwargs):
        from eiso.catalog.models import Field, Procedure

        super().__init__(*args, **kwargs)
        self.agencies = statistics_agencies(user).order_by("name")
        self.fields["agency"].queryset = self.agencies
        self.fields["agency"].widget.attrs["size"] = 4
        counted = DossierTally.objects.restrict(user, "view").order_by()
        self.fields["procedure"].queryset = Procedure.objects.filter(
            pk__in=counted.values("procedure_id")).order_by("code").only("id", "code", "name")
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} – {p.name[:90]}"
        self.fields["field"].queryset = Field.objects.filter(pk__in=counted.values("field_id")).order_by("name")
        self.several_agencies = self.agencies[:2].count() > 1
        if not self.several_agencies:
            del self.fields["agency"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


@dataclass
class Query:
    form: StatisticsFilterForm
    date_from: object
    date_to: object
    group_by: str
    kwargs: dict


def statistics_query(request) -> Query:
    """The filters of the request, or the defaults: this year so far, by agency when the user reads several."""
    form = StatisticsFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    this_month = month_start(timezone.localdate())
    date_from = data.get("date_from") or this_month.replace(month=1)
    date_to = data.get("date_to") or this_month
    group_by = data.get("group_by") or ("agency" if form.several_agencies else "procedure")
    kwargs = {"date_from": date_from, "date_to": date_to, "group_by": group_by}
    if data.get("agency"):
        kwargs["agency_ids"] = [agency.pk for agency in data["agency"]]
    if data.get("procedure"):
        kwargs["procedure_ids"] = [data["procedure"].pk]
    if data.get("field"):
        kwargs["field_ids"] = [data["field"].pk]
    if not form.is_bound:
        form = StatisticsFilterForm(initial={"date_from": date_from, "date_to": date_to, "group_by": group_by},
                                    user=request.user)
    return Query(form, date_from, date_to, group_by, kwargs)


def period_label(date_from, date_to) -> str:
    if month_start(date_from) == month_start(date_to):
        return month_label(date_from)
    return f"{month_label(date_from)} – {month_label(date_to)}"


def statistics_charts(rows: list, group_by: str, period: str) -> list:
    """The two charts of the table's rows (totals left out): outcomes stacked, and the on-time rate."""
    groups = [row for row in rows if not row["is_total"]]
    if not any(row["resolved"] for row in groups):
        return []
    vertical = group_by == "month"
    labels = [row["short_label"] for row in groups]
    total = rows[-1]
    more = (" " + _("The first %(shown)d of %(count)d groups are drawn; the table has them all.")
            % {"shown": charts.MAX_BARS, "count": len(groups)}) if len(groups) > charts.MAX_BARS else ""
    outcome_desc = _("Dossiers resolved in %(period)s by %(group)s: %(early)d early, %(on_time)d on time, "
                     "%(late)d late.") % {"period": period, "group": GROUPS[group_by].lower(),
                                          "early": total["early"], "on_time": total["on_time"], "late": total["late"]}
    rate = total["on_time_rate"]
    rate_desc = _("On-time rate (early or on time, of the resolved dossiers) by %(group)s; overall %(rate)s%%.") % {
        "group": GROUPS[group_by].lower(), "rate": f"{rate * 100:.1f}" if rate is not None else "–"}
    return [
        charts.stacked_bars(labels, charts.outcome_series(groups), vertical=vertical, chart_id="chart-outcomes",
                            title=_("Resolved dossiers: early, on time, late"), desc=outcome_desc + more),
        charts.rate_chart(labels, [row["on_time_rate"] for row in groups], vertical=vertical, chart_id="chart-rate",
                          title=_("On-time rate"), desc=rate_desc + more),
    ]


def table_rows(rows: list) -> list:
    """[(row, [cell values])] in the order of COLUMNS, as shown and exported."""
    return [(row, [table_value(row, key) for key, _header in COLUMNS]) for row in rows]


class StatisticsView(LoginRequiredMixin, TemplateView):
    template_name = "dossiers/statistics.html"
    partial_template_name = "dossiers/partials/statistics_results.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = statistics_query(self.request)
        rows = dossier_statistics(user=self.request.user, **query.kwargs)
        period = period_label(query.date_from, query.date_to)
        context.update({
            "title": _("Dossier statistics"), "form": query.form, "period": period, "group_by": query.group_by,
            "group_header": GROUPS[query.group_by], "columns": [header for _key, header in COLUMNS],
            "rows": [(row, list(zip(cells, KINDS, strict=True))) for row, cells in table_rows(rows)],
            "now_included": rows[-1]["in_progress"] is not None,
            "charts": statistics_charts(rows, query.group_by, period),
            "query_string": self.request.GET.urlencode(),
        })
        return context


class StatisticsExportView(LoginRequiredMixin, View):
    """The page's table as CSV (UTF-8 with a byte-order mark, for spreadsheet programs) or XLSX (numbers as
    numbers, rates in per cent): ?format=csv|xlsx and the page's filters."""

    def get(self, request):
        kind = request.GET.get("format", "xlsx")
        if kind not in ("csv", "xlsx"):
            raise Http404
        query = statistics_query(request)
        rows = dossier_statistics(user=request.user, **query.kwargs)
        headers = [str(GROUPS[query.group_by]), *(str(header) for _key, header in COLUMNS)]
        lines = [[row["label"], *cells] for row, cells in table_rows(rows)]
        name = f"thong-ke-ho-so-{query.date_from:%Y-%m}-{query.date_to:%Y-%m}.{kind}"
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(headers)
            writer.writerows([["" if cell is None else cell for cell in line] for line in lines])
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        else:
            content = xlsx_table(headers, lines, period=period_label(query.date_from, query.date_to),
                                 now_included=rows[-1]["in_progress"] is not None)
            response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def xlsx_table(headers: list, lines: list, *, period: str, now_included: bool) -> bytes:
    """The workbook: the table on the first sheet (header row, then the rows and the totals row in bold), and
    what the figures mean on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _("Statistics")[:31]
    sheet.append(headers)
    for line in lines:
        sheet.append(line)
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = bold
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 48
    for index, (key, _header) in enumerate(COLUMNS, start=2):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 14
        if key in RATES or key in HOURS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.0"
    about = book.create_sheet(_("About these figures")[:31])
    for line in (
        (_("Period"), period),
        (_("Exported at"), timezone.localtime().strftime("%H:%M %d/%m/%Y")),
        (_("Months"), _("Whole months: a dossier counts as received in the month of its receipt, as resolved or "
                        "stopped in the month its processing ended, and its rating in the month it was given.")),
        (_("Now"), _("In progress now and overdue now are the open dossiers at the time of the export.")
         if now_included else _("The period does not include the current month: no figures of the moment.")),
    ):
        about.append(line)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 100
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
