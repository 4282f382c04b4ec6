"""The reporting app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.reporting.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("reporting-periods", views.ReportingPeriodViewSet, "reportingperiod"),
    ("periodic-reports", views.PeriodicReportViewSet, "periodicreport"),
]
urlpatterns: list = []
