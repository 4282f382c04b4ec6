"""The improvement app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.improvement.api import feedback_views, views

ROUTES: list = [  # (prefix, viewset, basename)
    ("nonconformities", views.NonconformityViewSet, "nonconformity"),
    ("corrective-actions", views.CorrectiveActionViewSet, "correctiveaction"),
    ("feedback", feedback_views.FeedbackViewSet, "feedback"),
    ("satisfaction-surveys", feedback_views.SatisfactionSurveyViewSet, "satisfactionsurvey"),
    ("survey-questions", feedback_views.SurveyQuestionViewSet, "surveyquestion"),
]
urlpatterns: list = []
