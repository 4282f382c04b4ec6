"""The public dossier lookup (tra cứu hồ sơ): no login. The citizen types the code printed on the receipt and
the last 4 digits of the phone number given at the desk (or of the ID number when none was given); a wrong code
and wrong digits get the same answer, every attempt counts against a per-address limit, and nothing is cached.
Once the result was returned, the same page takes the citizen's satisfaction rating, once."""


from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from eiso.core.errors import ApplicationError
from eiso.core.throttle import allow, client_ip
from eiso.dossiers.choices import FINISHED, DossierStatus, Satisfaction
from eiso.dossiers.selectors import LOOKUP_DIGITS, dossier_lookup, public_history
from eiso.dossiers.services import dossier_rate

TEMPLATE = "portal/lookup.html"


class LookupForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Dossier code"), max_length=60,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    digits = forms.CharField(
        label=gettext_lazy("Last 4 digits of the phone number"), max_length=LOOKUP_DIGITS,
        min_length=LOOKUP_DIGITS,
        validators=[RegexValidator(r"^\d{4}$", gettext_lazy("Enter the last 4 digits, numbers only."))],
        error_messages={"min_length": gettext_lazy("Enter the last 4 digits, numbers only."),
                        "max_length": gettext_lazy("Enter the last 4 digits, numbers only.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off",
                                      "size": 6}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class RateForm(LookupForm):
    rating = forms.TypedChoiceField(label=gettext_lazy("How satisfied are you?"), choices=Satisfaction.choices,
                                    coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=gettext_lazy("Comment (optional)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


def _throttled(request) -> bool:
    limit = settings.EISO["DOSSIER_LOOKUP_PER_MINUTE"]
    return not allow(f"dossier-lookup:{client_ip(request)}", limit=limit)


def _page(request, *, form, dossier=None, rate_form=None, message="", level="error", status=200):
    context = {"form": form, "dossier": dossier, "message": message, "level": level,
               "title": _("Look up a dossier")}
    if dossier is not None:
        context["history"] = public_history(dossier)
        context["finished"] = dossier.status in FINISHED
        if dossier.status == DossierStatus.RETURNED and dossier.rating is None:
            context["rate_form"] = rate_form or RateForm(initial={"code": dossier.code,
                                                                  "digits": form.cleaned_data["digits"]})
    response = render(request, TEMPLATE, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(request, form):
    response = _page(request, form=form, status=429,
                     message=_("Too many lookups from your address. Try again in a minute."))
    response["Retry-After"] = "60"
    return response


NOT_FOUND = gettext_lazy("No dossier matches this code and these digits. Check the receipt.")


@method_decorator(never_cache, name="dispatch")
class LookupView(View):
    """GET, so that a receipt can link here with ?code= (the digits are always typed)."""

    def get(self, request):
        if "digits" not in request.GET:  # the empty form, or the code from a receipt's link
            return _page(request, form=LookupForm(initial={"code": request.GET.get("code", "")[:60]}))
        form = LookupForm(request.GET)
        if _throttled(request):
            return _too_many(request, form)
        if not form.is_valid():
            return _page(request, form=form)
        dossier = dossier_lookup(code=form.cleaned_data["code"], digits=form.cleaned_data["digits"])
        if dossier is None:
            return _page(request, form=form, message=NOT_FOUND)
        return _page(request, form=form, dossier=dossier)


@method_decorator(never_cache, name="dispatch")
class LookupRateView(View):
    """The rating, posted from the result page: the code and digits are checked again."""

    http_method_names = ["post"]

    def post(self, request):
        rate_form = RateForm(request.POST)
        lookup_form = LookupForm({"code": request.POST.get("code", ""), "digits": request.POST.get("digits", "")})
        if _throttled(request):
            return _too_many(request, lookup_form)
        dossier = None
        if lookup_form.is_valid():
            dossier = dossier_lookup(code=lookup_form.cleaned_data["code"], digits=lookup_form.cleaned_data["digits"])
        if dossier is None:
            return _page(request, form=lookup_form, message=NOT_FOUND)
        if not rate_form.is_valid():
            return _page(request, form=lookup_form, dossier=dossier, rate_form=rate_form,
                         message=_("Choose how satisfied you are."))
        try:
            dossier = dossier_rate(dossier=dossier, rating=rate_form.cleaned_data["rating"],
                                   comment=rate_form.cleaned_data["comment"])
        except ApplicationError as error:
            dossier.refresh_from_db()
            return _page(request, form=lookup_form, dossier=dossier, rate_form=rate_form, message=error.message)
        return _page(request, form=lookup_form, dossier=dossier, level="success",
                     message=_("Thank you: your rating was recorded."))
