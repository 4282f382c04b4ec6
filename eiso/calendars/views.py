"""Calendar pages: the year's holidays and day swaps, and a deadline calculator (htmx)."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.calendars import services
from eiso.calendars.models import CalendarDay
from eiso.core.errors import ApplicationError


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("date"), help_text=gettext_lazy("dd/mm/yyyy"))
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=[])
    name = forms.CharField(label=gettext_lazy("name"), max_length=200)
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in CalendarDay._meta.get_field("kind").choices if c[0] != "holiday"]


class DeadlineForm(forms.Form):
    start = forms.DateTimeField(label=gettext_lazy("start"), help_text=gettext_lazy("dd/mm/yyyy hh:mm"))
    days = forms.DecimalField(label=gettext_lazy("working days"), required=False, min_value=0, decimal_places=2)
    hours = forms.DecimalField(label=gettext_lazy("working hours"), required=False, min_value=0, decimal_places=2)

    def clean(self):
        data = super().clean()
        if (data.get("days") is None) == (data.get("hours") is None):
            raise forms.ValidationError(_("Give either a number of working days or a number of working hours."))
        return data


def _month_grid(year: int, special: dict):
    import calendar as pycal

    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                entry = special.get(day)
                css = ""
                if day.month != month:
                    row.append(None)
                    continue
                if entry is not None:
                    css = "work" if entry.kind == "working_day" else "off"
                elif day.weekday() >= 5:
                    css = "weekend"
                row.append((day, css, entry))
            weeks.append(row)
        months.append((dt.date(year, month, 1), weeks))
    return months


class CalendarView(LoginRequiredMixin, View):
    template_name = "calendars/calendar.html"

    def get(self, request, form=None):
        year = int(request.GET.get("year") or timezone.localdate().year)
        days = CalendarDay.objects.restrict(request.user).filter(date__year=year).order_by("date")
        return render(request, self.template_name, {
            "title": _("Working calendar %(year)s") % {"year": year},
            "year": year, "days": days, "months": _month_grid(year, {d.date: d for d in days}),
            "form": form or CalendarDayForm(), "can_edit": request.user.is_superuser,
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        })

    def post(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                services.calendar_day_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
        return self.get(request, form=form)


class DeadlineView(LoginRequiredMixin, View):
    template_name = "calendars/deadline.html"

    def get(self, request):
        form = DeadlineForm(request.GET or None)
        result = None
        if form.is_bound and form.is_valid():
            try:
                result = services.add_working_time(
                    start=form.cleaned_data["start"], days=form.cleaned_data["days"],
                    hours=form.cleaned_data["hours"], agency=request.agency,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        template = "calendars/partials/deadline_result.html" if request.htmx else self.template_name
        return render(request, template, {"form": form, "result": result, "title": _("Deadline calculator")})
