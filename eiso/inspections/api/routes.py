"""The inspections app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

ROUTES: list = []  # (prefix, viewset, basename)
urlpatterns: list = []
