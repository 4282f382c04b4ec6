"""Forms of the feedback and survey pages (the agency's side). The services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.improvement.choices import STAFF_CHANNELS, FeedbackChannel, FeedbackKind, NonconformityGrade, QuestionKind
from eiso.improvement.feedback_services import RECORDERS, agency_procedures


def feedback_handlers(agency):
    """Who may be given a feedback to answer: the agency's head, coordinator and staff."""
    if agency is None:
        return User.objects.none()
    return User.objects.filter(role_assignments__agency=agency, role_assignments__role__in=RECORDERS) \
        .distinct().order_by("full_name", "username")


class FeedbackForm(forms.Form):
    """A feedback received at the desk, by phone or by e-mail."""

    channel = forms.ChoiceField(label=_("channel"), choices=[c for c in FeedbackChannel.choices
                                                             if c[0] in STAFF_CHANNELS], initial=FeedbackChannel.DESK)
    kind = forms.ChoiceField(label=_("kind"), choices=FeedbackKind.choices, initial=FeedbackKind.FEEDBACK)
    procedure = forms.ModelChoiceField(label=_("procedure"), queryset=None, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 5}))
    submitter_name = forms.CharField(label=_("name of the submitter"), max_length=200)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        from eiso.catalog.models import Procedure

        self.fields["procedure"].queryset = agency_procedures(agency) if agency else Procedure.objects.none()


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("handler"), queryset=User.objects.none())

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = feedback_handlers(agency)


class RespondForm(forms.Form):
    response = forms.CharField(label=_("response"), widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("The submitter reads it on the public status page."))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Why the feedback is outside the agency's scope (shown to the submitter)."))


class RaiseNonconformityForm(forms.Form):
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("Empty: the feedback's content."))
    grade = forms.ChoiceField(label=_("grade"), choices=[("", "—"), *NonconformityGrade.choices], required=False)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    description = forms.CharField(label=_("introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("Shown to the citizens above the questions."))
    starts_on = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("until"), widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"title": instance.title, "description": instance.description,
                                 "starts_on": instance.starts_on, "ends_on": instance.ends_on}
        super().__init__(*args, **kwargs)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("question"), max_length=500)
    kind = forms.ChoiceField(label=_("kind of answer"), choices=QuestionKind.choices, initial=QuestionKind.RATING)
    order = forms.IntegerField(label=_("order"), min_value=0, required=False)
    is_required = forms.BooleanField(label=_("answer required"), required=False, initial=True)
