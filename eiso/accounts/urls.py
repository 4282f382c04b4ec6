from django.contrib.auth import views as auth_views
from django.urls import path

from eiso.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("users/<int:pk>/two-factor/reset/", views.TwoFactorResetView.as_view(), name="two_factor_reset"),
    path("users/<int:pk>/sign-in/unlock/", views.SignInUnlockView.as_view(), name="sign_in_unlock"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("roles/add/", views.RoleAssignView.as_view(), name="role_add"),
    path("roles/<uuid:pk>/revoke/", views.RoleRevokeView.as_view(), name="role_revoke"),
    path("tokens/", views.ApiTokenListView.as_view(), name="token_list"),
    path("tokens/<uuid:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
]
