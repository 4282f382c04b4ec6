from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.legal.choices import LegalDocumentType, RelationKind
from eiso.legal.models import LegalDocument


class LegalDocumentForm(forms.Form):
    number = forms.CharField(label=_("number"), max_length=200,
                             help_text=_("As written on the document, for example 03/2023/TT-BTP"))
    doc_type = forms.ChoiceField(label=_("type"), required=False,
                                 choices=[("", _("from the number")), *LegalDocumentType.choices])
    title = forms.CharField(label=_("title"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    issuer = forms.CharField(label=_("issued by"), max_length=255, required=False)
    issued_on = forms.DateField(label=_("issue date"), required=False)
    effective_on = forms.DateField(label=_("effective date"), required=False,
                                   help_text=_("Affected agencies must update their QMS within 3 months of it."))
    expires_on = forms.DateField(label=_("expiry date"), required=False)
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    relation = forms.ChoiceField(label=_("relation"), choices=[("", "—")] + list(RelationKind.choices),
                                 required=False)
    related = forms.ModelMultipleChoiceField(
        label=_("related documents"), queryset=LegalDocument.objects.none(), required=False,
        help_text=_("The documents this one amends, replaces or guides."))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related"].queryset = LegalDocument.objects.restrict(user, "view")

    def clean(self):
        data = super().clean()
        if data.get("related") and not data.get("relation"):
            self.add_error("relation", _("Choose how this document relates to the documents chosen."))
        return data


class DismissForm(forms.Form):
    justification = forms.CharField(label=_("justification"), widget=forms.Textarea(attrs={"rows": 3}))
