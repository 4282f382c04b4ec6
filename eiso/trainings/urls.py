from django.urls import path

from eiso.trainings import views, views_consultants

app_name = "trainings"

urlpatterns = [
    path("", views.TrainingListView.as_view(), name="training_list"),
    path("new/", views.TrainingCreateView.as_view(), name="training_add"),
    path("<uuid:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("<uuid:pk>/edit/", views.TrainingEditView.as_view(), name="training_edit"),
    path("<uuid:pk>/delete/", views.TrainingDeleteView.as_view(), name="training_delete"),
    path("<uuid:pk>/participants/", views.ParticipantAddView.as_view(), name="participant_add"),
    path("<uuid:pk>/participants/import/", views.ParticipantImportView.as_view(), name="participant_import"),
    path("<uuid:pk>/certificates/", views.CertificatesIssueView.as_view(), name="certificates_issue"),
    path("<uuid:pk>/certificates.docx", views.TrainingCertificatesView.as_view(), name="training_certificates"),
    path("participants/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("participants/<uuid:pk>/edit/", views.ParticipantEditView.as_view(), name="participant_edit"),
    path("participants/<uuid:pk>/delete/", views.ParticipantDeleteView.as_view(), name="participant_delete"),
    path("participants/<uuid:pk>/certificate.docx", views.ParticipantCertificateView.as_view(),
         name="participant_certificate"),
    path("totals/", views.TotalsView.as_view(), name="totals"),
    path("totals.xlsx", views.TotalsXlsxView.as_view(), name="totals_xlsx"),
    path("ours/", views.AgencyTrainingsView.as_view(), name="agency_trainings"),
    path("consultants/", views_consultants.ConsultantListView.as_view(), name="consultant_list"),
    path("consultants/new/", views_consultants.ConsultantCreateView.as_view(), name="consultant_add"),
    path("consultants/ours/", views_consultants.AgencyConsultantsView.as_view(), name="agency_consultants"),
    path("consultants/<uuid:pk>/", views_consultants.ConsultantDetailView.as_view(), name="consultant_detail"),
    path("consultants/<uuid:pk>/edit/", views_consultants.ConsultantEditView.as_view(), name="consultant_edit"),
    path("consultants/<uuid:pk>/engagements/", views_consultants.EngagementAddView.as_view(), name="engagement_add"),
    path("engagements/<uuid:pk>/edit/", views_consultants.EngagementEditView.as_view(), name="engagement_edit"),
    path("engagements/<uuid:pk>/delete/", views_consultants.EngagementDeleteView.as_view(),
         name="engagement_delete"),
    path("engagements/<uuid:pk>/issues/", views_consultants.IssueReportView.as_view(), name="issue_report"),
    path("issues/<uuid:pk>/resolve/", views_consultants.IssueResolveView.as_view(), name="issue_resolve"),
]
