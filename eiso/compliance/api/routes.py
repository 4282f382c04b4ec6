"""The compliance app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.compliance.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("compliance-items", views.ComplianceItemViewSet, "complianceitem"),
]
urlpatterns: list = []
