from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.catalog.services import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("A .json, .jsonl or .jsonl.gz file from the national procedure database, at most 50 MB: "
                    "catalogue lines, detail records, or both."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonl,.gz"}),
    )

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(_("Choose a .json, .jsonl or .jsonl.gz file."))
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return uploaded
