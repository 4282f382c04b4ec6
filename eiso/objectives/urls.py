from django.urls import path

from eiso.objectives import views

app_name = "objectives"

urlpatterns = [
    path("", views.ObjectiveListView.as_view(), name="objective_list"),
    path("new/", views.ObjectiveCreateView.as_view(), name="objective_add"),
    path("copy-year/", views.CopyYearView.as_view(), name="objective_copy_year"),
    path("policy/", views.PolicyDetailView.as_view(), name="policy_detail"),
    path("policy/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("policy/<uuid:pk>/approve/", views.PolicyApproveView.as_view(), name="policy_approve"),
    path("<uuid:pk>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("<uuid:pk>/edit/", views.ObjectiveEditView.as_view(), name="objective_edit"),
    path("<uuid:pk>/approve/", views.ObjectiveApproveView.as_view(), name="objective_approve"),
    path("<uuid:pk>/close/", views.ObjectiveCloseView.as_view(), name="objective_close"),
    path("<uuid:pk>/indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_add"),
    path("<uuid:pk>/plan/", views.PlanActionAddView.as_view(), name="plan_add"),
    path("indicators/<uuid:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<uuid:pk>/measurements/new/", views.MeasurementCreateView.as_view(), name="measurement_add"),
    path("indicators/<uuid:pk>/compute/", views.MeasurementComputeView.as_view(), name="measurement_compute"),
    path("measurements/<uuid:pk>/evidence/", views.MeasurementEvidenceView.as_view(), name="measurement_evidence"),
    path("plan/<uuid:pk>/done/", views.PlanActionDoneView.as_view(), name="plan_done"),
]
