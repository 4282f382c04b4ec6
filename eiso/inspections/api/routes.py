"""The inspections app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.inspections.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("inspection-plans", views.InspectionPlanViewSet, "inspectionplan"),
    ("inspections", views.InspectionViewSet, "inspection"),
    ("inspection-findings", views.InspectionFindingViewSet, "inspectionfinding"),
]
urlpatterns: list = []
