from django.urls import path

from eiso.portal import announcement_views, feedback_views, lookup, views

app_name = "portal"

urlpatterns = [
    path("", views.PublicIndexView.as_view(), name="index"),
    # before the agencies' catch-all <code>/
    path("lookup/", lookup.LookupView.as_view(), name="lookup"),
    path("lookup/rate/", lookup.LookupRateView.as_view(), name="lookup_rate"),
    path("feedback/", feedback_views.PublicFeedbackView.as_view(), name="feedback"),
    path("feedback/status/", feedback_views.PublicFeedbackStatusView.as_view(), name="feedback_status"),
    path("surveys/<uuid:pk>/", feedback_views.PublicSurveyView.as_view(), name="survey"),
    path("announcements/", announcement_views.AnnouncementRegisterView.as_view(), name="announcement_register"),
    path("announcements/<uuid:pk>/", announcement_views.PublicAnnouncementView.as_view(), name="announcement"),
    path("announcements/<uuid:pk>/decision.pdf", announcement_views.PublicAnnouncementPdfView.as_view(),
         name="announcement_pdf"),
    path("<str:code>/", views.PublicAgencyView.as_view(), name="agency"),
    path("<str:code>/processes/<uuid:pk>/", views.PublicProcessView.as_view(), name="process"),
    path("<str:code>/processes/<uuid:pk>/forms/<uuid:form_pk>/", views.PublicFormView.as_view(), name="form"),
]
