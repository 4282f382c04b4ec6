from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.documents.selectors import distribution_choices


class DistributionForm(forms.Form):
    """Whom to send the published issue to. The choices are the document's agency's units and people as
    restrict() lets the user see them (the panel of the document page offers the same ones); the service
    checks the rest."""

    org_units = forms.ModelMultipleChoiceField(label=_("internal units"), queryset=None, required=False)
    users = forms.ModelMultipleChoiceField(label=_("people"), queryset=None, required=False)
    everyone = forms.BooleanField(label=_("everyone in the agency"), required=False)

    def __init__(self, *args, user, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_units"].queryset, self.fields["users"].queryset = distribution_choices(
            user=user, agency_id=agency_id)

    def clean(self):
        data = super().clean()
        if not (data.get("org_units") or data.get("users") or data.get("everyone")):
            raise forms.ValidationError(_("Choose at least one internal unit or person to send the document to."))
        return data


class ReviewConfirmForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)
