from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.compliance.obligations import CHOICES


class MoveForm(forms.Form):
    due_on = forms.DateField(label=_("new due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example the agency's plan or the province's directive."))


class DoneForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("What shows that it was done: the document's number and date, where it "
                                           "is kept."))
    done_on = forms.DateField(label=_("done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("Empty: today."))


class OverviewForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2014, max_value=2100)
    obligation = forms.ChoiceField(label=_("obligation"), required=False, choices=[("", "—"), *CHOICES])
    overdue = forms.BooleanField(label=_("only agencies with overdue items"), required=False)
