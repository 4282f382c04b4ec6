"""The oversight app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from django.urls import path

from eiso.oversight.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("rollout-plans", views.RolloutPlanViewSet, "rolloutplan"),
    ("rollout-milestones", views.RolloutMilestoneViewSet, "rolloutmilestone"),
    ("rollout-budget-lines", views.RolloutBudgetLineViewSet, "rolloutbudgetline"),
    ("rollout-targets", views.RolloutTargetViewSet, "rollouttarget"),
    ("agency-stages", views.AgencyStageViewSet, "agencystage"),
]
urlpatterns: list = [
    path("province-summary/", views.ProvinceSummaryView.as_view(), name="province-summary"),
]
