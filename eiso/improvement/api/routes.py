"""The improvement app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.improvement.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("nonconformities", views.NonconformityViewSet, "nonconformity"),
    ("corrective-actions", views.CorrectiveActionViewSet, "correctiveaction"),
]
urlpatterns: list = []
