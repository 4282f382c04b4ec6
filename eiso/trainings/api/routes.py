"""The trainings app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.trainings.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("trainings", views.TrainingViewSet, "training"),
    ("training-participants", views.ParticipantViewSet, "trainingparticipant"),
    ("consultants", views.ConsultantViewSet, "consultant"),
    ("consultant-engagements", views.ConsultantEngagementViewSet, "consultantengagement"),
    ("consultant-issues", views.ConsultantIssueViewSet, "consultantissue"),
]
urlpatterns: list = []
