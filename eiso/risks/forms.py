from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.processes.models import Process
from eiso.risks.choices import ContextIssueKind, ContextIssueStatus, RiskKind, Treatment

DATE = {"type": "date"}


def agency_people(agency):
    """The people holding a role in the agency (owners of treatment actions)."""
    if agency is None:
        return User.objects.none()
    return User.objects.filter(role_assignments__agency=agency).distinct().order_by("full_name", "username")


def _steps(size: int, labels) -> list:
    return [(step, f"{step} – {labels[step - 1]}" if step <= len(labels) else str(step))
            for step in range(1, size + 1)]


class ContextIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ContextIssueKind.choices)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    effect = forms.CharField(label=_("effect on the QMS"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(label=_("status"), choices=ContextIssueStatus.choices,
                               initial=ContextIssueStatus.ACTIVE)
    identified_on = forms.DateField(label=_("identified on"), widget=forms.DateInput(attrs=DATE))
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=forms.DateInput(attrs=DATE), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.base_fields})
        super().__init__(*args, **kwargs)


class InterestedPartyForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=300)
    requirements = forms.CharField(label=_("their requirements"), widget=forms.Textarea(attrs={"rows": 3}))
    monitoring = forms.CharField(label=_("how they are monitored"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.base_fields})
        super().__init__(*args, **kwargs)


class RiskForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=RiskKind.choices, initial=RiskKind.RISK)
    process = forms.ModelChoiceField(label=_("process"), queryset=Process.objects.none(), required=False,
                                     help_text=_("Empty: the risk concerns the whole QMS."))
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    cause = forms.CharField(label=_("cause"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    consequence_description = forms.CharField(label=_("consequence (description)"), required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))
    likelihood = forms.TypedChoiceField(label=_("likelihood"), coerce=int, choices=())
    consequence = forms.TypedChoiceField(label=_("consequence"), coerce=int, choices=())
    treatment = forms.ChoiceField(label=_("treatment option"), required=False,
                                  choices=[("", "—"), (_("Risk"), [(t.value, t.label) for t in Treatment][:4]),
                                           (_("Opportunity"), [(t.value, t.label) for t in Treatment][4:])])
    identified_on = forms.DateField(label=_("identified on"), widget=forms.DateInput(attrs=DATE), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, matrix=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.base_fields})
            agency = instance.agency
        super().__init__(*args, **kwargs)
        processes = Process.objects.restrict(user, "view")
        self.fields["process"].queryset = processes.filter(agency=agency) if agency else processes.none()
        if matrix is not None:
            self.fields["likelihood"].choices = _steps(matrix.likelihood_size, matrix.likelihood_labels)
            self.fields["consequence"].choices = _steps(matrix.consequence_size, matrix.consequence_labels)


class RiskActionForm(forms.Form):
    description = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_people(agency)


class ActionDoneForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}))


class RiskReviewForm(forms.Form):
    residual_likelihood = forms.TypedChoiceField(label=_("residual likelihood"), coerce=int, choices=())
    residual_consequence = forms.TypedChoiceField(label=_("residual consequence"), coerce=int, choices=())
    is_effective = forms.TypedChoiceField(
        label=_("were the actions effective?"), coerce=lambda v: v == "yes",
        choices=[("yes", _("yes, effective")), ("no", _("no, not effective"))])
    comment = forms.CharField(label=_("review comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=forms.DateInput(attrs=DATE), required=False)

    def __init__(self, *args, matrix=None, **kwargs):
        super().__init__(*args, **kwargs)
        if matrix is not None:
            self.fields["residual_likelihood"].choices = _steps(matrix.likelihood_size, matrix.likelihood_labels)
            self.fields["residual_consequence"].choices = _steps(matrix.consequence_size, matrix.consequence_labels)


class RiskMatrixForm(forms.Form):
    likelihood_size = forms.TypedChoiceField(label=_("likelihood steps"), coerce=int,
                                             choices=[(n, n) for n in range(3, 6)])
    likelihood_labels = forms.CharField(label=_("likelihood labels"), widget=forms.Textarea(attrs={"rows": 5}),
                                        help_text=_("One label per line, from the lowest step to the highest."))
    consequence_size = forms.TypedChoiceField(label=_("consequence steps"), coerce=int,
                                              choices=[(n, n) for n in range(3, 6)])
    consequence_labels = forms.CharField(label=_("consequence labels"), widget=forms.Textarea(attrs={"rows": 5}),
                                         help_text=_("One label per line, from the lowest step to the highest."))
    low_max = forms.IntegerField(label=_("highest low score"), min_value=1,
                                 help_text=_("Score = likelihood × consequence. Up to this score the level is low."))
    medium_max = forms.IntegerField(label=_("highest medium score"), min_value=1,
                                    help_text=_("Above the low scores and up to this score: medium; above: high."))
