from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.announcements import selectors
from eiso.announcements.choices import AnnouncementKind, AnnouncementStatus, ReannouncementReason
from eiso.announcements.models import ConformityAnnouncement
from eiso.core.permissions import today
from eiso.organizations.models import QMS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AnnouncementForm(forms.Form):
    """A draft: pre-filled from the QMS (scope, standard) and the agency (symbol, signer's position); for a
    re-announcement, with the reason and what changed since the announcement in force."""

    qms = forms.ModelChoiceField(label=_("QMS"), queryset=QMS.objects.none(), required=False,
                                 help_text=_("The QMS the agency hosts (its own)."))
    scope = forms.CharField(label=_("scope"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("The activities the QMS covers, as written in Article 1 of the decision."))
    standard = forms.CharField(label=_("standard"), max_length=60)
    symbol = forms.CharField(label=_("document symbol"), max_length=40,
                             help_text=_("The part after the number, e.g. QĐ-UBND or QĐ-STP."))
    signer_position = forms.CharField(label=_("signer's position"), max_length=150,
                                      help_text=_("As printed above the signature, e.g. Chủ tịch or Giám đốc."))
    reason = forms.ChoiceField(label=_("reason for the re-announcement"), required=False,
                               choices=[("", "—"), *ReannouncementReason.choices])
    reason_detail = forms.CharField(label=_("what changed"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("The procedures added or removed, the agencies merged…"))

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            agency = instance.agency
            initial = {name: getattr(instance, name) for name in (
                "scope", "standard", "symbol", "signer_position", "reason", "reason_detail")} | {"qms": instance.qms}
            reannouncement = instance.kind == AnnouncementKind.REANNOUNCEMENT
        else:
            qms = selectors.hosted_qms(agency) if agency is not None else None
            initial = {"qms": qms, "scope": selectors.default_scope(agency, qms) if agency else "",
                       "standard": (qms.standard if qms else "") or selectors.DEFAULT_STANDARD,
                       "symbol": selectors.default_symbol(agency) if agency else "",
                       "signer_position": selectors.default_signer(agency)[1] if agency else ""}
            reannouncement = agency is not None and ConformityAnnouncement.objects.filter(
                agency=agency, status=AnnouncementStatus.SIGNED).exists()
            if reannouncement:
                initial["reason"], initial["reason_detail"] = selectors.suggested_reason(agency)
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.reannouncement = reannouncement
        qms_choices = QMS.objects.filter(agency=agency, is_active=True) if agency else QMS.objects.none()
        self.fields["qms"].queryset = qms_choices
        if instance is not None:
            del self.fields["qms"]  # a draft stays with its QMS
        if not reannouncement:
            del self.fields["reason"]
            del self.fields["reason_detail"]
        else:
            self.fields["reason"].required = True


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("signed on"), widget=DATE, input_formats=DATE_FORMATS, initial=today)
    number = forms.IntegerField(label=_("number"), required=False, min_value=1,
                                help_text=_("Leave empty to take the next number of the year, or write the number "
                                            "the office's register gave the decision."))


class PostingForm(forms.Form):
    posted_on = forms.DateField(label=_("posted at the seat on"), widget=DATE, input_formats=DATE_FORMATS)
    posted_url = forms.URLField(label=_("web address of the posting"), required=False, max_length=500,
                                assume_scheme="https")
