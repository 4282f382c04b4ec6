from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.organizations.models import Agency
from eiso.trainings import selectors
from eiso.trainings.choices import TrainingKind
from eiso.trainings.models import Consultant


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuthorityChoiceMixin:
    """A form of the supervising authority's register: the authority is asked for only when the user keeps the
    records of several (an administrator); otherwise it is the user's."""

    def setup_authority(self, user, instance):
        self.authorities = [instance.agency] if instance is not None else selectors.authority_agencies(user)
        if instance is not None or len(self.authorities) <= 1:
            del self.fields["authority"]
        else:
            self.fields["authority"].queryset = Agency.objects.filter(pk__in=[a.pk for a in self.authorities])

    def chosen_authority(self):
        if "authority" in self.fields:
            return self.cleaned_data["authority"]
        return self.authorities[0] if self.authorities else None


class TrainingForm(AuthorityChoiceMixin, forms.Form):
    authority = forms.ModelChoiceField(label=_("supervising authority"), queryset=Agency.objects.none())
    topic = forms.CharField(label=_("topic"), max_length=300,
                            help_text=_("For example: Nhận thức chung về TCVN ISO 9001:2015."))
    kind = forms.ChoiceField(label=_("kind"), choices=TrainingKind.choices)
    start_on = forms.DateField(label=_("first day"), widget=date_input())
    end_on = forms.DateField(label=_("last day"), widget=date_input())
    location = forms.CharField(label=_("location"), max_length=300, required=False)
    trainer = forms.CharField(label=_("trainer"), max_length=300, required=False,
                              help_text=_("The lecturer or the organisation that teaches the course."))
    consultant = forms.ModelChoiceField(label=_("trainer's organisation"), queryset=Consultant.objects.none(),
                                        required=False, help_text=_("When a registered consultant teaches the course."))
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in (
                "topic", "kind", "start_on", "end_on", "location", "trainer", "consultant", "notes")})
        super().__init__(*args, **kwargs)
        self.setup_authority(user, instance)
        self.fields["consultant"].queryset = Consultant.objects.restrict(user, "change").filter(
            agency__in=[a.pk for a in self.authorities])

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] if data[name] is not None else "" for name in (
            "topic", "kind", "start_on", "end_on", "location", "trainer", "notes")} | {"consultant": data["consultant"]}


class ParticipantForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none())
    full_name = forms.CharField(label=_("full name"), max_length=200)
    position = forms.CharField(label=_("position"), max_length=200, required=False)

    def __init__(self, *args, training=None, **kwargs):
        super().__init__(*args, **kwargs)
        if training is not None:
            self.fields["agency"].queryset = selectors.province_agencies(training.agency)


class ParticipantEditForm(ParticipantForm):
    user = forms.ModelChoiceField(label=_("user account"), queryset=User.objects.none(), required=False,
                                  help_text=_("The participant's account in eISO, if they have one."))
    attended = forms.BooleanField(label=_("attended"), required=False)
    passed = forms.BooleanField(label=_("passed"), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        kwargs.setdefault("initial", {name: getattr(instance, name) for name in (
            "agency", "full_name", "position", "user", "attended", "passed")})
        super().__init__(*args, training=instance.training, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role_assignments__agency=instance.agency).distinct().order_by("full_name")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("workbook (XLSX)"),
                           help_text=_("One participant per row: agency code, full name, position."))


class ConsultantForm(AuthorityChoiceMixin, forms.Form):
    authority = forms.ModelChoiceField(label=_("supervising authority"), queryset=Agency.objects.none())
    name = forms.CharField(label=_("organisation"), max_length=255)
    licence_number = forms.CharField(label=_("licence number"), max_length=100, required=False)
    licence_issuer = forms.CharField(label=_("licence issued by"), max_length=255, required=False)
    licence_issued_on = forms.DateField(label=_("licence issued on"), required=False, widget=date_input())
    licence_valid_until = forms.DateField(label=_("licence valid until"), required=False, widget=date_input())
    contact_person = forms.CharField(label=_("contact person"), max_length=200, required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    experts = forms.CharField(label=_("experts"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              help_text=_("One expert per line: name, qualification."))
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    FIELDS = ("name", "licence_number", "licence_issuer", "licence_issued_on", "licence_valid_until",
              "contact_person", "address", "phone", "email", "experts", "notes", "is_active")

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.setup_authority(user, instance)

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: ("" if data[name] is None and name not in ("licence_issued_on", "licence_valid_until")
                       else data[name]) for name in self.FIELDS}


class EngagementForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("agency served"), queryset=Agency.objects.none())
    started_on = forms.DateField(label=_("from"), widget=date_input())
    ended_on = forms.DateField(label=_("until"), required=False, widget=date_input(),
                               help_text=_("Empty while the work goes on."))
    scope_note = forms.CharField(label=_("scope of the work"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)

    def __init__(self, *args, consultant=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consultant is not None:
            self.fields["agency"].queryset = selectors.province_agencies(consultant.agency)


class EngagementEditForm(forms.Form):
    started_on = forms.DateField(label=_("from"), widget=date_input())
    ended_on = forms.DateField(label=_("until"), required=False, widget=date_input(),
                               help_text=_("Empty while the work goes on."))
    scope_note = forms.CharField(label=_("scope of the work"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        kwargs.setdefault("initial", {name: getattr(instance, name) for name in ("started_on", "ended_on",
                                                                                 "scope_note")})
        super().__init__(*args, **kwargs)


class IssueForm(forms.Form):
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What went wrong with the consultant's work."))
    reported_on = forms.DateField(label=_("reported on"), required=False, widget=date_input(),
                                  help_text=_("Empty: today."))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 2}))
    resolved_on = forms.DateField(label=_("resolved on"), required=False, widget=date_input(),
                                  help_text=_("Empty: today."))


class TotalsForm(forms.Form):
    province = forms.ChoiceField(label=_("province"), required=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(str(p.pk), p.name) for p in provinces]
