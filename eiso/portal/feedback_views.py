"""Public pages of citizens' feedback and satisfaction surveys: no login, nothing cached, not indexed.

- /public/feedback/: choose the agency (search by name), then write the feedback or petition; the form carries
  a check question (eiso.portal.challenge) and a honeypot, and each address may send EISO_FEEDBACK_PER_HOUR
  messages an hour. The answer page gives the tracking code and the response due date.
- /public/feedback/status/: the status and the agency's response, by tracking code and the last 4 digits of
  the phone (one answer for a wrong code and wrong digits). The submitter's name and contact are never shown.
- /public/surveys/<id>/: answer an open satisfaction survey, optionally for a returned dossier (its code and
  the last 4 digits of the phone), once per dossier.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.throttle import allow, client_ip
from eiso.improvement.choices import FeedbackKind, QuestionKind, SurveyStatus
from eiso.improvement.feedback_services import agency_procedures, feedback_receive
from eiso.improvement.models import SatisfactionSurvey
from eiso.improvement.selectors import feedback_lookup
from eiso.improvement.surveys import survey_answer
from eiso.organizations.models import Agency
from eiso.portal.challenge import ChallengeFormMixin

DIGITS_MESSAGE = gettext_lazy("Enter the last 4 digits, numbers only.")


def feedback_per_hour() -> int:
    return int(getattr(settings, "EISO_FEEDBACK_PER_HOUR", 5))


def survey_per_hour() -> int:
    return int(getattr(settings, "EISO_SURVEY_PER_HOUR", 20))


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(response):
    response.status_code = 429
    response["Retry-After"] = "3600"
    return response


def public_agencies(q: str = ""):
    """Agencies that exist today, searchable by name (accents ignored)."""
    return Agency.objects.valid_on(today()).search(q).select_related("province").order_by("name")


def digits_field(label):
    return forms.CharField(label=label, max_length=4, min_length=4,
                           validators=[RegexValidator(r"^\d{4}$", DIGITS_MESSAGE)],
                           error_messages={"min_length": DIGITS_MESSAGE, "max_length": DIGITS_MESSAGE},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}))


# --- Feedback -------------------------------------------------------------------------------------------------


class PublicFeedbackForm(ChallengeFormMixin):
    agency = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("This is a"), choices=FeedbackKind.choices,
                             initial=FeedbackKind.FEEDBACK, widget=forms.RadioSelect)
    procedure = forms.ChoiceField(label=gettext_lazy("About the procedure (optional)"), required=False)
    content = forms.CharField(label=gettext_lazy("Your feedback or petition"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    submitter_name = forms.CharField(label=gettext_lazy("Your name (or your business's)"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, help_text=gettext_lazy(
        "Its last 4 digits let you follow the answer online. Never shown publicly."))
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False)

    field_order = ["agency", "kind", "procedure", "content", "submitter_name", "phone", "email",
                   "challenge_answer", "challenge_token", "website"]

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_obj = agency
        self.procedures = {str(p.pk): p for p in agency_procedures(agency)}
        self.fields["agency"].initial = agency.code
        self.fields["procedure"].choices = [("", "—")] + [(pk, f"{p.code} {p.name}"[:150])
                                                          for pk, p in self.procedures.items()]


def _feedback_page(request, context, status=200):
    context.setdefault("title", _("Send feedback or a petition"))
    return _private(render(request, "portal/feedback.html", context, status=status))


@method_decorator(never_cache, name="dispatch")
class PublicFeedbackView(View):
    def get(self, request):
        code = request.GET.get("agency", "").strip()
        if code:
            agency = public_agencies().filter(code=code).first()
            if agency is None:
                raise Http404
            return _feedback_page(request, {"agency": agency, "form": PublicFeedbackForm(agency=agency)})
        q = request.GET.get("q", "").strip()[:100]
        return _feedback_page(request, {"q": q, "agencies": public_agencies(q)[:50] if q else None})

    def post(self, request):
        agency = public_agencies().filter(code=request.POST.get("agency", "").strip()).first()
        if agency is None:
            raise Http404
        form = PublicFeedbackForm(request.POST, agency=agency)
        if not allow(f"public-feedback:{client_ip(request)}", limit=feedback_per_hour(), period=3600):
            form.is_valid()
            form.renew_challenge()
            return _too_many(_feedback_page(request, {"agency": agency, "form": form, "message": _(
                "Too many messages from your address. Try again in an hour, or call the agency.")}))
        if form.is_valid() and form.check_challenge():
            data = form.cleaned_data
            try:
                feedback = feedback_receive(
                    actor=None, agency=agency, kind=data["kind"], content=data["content"],
                    submitter_name=data["submitter_name"], phone=data["phone"], email=data["email"],
                    procedure=form.procedures.get(data["procedure"] or ""))
            except ApplicationError as error:
                form.add_error(None, error.message)
                for name, messages in error.errors.items():
                    for message in messages:
                        form.add_error(name if name in form.fields else None, message)
            else:
                return _feedback_page(request, {"agency": agency, "feedback": feedback,
                                                "title": _("Your feedback was received")})
        form.renew_challenge()
        return _feedback_page(request, {"agency": agency, "form": form}, status=400)


class FeedbackStatusForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Tracking code"), max_length=80,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    digits = digits_field(gettext_lazy("Last 4 digits of the phone number"))


@method_decorator(never_cache, name="dispatch")
class PublicFeedbackStatusView(View):
    """GET, so that the answer page can link here with ?code= (the digits are always typed)."""

    def get(self, request):
        context = {"title": _("Follow a feedback")}
        if "digits" not in request.GET:
            context["form"] = FeedbackStatusForm(initial={"code": request.GET.get("code", "")[:80]})
            return _private(render(request, "portal/feedback_status.html", context))
        form = context["form"] = FeedbackStatusForm(request.GET)
        limit = settings.EISO["DOSSIER_LOOKUP_PER_MINUTE"]
        if not allow(f"feedback-status:{client_ip(request)}", limit=limit):
            context["message"] = _("Too many lookups from your address. Try again in a minute.")
            response = _private(render(request, "portal/feedback_status.html", context, status=429))
            response["Retry-After"] = "60"
            return response
        if form.is_valid():
            context["feedback"] = feedback_lookup(code=form.cleaned_data["code"], digits=form.cleaned_data["digits"])
            if context["feedback"] is None:
                context["message"] = _("No feedback matches this code and these digits. Check the code you "
                                       "were given.")
        return _private(render(request, "portal/feedback_status.html", context))


# --- Surveys --------------------------------------------------------------------------------------------------


class PublicSurveyForm(ChallengeFormMixin):
    """The survey's questions as fields named q_<question id>, and the optional dossier."""

    dossier_code = forms.CharField(label=gettext_lazy("Dossier code (optional)"), max_length=60, required=False,
                                   help_text=gettext_lazy("To answer about a dossier whose result you received."))
    dossier_digits = forms.CharField(label=gettext_lazy("Last 4 digits of the phone number"), max_length=4,
                                     required=False, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                                   "autocomplete": "off",
                                                                                   "size": 6}))

    def __init__(self, *args, survey: SatisfactionSurvey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            name = f"q_{question.pk}"
            common = {"label": question.text, "required": question.is_required}
            if question.kind == QuestionKind.RATING:
                self.fields[name] = forms.ChoiceField(choices=[(str(n), str(n)) for n in range(1, 6)],
                                                      widget=forms.RadioSelect, **common)
            elif question.kind == QuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(choices=[("yes", _("yes")), ("no", _("no"))],
                                                      widget=forms.RadioSelect, **common)
            else:
                self.fields[name] = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                                    **common)
        self.order_fields([f"q_{q.pk}" for q in self.questions] + ["dossier_code", "dossier_digits"])

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"q_{q.pk}") for q in self.questions}


