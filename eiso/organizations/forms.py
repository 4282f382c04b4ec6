from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import ASSIGNABLE_BY_AGENCY_MANAGERS, Role, scope_for
from eiso.organizations.models import AdminUnit, Agency, OrgUnit


class ScopedFormMixin:
    """Forms receive the user and the current agency; choice fields list only what restrict() allows."""

    def __init__(self, *args, user=None, agency=None, **kwargs):
        self.user, self.agency = user, agency
        super().__init__(*args, **kwargs)


class AgencyForm(ScopedFormMixin, forms.ModelForm):
    admin_unit = forms.ModelChoiceField(
        queryset=AdminUnit.objects.filter(level__in=["province", "commune"], valid_to__isnull=True),
        label=_("administrative unit"),
        widget=forms.TextInput(attrs={"placeholder": _("Administrative unit code, e.g. 00004")}),
        to_field_name="code",
    )

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "admin_unit", "parent", "address", "phone", "email",
                  "website", "valid_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Agency.objects.restrict(self.user, "view")
        self.fields["admin_unit"].error_messages["invalid_choice"] = _(
            "Unknown administrative unit code. Use the 2-digit province code or the 5-digit commune code."
        )

    def validate_unique(self):
        """Uniqueness is decided by the service, which explains what to do."""


class OrgUnitForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "code", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency_id = self.instance.agency_id if self.instance.pk else (self.agency.pk if self.agency else None)
        self.fields["parent"].queryset = OrgUnit.objects.restrict(self.user, "view").filter(agency_id=agency_id)

    def validate_unique(self):
        pass


class RoleAssignmentForm(ScopedFormMixin, forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("user"),
                                  to_field_name="username",
                                  widget=forms.TextInput(attrs={"placeholder": _("user name")}))
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("agency"))
    role = forms.ChoiceField(choices=Role.choices, label=_("role"))
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("internal unit"))
    is_recursive = forms.BooleanField(required=False, initial=True, label=_("includes sub-units"))
    valid_from = forms.DateField(required=False, label=_("valid from"))
    valid_until = forms.DateField(required=False, label=_("valid until"),
                                  help_text=_("Required for consultants."))

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        scope = scope_for(self.user)
        # Any account may be given a role by user name; agencies are limited to those the assigner manages.
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        if scope.is_global:
            self.fields["agency"].queryset = Agency.objects.all()
        else:
            self.fields["agency"].queryset = Agency.objects.filter(pk__in=scope.agencies_for("manage_roles"))
            self.fields["role"].choices = [c for c in Role.choices if c[0] in ASSIGNABLE_BY_AGENCY_MANAGERS]
        self.fields["org_unit"].queryset = OrgUnit.objects.restrict(self.user, "view").filter(
            agency__in=self.fields["agency"].queryset
        )
        if self.agency is not None:
            self.fields["agency"].initial = self.agency.pk


class UserCreateForm(ScopedFormMixin, forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=150)
    position = forms.CharField(label=_("position"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)


class MergerForm(ScopedFormMixin, forms.Form):
    """Recording a merger: the merged agencies, the successor (existing, or new: code, name, kind, unit), the date
    and the legal basis. Agencies are those in force in the provinces where the user is the supervising
    authority (all for an administrator)."""

    predecessors = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), label=_("merged agencies"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("At least two, or one merged into an existing agency. Hold Ctrl to choose several."))
    successor = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False, label=_("successor agency"),
                                       help_text=_("An existing agency; leave empty to create a new one below."))
    new_code = forms.CharField(label=_("new agency: code"), max_length=40, required=False)
    new_name = forms.CharField(label=_("new agency: name"), max_length=255, required=False,
                               help_text=_("e.g. Ủy ban nhân dân phường Cam Đường (new)."))
    new_kind = forms.ChoiceField(label=_("new agency: kind"), required=False, choices=[])
    new_admin_unit = forms.ModelChoiceField(
        queryset=AdminUnit.objects.filter(level__in=["province", "commune"], valid_to__isnull=True), required=False,
        label=_("new agency: administrative unit"), to_field_name="code",
        widget=forms.TextInput(attrs={"placeholder": _("Administrative unit code, e.g. 00004")}))
    effective_on = forms.DateField(label=_("takes effect on"), widget=forms.DateInput(attrs={"type": "date"}))
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300,
                                  help_text=_("e.g. Nghị quyết 1670/NQ-UBTVQH15."))

    def __init__(self, *args, **kwargs):
        from eiso.organizations.choices import AgencyKind

        super().__init__(*args, **kwargs)
        scope = scope_for(self.user)
        agencies = Agency.objects.filter(valid_to__isnull=True).select_related("province").order_by("name")
        if not scope.is_global:
            agencies = agencies.filter(province__in=scope.authority_provinces)
        for name in ("predecessors", "successor"):
            self.fields[name].queryset = agencies
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose agencies in force in your province: an agency that has ended, or of another province, "
                "cannot be merged.")
        self.fields["predecessors"].error_messages["invalid_choice"] = self.fields["successor"].error_messages[
            "invalid_choice"]
        self.fields["new_kind"].choices = [("", "—"), *AgencyKind.choices]
        self.fields["new_admin_unit"].error_messages["invalid_choice"] = _(
            "Unknown administrative unit code. Use the 2-digit province code or the 5-digit commune code.")

    def new_successor(self) -> dict | None:
        data = self.cleaned_data
        if data.get("successor") is not None:
            return None
        if not any(data.get(name) for name in ("new_code", "new_name", "new_kind", "new_admin_unit")):
            return None
        return {"code": data.get("new_code", ""), "name": data.get("new_name", ""),
                "kind": data.get("new_kind", ""), "admin_unit": data.get("new_admin_unit")}
