from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import today
from eiso.organizations.selectors import supervised_provinces
from eiso.reporting import selectors
from eiso.reporting.choices import PeriodKind, ReportStatus
from eiso.reporting.points import POINTS

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class PeriodForm(forms.Form):
    """Open a period: the province (when the user acts for several), kind, year, half, dates and note."""

    province = forms.ModelChoiceField(label=_("province"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=PeriodKind.choices, initial=PeriodKind.YEARLY)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=_("half of the year"), coerce=int, required=False, empty_value=None,
                                  choices=[("", "—"), (1, _("first half")), (2, _("second half"))],
                                  help_text=_("For a 6-monthly period only."))
    title = forms.CharField(label=_("title"), max_length=300, required=False,
                            help_text=_("Left empty: “QMS report, year …” or the half of the year."))
    starts_on = forms.DateField(label=_("period covered from"), required=False, **DATE,
                                help_text=_("Left empty: the first day of the year or of the half."))
    ends_on = forms.DateField(label=_("period covered until"), required=False, **DATE,
                              help_text=_("Left empty: the last day of the year or of the half."))
    due_on = forms.DateField(label=_("due date"), **DATE)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           help_text=_("What the agencies should report on in particular."))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        kwargs["initial"] = {"year": today().year, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        provinces = supervised_provinces(user, "add")
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].initial = provinces.first().pk


class PeriodEditForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    due_on = forms.DateField(label=_("due date"), **DATE)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {"title": instance.title, "due_on": instance.due_on, "note": instance.note,
                                 **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class PeriodFilterForm(forms.Form):
    """The filters of a period's page: level (when the levels are known), status, late only."""

    level = forms.ChoiceField(label=_("level"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("all")), *ReportStatus.choices])
    late = forms.BooleanField(label=_("late only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = selectors.levels()
        if levels:
            self.fields["level"].choices = [("", _("all")), *levels]
        else:
            del self.fields["level"]


def remark_field(key: str) -> str:
    return f"remark_{key}"


class ReportForm(forms.Form):
    """The coordinator's part of the report: number, narrative, one remark per inspection point."""

    number = forms.CharField(label=_("document number"), max_length=60, required=False,
                             help_text=_("The report's number in the agency's register, e.g. 112/BC-UBND."))
    results = forms.CharField(label=_("results"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
                              help_text=_("How the QMS was maintained and applied in the period: what was done, "
                                          "what changed. The figures from eISO are added to the report."))
    difficulties = forms.CharField(label=_("difficulties"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposals = forms.CharField(label=_("proposals"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        initial = {}
        if instance is not None:
            initial = {"number": instance.number, "results": instance.results, "difficulties": instance.difficulties,
                       "proposals": instance.proposals}
            initial |= {remark_field(key): text for key, text in (instance.remarks or {}).items()}
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for point in POINTS:
            self.fields[remark_field(point.key)] = forms.CharField(
                label=point.title, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Your remark on this point (what eISO's records do not show)."))

    def remarks(self) -> dict:
        return {point.key: self.cleaned_data.get(remark_field(point.key)) or "" for point in POINTS}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
