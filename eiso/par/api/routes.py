"""The par app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.par.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("par-criteria", views.ParCriterionViewSet, "parcriterion"),
]
urlpatterns: list = []
