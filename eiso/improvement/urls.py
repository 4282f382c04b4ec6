from django.urls import path

from eiso.improvement import feedback_views, views

app_name = "improvement"

urlpatterns = [
    path("", views.NonconformityListView.as_view(), name="nonconformity_list"),
    path("new/", views.NonconformityCreateView.as_view(), name="nonconformity_add"),
    path("<uuid:pk>/", views.NonconformityDetailView.as_view(), name="nonconformity_detail"),
    path("<uuid:pk>/edit/", views.NonconformityEditView.as_view(), name="nonconformity_edit"),
    path("from-dossier/<uuid:pk>/", views.NonconformityFromDossierView.as_view(), name="nonconformity_from_dossier"),
    path("<uuid:pk>/analysis/", views.NonconformityAnalysisView.as_view(), name="nonconformity_analysis"),
    path("<uuid:pk>/transition/", views.NonconformityTransitionView.as_view(), name="nonconformity_transition"),
    path("<uuid:pk>/verify/", views.NonconformityVerifyView.as_view(), name="nonconformity_verify"),
    path("<uuid:pk>/actions/", views.CorrectiveActionAddView.as_view(), name="action_add"),
    path("actions/<uuid:pk>/done/", views.CorrectiveActionDoneView.as_view(), name="action_done"),
    # citizens' feedback
    path("feedback/", feedback_views.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/new/", feedback_views.FeedbackCreateView.as_view(), name="feedback_add"),
    path("feedback/<uuid:pk>/", feedback_views.FeedbackDetailView.as_view(), name="feedback_detail"),
    path("feedback/<uuid:pk>/assign/", feedback_views.FeedbackAssignView.as_view(), name="feedback_assign"),
    path("feedback/<uuid:pk>/respond/", feedback_views.FeedbackRespondView.as_view(), name="feedback_respond"),
    path("feedback/<uuid:pk>/close/", feedback_views.FeedbackCloseView.as_view(), name="feedback_close"),
    path("feedback/<uuid:pk>/reject/", feedback_views.FeedbackRejectView.as_view(), name="feedback_reject"),
    path("feedback/<uuid:pk>/nonconformity/", feedback_views.FeedbackRaiseNonconformityView.as_view(),
         name="feedback_nonconformity"),
    # satisfaction surveys
    path("surveys/", feedback_views.SurveyListView.as_view(), name="survey_list"),
    path("surveys/new/", feedback_views.SurveyCreateView.as_view(), name="survey_add"),
    path("surveys/<uuid:pk>/", feedback_views.SurveyDetailView.as_view(), name="survey_detail"),
    path("surveys/<uuid:pk>/edit/", feedback_views.SurveyEditView.as_view(), name="survey_edit"),
    path("surveys/<uuid:pk>/transition/", feedback_views.SurveyTransitionView.as_view(), name="survey_transition"),
    path("surveys/<uuid:pk>/questions/", feedback_views.SurveyQuestionAddView.as_view(), name="survey_question_add"),
    path("surveys/questions/<uuid:pk>/delete/", feedback_views.SurveyQuestionDeleteView.as_view(),
         name="survey_question_delete"),
    path("surveys/<uuid:pk>/results/", feedback_views.SurveyResultsView.as_view(), name="survey_results"),
]
