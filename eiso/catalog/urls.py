from django.urls import path

from eiso.catalog import views

app_name = "catalog"

urlpatterns = [
    path("procedures/", views.ProcedureListView.as_view(), name="procedure_list"),
    path("procedures/<int:pk>/", views.ProcedureDetailView.as_view(), name="procedure_detail"),
    path("imports/", views.ImportRunListView.as_view(), name="import_list"),
    path("imports/new/", views.ImportRunCreateView.as_view(), name="import_add"),
    path("imports/<int:pk>/", views.ImportRunDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/progress/", views.ImportRunProgressView.as_view(), name="import_progress"),
]
