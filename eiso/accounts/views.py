import base64

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.accounts import services, two_factor
from eiso.accounts.forms import ApiTokenForm, LoginForm, OneTimeCodeForm, UserEditForm
from eiso.accounts.models import ApiToken
from eiso.accounts.tables import UserTable
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for
from eiso.core.views import ObjectDetailView, ObjectEditView, ObjectListView, refusal_to_form, safe_next
from eiso.organizations.forms import RoleAssignmentForm, UserCreateForm
from eiso.organizations.models import RoleAssignment
from eiso.organizations.services import role_assign, role_revoke

User = get_user_model()


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.EISO_OIDC_ENABLED
        context["sso_provider"] = settings.EISO_OIDC_PROVIDER_NAME or _("the province's single sign-on")
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context


def locked_out(request, response, credentials):
    """django-axes' answer once a user name and address have too many failed sign-ins: 429 with what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Search"))

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))

    class Meta:
        model = User
        fields = ["q"]


def _manages_people(user) -> bool:
    scope = scope_for(user)
    return scope.is_global or bool(scope.agencies_for("manage_roles"))


class UserListView(ObjectListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    title = gettext_lazy("People and roles")
    add_url_name = "accounts:user_add"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            _manages_people(request.user) or scope_for(request.user).supervised_provinces
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def can_add(self):
        return _manages_people(self.request.user)


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            RoleAssignment.objects.restrict(self.request.user)
            .filter(user=self.object)
            .select_related("agency", "org_unit")
        )
        context["can_assign"] = _manages_people(self.request.user)
        context["has_second_factor"] = two_factor.confirmed_device(self.object) is not None
        context["sign_in_paused"] = services.sign_in_paused(self.object)
        try:
            services.ensure_manages_person(self.request.user, self.object, own_message="")
        except PermissionDeniedError:
            context["cares_for_account"] = False
        else:
            context["cares_for_account"] = True
        return context


class UserCreateView(ObjectEditView):
    model = User
    form_class = UserCreateForm
    title = gettext_lazy("Add a person")

    def can_add(self):
        return _manages_people(self.request.user)

    def save(self, form):
        return services.user_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return reverse("accounts:user_detail", args=[obj.pk])


class UserEditView(ObjectEditView):
    model = User
    form_class = UserEditForm

    def save(self, form):
        return services.user_update(actor=self.request.user, user=self.object, data=form.cleaned_data)

    def get_success_url(self, obj):
        return reverse("accounts:user_detail", args=[obj.pk])


class RoleAssignView(ObjectEditView):
    model = RoleAssignment
    form_class = RoleAssignmentForm
    title = gettext_lazy("Assign a role")

    def can_add(self):
        return _manages_people(self.request.user)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("user"):
            initial["user"] = self.request.GET["user"]
        return initial

    def save(self, form):
        return role_assign(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return reverse("accounts:user_detail", args=[obj.user_id])


class RoleRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(RoleAssignment.objects.restrict(request.user, "view"), pk=pk)
        try:
            role_revoke(actor=request.user, assignment=assignment)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The role has been removed."))
        return redirect("accounts:user_detail", pk=assignment.user_id)


class ApiTokenListView(LoginRequiredMixin, View):
    template_name = "accounts/token_list.html"

    def get(self, request, form=None, raw=None):
        return render(
            request,
            self.template_name,
            {
                "tokens": ApiToken.objects.restrict(request.user),
                "form": form or ApiTokenForm(),
                "raw_token": raw,
            },
        )

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, raw = services.api_token_create(user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return self.get(request, raw=raw)
        return self.get(request, form=form)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken.objects.restrict(request.user), pk=pk)
        services.api_token_revoke(user=request.user, token=token)
        messages.success(request, _("The token has been revoked."))
        return redirect("accounts:token_list")


class TwoFactorView(LoginRequiredMixin, View):
    """The second step of signing in: a code from the authenticator app (or a backup code)."""

    template_name = "accounts/two_factor.html"

    def get(self, request, form=None):
        if two_factor.is_verified(request):
            return redirect(safe_next(request, reverse("core:home")))
        if two_factor.confirmed_device(request.user) is None:
            return redirect(f"{reverse('accounts:two_factor_setup')}?{request.GET.urlencode()}")
        return render(request, self.template_name, {"form": form or OneTimeCodeForm(),
                                                    "next": request.GET.get("next", "")})

    def post(self, request):
        form = OneTimeCodeForm(request.POST)
        if form.is_valid() and two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(safe_next(request, reverse("core:home")))
        if form.is_valid():
            form.add_error("code", _("The code is not correct or has been used. Enter the code shown now."))
        return self.get(request, form=form)


class TwoFactorSetupView(LoginRequiredMixin, View):
    """Enrolment: scan the QR code (or type the key) into an authenticator app, confirm with its first code, keep
    the backup codes. Someone who already has an authenticator must confirm it first (a password alone never
    replaces it)."""

    template_name = "accounts/two_factor_setup.html"

    def get(self, request, form=None):
        if two_factor.confirmed_device(request.user) is not None and not two_factor.is_verified(request):
            return redirect(f"{reverse('accounts:two_factor')}?{request.GET.urlencode()}")
        device = two_factor.pending_device(request.user)
        return render(request, self.template_name, {
            "form": form or OneTimeCodeForm(), "qr": two_factor.qr_data_uri(device),
            "secret": base64.b32encode(device.bin_key).decode(), "next": request.GET.get("next", ""),
            "replacing": two_factor.confirmed_device(request.user) is not None,
        })

    def post(self, request):
        form = OneTimeCodeForm(request.POST)
        if form.is_valid():
            try:
                codes = two_factor.enrol(request, form.cleaned_data["code"])
            except PermissionDeniedError as exc:
                raise PermissionDenied from exc
            except ApplicationError as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("Two-factor sign-in is on for your account."))
                return render(request, "accounts/two_factor_codes.html", {
                    "codes": codes, "next": safe_next(request, reverse("core:home"))})
        return self.get(request, form=form)


class AccountCareView(LoginRequiredMixin, View):
    """A manager's action on someone else's account (POST), from the person's page."""

    def act(self, actor, person) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        person = get_object_or_404(User.objects.restrict(request.user, "view"), pk=pk)
        try:
            message = self.act(request.user, person)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        messages.success(request, message)
        return redirect("accounts:user_detail", pk=person.pk)


class TwoFactorResetView(AccountCareView):
    def act(self, actor, person):
        two_factor.reset(actor=actor, user=person)
        return _("Two-factor sign-in has been reset: %(name)s sets it up again at the next sign-in.") % {
            "name": person}


class SignInUnlockView(AccountCareView):
    def act(self, actor, person):
        services.sign_in_unlock(actor=actor, user=person)
        return _("%(name)s can sign in again.") % {"name": person}
