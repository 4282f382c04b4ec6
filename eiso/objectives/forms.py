from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.documents.models import Document
from eiso.objectives.choices import Comparison, Frequency, IndicatorSource
from eiso.objectives.metrics import metric_choices


def agency_people(agency):
    """The people holding a role in the agency (owners of objectives, indicators and actions)."""
    if agency is None:
        return User.objects.none()
    return User.objects.filter(role_assignments__agency=agency).distinct().order_by("full_name", "username")


class PolicyForm(forms.Form):
    text = forms.CharField(label=_("policy text"), widget=forms.Textarea(attrs={"rows": 8}))
    document = forms.ModelChoiceField(label=_("controlled document"), queryset=Document.objects.none(),
                                      required=False,
                                      help_text=_("The quality policy as a controlled document, if it is issued."))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        documents = Document.objects.restrict(user, "view")
        self.fields["document"].queryset = documents.filter(agency=agency) if agency else documents.none()


class ObjectiveForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("objective"), max_length=300)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {"year": instance.year, "title": instance.title, "description": instance.description,
                                 "owner": instance.owner_id, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_people(instance.agency if instance is not None else agency)
        if instance is not None:
            self.fields["year"].disabled = True


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("indicator"), max_length=300)
    value_source = forms.ChoiceField(label=_("value source"), choices=IndicatorSource.choices)
    metric = forms.ChoiceField(label=_("metric"), required=False,
                               help_text=_("For a computed indicator: what eISO computes."))
    unit = forms.CharField(label=_("unit"), max_length=30, required=False,
                           help_text=_("For an entered indicator (a computed one is in %)."))
    comparison = forms.ChoiceField(label=_("comparison"), choices=Comparison.choices)
    target = forms.CharField(label=_("target"), required=False)
    frequency = forms.ChoiceField(label=_("frequency"), choices=Frequency.choices)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            fields = ("name", "value_source", "metric", "unit", "comparison", "target", "frequency")
            kwargs["initial"] = {**{f: getattr(instance, f) for f in fields}, "owner": instance.owner_id,
                                 **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *metric_choices()]
        self.fields["owner"].queryset = agency_people(agency)


class MeasurementForm(forms.Form):
    period_start = forms.DateField(label=_("a day of the period"), widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Any day of the period measured (month, quarter, half-year or year)."))
    value = forms.CharField(label=_("value"))
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                               help_text=_("Where the value comes from; or attach a file."))
    file = forms.FileField(label=_("evidence file"), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_people(agency)


class PlanDoneForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}))
