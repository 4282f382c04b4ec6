from django.urls import path

from eiso.dossiers import statistics_views as views

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("export/", views.StatisticsExportView.as_view(), name="statistics_export"),
]
