from django.urls import include, path

from eiso.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.DossierListView.as_view(), name="dossier_list"),
    path("statistics/", include("eiso.dossiers.statistics_urls")),
]
