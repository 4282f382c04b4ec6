from django.urls import path

from eiso.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("national/", views.NationalView.as_view(), name="national"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_add"),
    path("plans/<uuid:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<uuid:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<uuid:pk>/delete/", views.PlanDeleteView.as_view(), name="plan_delete"),
    path("plans/<uuid:pk>/targets/", views.TargetAddView.as_view(), name="target_add"),
    path("plans/<uuid:pk>/milestones/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("plans/<uuid:pk>/budget/", views.BudgetLineAddView.as_view(), name="budget_line_add"),
    path("targets/<uuid:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<uuid:pk>/remove/", views.TargetRemoveView.as_view(), name="target_remove"),
    path("milestones/<uuid:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<uuid:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("budget-lines/<uuid:pk>/delete/", views.BudgetLineDeleteView.as_view(), name="budget_line_delete"),
    path("agencies/<uuid:pk>/stage/", views.StageDetailView.as_view(), name="stage_detail"),
    path("agencies/<uuid:pk>/stage/confirm/", views.StageConfirmView.as_view(), name="stage_confirm"),
    path("agencies/<uuid:pk>/stage/conversion/", views.StageConversionView.as_view(), name="stage_conversion"),
]
