"""A simple challenge for the public forms that needs no session: a small sum to compute, whose operands travel
in a token signed with django.core.signing (TimestampSigner, so it expires), plus a honeypot field that people
do not see and robots fill. A token is accepted once (its nonce is remembered in the cache until it expires),
so one solved challenge cannot be replayed."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SALT = "eiso.portal.challenge"
HONEYPOT = "website"


def max_age() -> int:
    """Seconds a challenge stays valid (setting EISO_PUBLIC_CHALLENGE_MAX_AGE, 30 minutes by default)."""
    return int(getattr(settings, "EISO_PUBLIC_CHALLENGE_MAX_AGE", 1800))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def new_challenge() -> tuple[str, str]:
    """(the question, the signed token)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = _signer().sign(f"{a}:{b}:{secrets.token_hex(8)}")
    return _("How much is %(a)s plus %(b)s?") % {"a": a, "b": b}, token


class ChallengeError(Exception):
    """The answer is wrong, or the challenge expired or was already used; `message` says what to do."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def verify(token: str, answer) -> None:
    """Accept the answer to the challenge of `token` once, or raise ChallengeError."""
    try:
        value = _signer().unsign(token or "", max_age=max_age())
        a, b, nonce = value.split(":")
        expected = int(a) + int(b)
    except signing.SignatureExpired as exc:
        raise ChallengeError(_("The check question expired. Answer the new question below and send again.")) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ChallengeError(_("The check question is not valid. Answer the new question below.")) from exc
    try:
        given = int(str(answer).strip())
    except (TypeError, ValueError):
        given = None
    if given != expected:
        raise ChallengeError(_("The answer to the check question is wrong. Answer the new question below."))
    if not cache.add(f"challenge-used:{nonce}", 1, timeout=max_age()):
        raise ChallengeError(_("This check question was already used. Answer the new question below."))


class ChallengeFormMixin(forms.Form):
    """Adds the challenge's answer, its token and the honeypot to a public form. The view checks them with
    `check_challenge()` (a refused challenge is a form error: the form is kept, nothing is stored)."""

    challenge_answer = forms.IntegerField(label=gettext_lazy("Check question"), required=True,
                                          widget=forms.NumberInput(attrs={"autocomplete": "off", "size": 4}))
    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_question = ""
        if not self.is_bound:
            self.renew_challenge()

    def renew_challenge(self) -> None:
        """A fresh question for the page about to be shown (the answer typed before is cleared). The view calls it
        before showing a posted form again: a token is good for one try."""
        question, token = new_challenge()
        self.challenge_question = question
        self.fields["challenge_answer"].help_text = question
        self.fields["challenge_token"].initial = token
        if self.is_bound:
            data = self.data.copy()
            data["challenge_token"] = token
            data["challenge_answer"] = ""
            self.data = data

    def is_honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def check_challenge(self) -> bool:
        """Call after is_valid(): False (with a form error) when the honeypot is filled or the answer refused."""
        if self.is_honeypot_filled():
            self.add_error(None, _("Your message could not be accepted."))
            return False
        try:
            verify(self.data.get("challenge_token", ""), self.data.get("challenge_answer", ""))
        except ChallengeError as error:
            self.add_error(None, error.message)
            return False
        return True
