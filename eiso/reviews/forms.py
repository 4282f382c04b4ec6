from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.core.permissions import Role, today
from eiso.improvement.forms import agency_people
from eiso.reviews.choices import ReviewActionKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def agency_heads(agency):
    if agency is None:
        return User.objects.none()
    return User.objects.filter(role_assignments__agency=agency, role_assignments__role=Role.AGENCY_HEAD).distinct()


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    period_start = forms.DateField(label=_("period reviewed from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("period reviewed until"), widget=forms.DateInput(attrs={"type": "date"}))
    meeting_at = forms.DateTimeField(label=_("meeting time"), required=False, input_formats=DATETIME_FORMATS,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    chair = forms.ModelChoiceField(label=_("chair"), queryset=User.objects.none(), required=False,
                                   help_text=_("The agency head chairs the review."))
    secretary = forms.ModelChoiceField(label=_("secretary"), queryset=User.objects.none(), required=False)
    attendees = forms.CharField(label=_("attendees"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                help_text=_("One person per line: name and position."))

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            agency = instance.agency
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in (
                "title", "year", "period_start", "period_end", "meeting_at", "place", "chair", "secretary",
                "attendees")})
        else:
            year = today().year
            kwargs.setdefault("initial", {"year": year, "period_start": today().replace(month=1, day=1),
                                          "period_end": today(),
                                          "title": _("Management review of the QMS, year %(year)s") % {"year": year}})
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = agency_heads(agency)
        self.fields["secretary"].queryset = agency_people(agency)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CloseForm(forms.Form):
    conclusion = forms.CharField(label=_("conclusion"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("The meeting's conclusion on the suitability, adequacy and "
                                             "effectiveness of the QMS."))


class ConfirmForm(forms.Form):
    statement = forms.CharField(label=_("statement of effectiveness"), widget=forms.Textarea(attrs={"rows": 3}),
                                initial=_("The quality management system is established, applied, maintained and "
                                          "improved effectively, in conformity with TCVN ISO 9001:2015."))


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ReviewActionKind.choices)
    description = forms.CharField(label=_("decision or action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_people(agency)


class ActionDoneForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}))
