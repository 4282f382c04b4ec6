from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import Role, today
from eiso.inspections import points as art36
from eiso.inspections.choices import InspectionMethod
from eiso.organizations.selectors import supervised_provinces

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "input_formats": ["%Y-%m-%d", "%d/%m/%Y"]}
MONTHS = [("", "—")] + [(str(month), str(month)) for month in range(1, 13)]




class PlanForm(forms.Form):
    province = forms.ModelChoiceField(label=_("province"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=300)
    issued_on = forms.DateField(label=_("issued on"), required=False, **DATE,
                                help_text=_("Left empty, the day of the approval."))
    min_on_site_share = forms.CharField(label=_("minimum share on site"), max_length=12,
                                        help_text=_("At least this share of the plan's inspections are made on site, "
                                                    "e.g. 1/3."))
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        from eiso.inspections.models import default_on_site_share

        if instance is not None:
            initial = {name: getattr(instance, name) for name in (
                "year", "title", "issued_on", "notes", "min_on_site_share")}
        else:
            year = today().year
            initial = {"year": year, "min_on_site_share": default_on_site_share(),
                       "title": _("Plan for inspecting the application and maintenance of the QMS in %(year)s") % {
                           "year": year}}
        kwargs["initial"] = initial | (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["province"]
        else:
            self.fields["province"].queryset = supervised_provinces(user, "add")


class LineForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("agency"), queryset=None)
    method = forms.ChoiceField(label=_("method"), choices=InspectionMethod.choices)
    planned_month = forms.TypedChoiceField(label=_("planned month"), choices=MONTHS, coerce=int, empty_value=None,
                                           required=False)
    planned_on = forms.DateField(label=_("planned date"), required=False, **DATE)

    def __init__(self, *args, plan=None, **kwargs):
        from eiso.inspections.selectors import agencies_not_in_plan

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_not_in_plan(plan)


class PlanningForm(forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=InspectionMethod.choices)
    planned_month = forms.TypedChoiceField(label=_("planned month"), choices=MONTHS, coerce=int, empty_value=None,
                                           required=False)
    planned_on = forms.DateField(label=_("planned date"), required=False, **DATE)


class AddAllForm(forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=InspectionMethod.choices,
                               initial=InspectionMethod.BY_DOCUMENTS)
    planned_month = forms.TypedChoiceField(label=_("planned month"), choices=MONTHS, coerce=int, empty_value=None,
                                           required=False)


class DecisionForm(forms.Form):
    decision_on = forms.DateField(label=_("decision date"), **DATE)
    on_site_on = forms.DateField(label=_("date of the visit"), required=False, **DATE,
                                 help_text=_("Required for an inspection on site."))
    team = forms.CharField(label=_("inspection team"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("One member per line: name – position – role in the team. The first line is "
                                       "the team leader."))
    decision_signer = forms.CharField(label=_("signed by"), max_length=200)
    decision_signer_position = forms.CharField(label=_("signer's position"), max_length=200, required=False,
                                               initial="Giám đốc")
    decision_grounds = forms.CharField(label=_("legal grounds"), widget=forms.Textarea(attrs={"rows": 4}),
                                       required=False, help_text=_("One ground per line. Left empty: Decision "
                                                                   "19/2014/QĐ-TTg, Circular 26/2014/TT-BKHCN and the "
                                                                   "plan."))

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and instance.decision_on:
            initial = {name: getattr(instance, name) for name in (
                "decision_on", "on_site_on", "team", "decision_signer", "decision_signer_position",
                "decision_grounds")}
        elif instance is not None:
            initial = {"decision_on": today(), "on_site_on": instance.planned_on}
        else:
            initial = {}
        kwargs["initial"] = initial | (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)


def point_choices():
    return [("", _("— none —"))] + [(point.key, point.title) for point in art36.points()]


class FindingForm(forms.Form):
    point_key = forms.ChoiceField(label=_("inspection point"), required=False, choices=())
    description = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 2}))
    required_action = forms.CharField(label=_("corrective action required"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point_key"].choices = point_choices()


def _head_of(agency):
    from eiso.organizations.models import RoleAssignment

    assignment = (RoleAssignment.objects.active().filter(agency=agency, role=Role.AGENCY_HEAD)
                  .select_related("user").order_by("created_at").first())
    return assignment.user if assignment else None


class MinutesForm(forms.Form):
    signed_on = forms.DateField(label=_("minutes signed on"), **DATE)
    place = forms.CharField(label=_("place"), max_length=300)
    participants = forms.CharField(label=_("participants of the agency"), widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("One person per line: name – position."))
    conclusion = forms.CharField(label=_("conclusion"), widget=forms.Textarea(attrs={"rows": 4}))
    agency_representative = forms.CharField(label=_("agency head (signs the minutes)"), max_length=200)
    agency_representative_position = forms.CharField(label=_("agency head's position"), max_length=200,
                                                     required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            head = _head_of(instance.agency)
            kwargs["initial"] = {
                "signed_on": instance.minutes_signed_on or instance.on_site_on or today(),
                "place": instance.minutes_place or instance.agency.address or instance.agency.name,
                "participants": instance.participants, "conclusion": instance.conclusion,
                "agency_representative": instance.agency_representative or (head.full_name if head else ""),
                "agency_representative_position": instance.agency_representative_position
                or (head.position if head else ""),
            } | (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)


class ActionForm(forms.Form):
    action_taken = forms.CharField(label=_("action taken"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("evidence of the action"), widget=forms.Textarea(attrs={"rows": 2}),
                               required=False)


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("report summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReviewForm(forms.Form):
    closed = forms.TypedChoiceField(label=_("review"), coerce=lambda value: value == "1",
                                    choices=(("1", _("closed")), ("0", _("not closed yet"))),
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}))


class SummaryForm(forms.Form):
    province = forms.ModelChoiceField(label=_("province"), queryset=None, required=False, empty_label=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
