from django.urls import path

from eiso.announcements import views

app_name = "announcements"

urlpatterns = [
    path("", views.AnnouncementListView.as_view(), name="announcement_list"),
    path("new/", views.AnnouncementCreateView.as_view(), name="announcement_add"),
    path("received/", views.ReceivedListView.as_view(), name="received"),
    path("<uuid:pk>/", views.AnnouncementDetailView.as_view(), name="announcement_detail"),
    path("<uuid:pk>/edit/", views.AnnouncementEditView.as_view(), name="announcement_edit"),
    path("<uuid:pk>/delete/", views.AnnouncementDeleteView.as_view(), name="announcement_delete"),
    path("<uuid:pk>/sign/", views.AnnouncementSignView.as_view(), name="announcement_sign"),
    path("<uuid:pk>/posting/", views.AnnouncementPostingView.as_view(), name="announcement_posting"),
    path("<uuid:pk>/acknowledge/", views.AnnouncementAcknowledgeView.as_view(), name="announcement_acknowledge"),
    path("<uuid:pk>/decision.docx", views.DecisionDocxView.as_view(), name="decision_docx"),
    path("<uuid:pk>/decision.pdf", views.DecisionPdfView.as_view(), name="decision_pdf"),
]