def _survey_page(request, context, status=200):
    return _private(render(request, "portal/survey.html", context, status=status))


@method_decorator(never_cache, name="dispatch")
class PublicSurveyView(View):
    def get_survey(self, pk) -> SatisfactionSurvey:
        survey = SatisfactionSurvey.objects.filter(pk=pk).exclude(status=SurveyStatus.DRAFT) \
            .select_related("agency").first()
        if survey is None:
            raise Http404
        return survey

    def get(self, request, pk):
        survey = self.get_survey(pk)
        form = None
        if survey.takes_answers_on(today()):
            form = PublicSurveyForm(survey=survey, initial={"dossier_code": request.GET.get("code", "")[:60]})
        return _survey_page(request, {"survey": survey, "form": form, "title": survey.title})

    def post(self, request, pk):
        from eiso.dossiers.selectors import dossier_lookup

        survey = self.get_survey(pk)
        context = {"survey": survey, "title": survey.title}
        if not survey.takes_answers_on(today()):
            context["message"] = _("This survey does not take answers now.")
            return _survey_page(request, context, status=400)
        form = context["form"] = PublicSurveyForm(request.POST, survey=survey)
        if not allow(f"public-survey:{client_ip(request)}", limit=survey_per_hour(), period=3600):
            form.is_valid()
            form.renew_challenge()
            context["message"] = _("Too many answers from your address. Try again in an hour.")
            return _too_many(_survey_page(request, context))
        if form.is_valid() and form.check_challenge():
            dossier, code = None, form.cleaned_data["dossier_code"].strip()
            if code:
                dossier = dossier_lookup(code=code, digits=form.cleaned_data["dossier_digits"])
                if dossier is None:
                    form.add_error("dossier_code", _("No dossier matches this code and these digits. Check the "
                                                     "receipt."))
            if not form.errors:
                try:
                    survey_answer(survey=survey, answers=form.answers(), dossier=dossier)
                except ApplicationError as error:
                    form.add_error(None, error.message)
                    for name, messages in error.errors.items():
                        field = f"q_{name}" if f"q_{name}" in form.fields else (
                            "dossier_code" if name == "dossier" else None)
                        for message in messages:
                            form.add_error(field, message)
                else:
                    return _survey_page(request, {"survey": survey, "title": survey.title, "thanks": True})
        form.renew_challenge()
        return _survey_page(request, context, status=400)
