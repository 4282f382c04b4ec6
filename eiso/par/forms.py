from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.par.models import ParCriterion


class CriterionForm(forms.ModelForm):
    class Meta:
        model = ParCriterion
        fields = ["year", "code", "name", "max_points", "rule", "scoring", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, agency=None, **kwargs):
        self.user, self.agency = user, agency
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        """Uniqueness is decided by the service, which explains what to do."""


class CopyForm(forms.Form):
    from_year = forms.IntegerField(label=_("copy the criteria of"), min_value=2014, max_value=2100)
    to_year = forms.IntegerField(label=_("to the year"), min_value=2014, max_value=2100)


class ScoresForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2014, max_value=2100)
    level = forms.ChoiceField(label=_("level"), required=False, choices=[])

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        if levels:
            self.fields["level"].choices = [("", "—"), *levels]
        else:
            del self.fields["level"]
