"""The objectives app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.objectives.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("quality-policies", views.QualityPolicyViewSet, "qualitypolicy"),
    ("quality-objectives", views.QualityObjectiveViewSet, "qualityobjective"),
    ("objective-indicators", views.IndicatorViewSet, "objectiveindicator"),
    ("objective-plan-actions", views.ObjectivePlanViewSet, "objectiveplan"),
]
urlpatterns: list = []
