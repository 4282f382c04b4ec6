"""The announcements app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.announcements.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("conformity-announcements", views.ConformityAnnouncementViewSet, "conformityannouncement"),
]
urlpatterns: list = []
