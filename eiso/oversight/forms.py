from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.oversight.choices import MilestoneKind, Stage
from eiso.oversight.levels import LEVELS

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _consultants(plan):
    from eiso.trainings.models import Consultant

    if plan is None:
        return Consultant.objects.none()
    return Consultant.objects.filter(agency_id=plan.agency_id).order_by("name")


class PlanForm(forms.Form):
    province = forms.ModelChoiceField(label=_("province"), queryset=None, required=True)
    number = forms.CharField(label=_("number"), max_length=60, help_text=_("As issued, e.g. 125/KH-UBND."))
    issued_on = forms.DateField(label=_("issued on"), **DATE)
    issuer = forms.CharField(label=_("issued by"), max_length=255, help_text=_("e.g. UBND tỉnh Lào Cai."))
    title = forms.CharField(label=_("title"), max_length=500)
    period_start = forms.DateField(label=_("period from"), **DATE)
    period_end = forms.DateField(label=_("period until"), **DATE)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, provinces=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in (
                "number", "issued_on", "issuer", "title", "period_start", "period_end", "notes")})
        super().__init__(*args, **kwargs)
        if instance is not None or provinces is None:
            del self.fields["province"]
        else:
            self.fields["province"].queryset = provinces
            if provinces.count() == 1:
                self.fields["province"].initial = provinces.first()


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("step"), choices=MilestoneKind.choices)
    title = forms.CharField(label=_("description"), max_length=300, required=False)
    planned_on = forms.DateField(label=_("planned date"), **DATE)


class MilestoneEditForm(MilestoneForm):
    done_on = forms.DateField(label=_("done on"), required=False, help_text=_("Empty: not done yet."), **DATE)
    done_notes = forms.CharField(label=_("notes on completion"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in (
                "kind", "title", "planned_on", "done_on", "done_notes")})
        super().__init__(*args, **kwargs)


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("item"), max_length=300)
    amount = forms.DecimalField(label=_("amount (VND)"), max_digits=15, decimal_places=0, min_value=1)
    source = forms.CharField(label=_("source of funds"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class TargetAddForm(forms.Form):
    level = forms.ChoiceField(label=_("every agency of a level"), choices=[("", "—"), *LEVELS], required=False,
                              help_text=_("For example every commune People's Committee of the province."))
    agencies = forms.ModelMultipleChoiceField(label=_("or these agencies"), queryset=None, required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 8}))
    consultant = forms.ModelChoiceField(label=_("consultant"), queryset=None, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, plan=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = candidates
        self.fields["consultant"].queryset = _consultants(plan)


class TargetEditForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("consultant"), queryset=None, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"consultant": instance.consultant_id, "note": instance.note})
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = _consultants(instance.plan if instance is not None else None)


class StageConfirmForm(forms.Form):
    stage = forms.ChoiceField(label=_("confirmed stage"), required=False,
                              choices=[("", _("— none: the stage derived from the records stands —")),
                                       *Stage.choices])
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           help_text=_("What the confirmation rests on, e.g. an inspection."))


class ConversionForm(forms.Form):
    had_2008_system = forms.BooleanField(label=_("had a TCVN ISO 9001:2008 system"), required=False)
    converted_on = forms.DateField(label=_("converted to TCVN ISO 9001:2015 on"), required=False,
                                   help_text=_("Empty: not converted yet."), **DATE)


class DashboardForm(forms.Form):
    province = forms.ModelChoiceField(label=_("province"), queryset=None, required=False)
    level = forms.ChoiceField(label=_("level"), choices=[("", _("every level")), *LEVELS], required=False)
    stage = forms.ChoiceField(label=_("stage"), choices=[("", _("every stage")), *Stage.choices], required=False)
    overdue = forms.BooleanField(label=_("only agencies with overdue obligations"), required=False)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
