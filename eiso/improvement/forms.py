from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.improvement.choices import AnalysisMethod, NonconformityGrade, NonconformitySource
from eiso.processes.models import Process


def agency_people(agency):
    """The people holding a role in the agency (owners of nonconformities and actions)."""
    if agency is None:
        return User.objects.none()
    return User.objects.filter(role_assignments__agency=agency).distinct().order_by("full_name", "username")


class NonconformityForm(forms.Form):
    source = forms.ChoiceField(label=_("source"), choices=NonconformitySource.choices,
                               initial=NonconformitySource.OTHER)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))
    correction = forms.CharField(label=_("immediate correction"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False, help_text=_("What was done at once to contain the problem."))
    grade = forms.ChoiceField(label=_("grade"), choices=[("", "—"), *NonconformityGrade.choices], required=False)
    process = forms.ModelChoiceField(label=_("process"), queryset=Process.objects.none(), required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        processes = Process.objects.restrict(user, "view")
        self.fields["process"].queryset = processes.filter(agency=agency) if agency else processes.none()
        self.fields["owner"].queryset = agency_people(agency)


class NonconformityEditForm(NonconformityForm):
    """What may be corrected while the nonconformity is not closed (its source stays)."""

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"description": instance.description, "correction": instance.correction,
                                 "grade": instance.grade, "process": instance.process_id,
                                 "owner": instance.owner_id}
            kwargs["agency"] = instance.agency
        super().__init__(*args, **kwargs)
        del self.fields["source"]


class AnalysisForm(forms.Form):
    method = forms.ChoiceField(label=_("analysis method"), choices=AnalysisMethod.choices)
    analysis = forms.CharField(label=_("analysis"), widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("The successive whys, or the causes found in each category."))
    root_cause = forms.CharField(label=_("root cause"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    description = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_people(agency)


class ActionDoneForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}))


class VerificationForm(forms.Form):
    is_effective = forms.TypedChoiceField(
        label=_("were the actions effective?"), coerce=lambda v: v == "yes",
        choices=[("yes", _("yes, effective")), ("no", _("no, not effective"))])
    comment = forms.CharField(label=_("verification comment"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)
