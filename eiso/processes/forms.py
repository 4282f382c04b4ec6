from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.processes.choices import StepDurationUnit
from eiso.processes.models import Process


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = ["title", "purpose", "scope", "conditions", "place_of_receipt", "competent_units",
                  "cooperating_units", "applicants", "fees", "result", "number_of_sets"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   ["purpose", "scope", "conditions", "place_of_receipt", "competent_units", "cooperating_units",
                    "applicants", "fees", "result"]}

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)


class StepForm(forms.Form):
    action = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("responsible"), max_length=300, required=False)
    duration = forms.DecimalField(label=_("time"), required=False, min_value=0, decimal_places=2)
    duration_unit = forms.ChoiceField(label=_("time unit"), choices=StepDurationUnit.choices,
                                      initial=StepDurationUnit.HOUR)
    duration_text = forms.CharField(label=_("time (as printed)"), max_length=500, required=False)
    form_codes = forms.CharField(label=_("forms used"), max_length=300, required=False,
                                 help_text=_("Form codes separated by commas"))
    output = forms.CharField(label=_("output"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def clean_form_codes(self):
        return [code.strip() for code in self.cleaned_data["form_codes"].split(",") if code.strip()]


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, can_order=False)


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
