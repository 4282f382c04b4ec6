from django.urls import path

from eiso.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.NonconformityListView.as_view(), name="nonconformity_list"),
    path("new/", views.NonconformityCreateView.as_view(), name="nonconformity_add"),
    path("<uuid:pk>/", views.NonconformityDetailView.as_view(), name="nonconformity_detail"),
    path("<uuid:pk>/analysis/", views.NonconformityAnalysisView.as_view(), name="nonconformity_analysis"),
    path("<uuid:pk>/transition/", views.NonconformityTransitionView.as_view(), name="nonconformity_transition"),
    path("<uuid:pk>/verify/", views.NonconformityVerifyView.as_view(), name="nonconformity_verify"),
    path("<uuid:pk>/actions/", views.CorrectiveActionAddView.as_view(), name="action_add"),
    path("actions/<uuid:pk>/done/", views.CorrectiveActionDoneView.as_view(), name="action_done"),
]
