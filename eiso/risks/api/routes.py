"""The risks app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from django.urls import path

from eiso.risks.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("context-issues", views.ContextIssueViewSet, "contextissue"),
    ("interested-parties", views.InterestedPartyViewSet, "interestedparty"),
    ("risks", views.RiskViewSet, "risk"),
    ("risk-actions", views.RiskActionViewSet, "riskaction"),
]
urlpatterns: list = [
    path("risk-matrix/<uuid:agency_id>/", views.RiskMatrixView.as_view(), name="risk-matrix"),
]
