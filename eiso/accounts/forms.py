from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from eiso.accounts.selectors import user_access_ended_on, user_access_expired


class LoginForm(AuthenticationForm):
    """Tells an expired consultant why they cannot sign in instead of a generic error."""

    def clean(self):
        username = self.cleaned_data.get("username")
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is not None and user.is_active and user_access_expired(user=user) and user.check_password(
            self.cleaned_data.get("password") or ""
        ):
            ended = user_access_ended_on(user=user)
            raise forms.ValidationError(
                _("Your access ended on %(date)s. Ask the agency's ISO coordinator to extend it.")
                % {"date": formats.date_format(ended, "SHORT_DATE_FORMAT") if ended else "—"},
                code="access_expired",
            )
        return super().clean()


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100,
                           help_text=_("What the token is for, e.g. the one-stop system."))
    expires_at = forms.DateTimeField(label=_("expires at"), required=False,
                                     help_text=_("dd/mm/yyyy hh:mm; leave empty for no expiry."))


class UserEditForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["full_name", "position", "email", "phone", "is_active"]

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6 digits your authenticator app shows now, or one of your backup codes."))
