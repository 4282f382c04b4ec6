from django.urls import include, path

from eiso.dossiers import pdf_views, views

app_name = "dossiers"

urlpatterns = [
    path("", views.DossierListView.as_view(), name="dossier_list"),
    path("receive/", views.DossierReceiveView.as_view(), name="dossier_receive"),
    path("receive/options/", views.DossierReceiveOptionsView.as_view(), name="dossier_receive_options"),
    path("statistics/", include("eiso.dossiers.statistics_urls")),
    path("<uuid:pk>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path("<uuid:pk>/<slug:kind>.pdf", pdf_views.DossierPdfView.as_view(), name="dossier_pdf"),
    path("<uuid:pk>/hand-over/", views.DossierHandOverView.as_view(), name="dossier_hand_over"),
    path("<uuid:pk>/pause/", views.DossierPauseView.as_view(), name="dossier_pause"),
    path("<uuid:pk>/resume/", views.DossierResumeView.as_view(), name="dossier_resume"),
    path("<uuid:pk>/consult/", views.DossierConsultView.as_view(), name="dossier_consult"),
    path("<uuid:pk>/apologise/", views.DossierApologiseView.as_view(), name="dossier_apologise"),
    path("<uuid:pk>/notify/", views.DossierNotifyView.as_view(), name="dossier_notify"),
    path("<uuid:pk>/return/", views.DossierReturnView.as_view(), name="dossier_return"),
    path("<uuid:pk>/end/", views.DossierEndView.as_view(), name="dossier_end"),
]
