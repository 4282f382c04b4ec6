from django.urls import path

from eiso.legal import views

app_name = "legal"

urlpatterns = [
    path("", views.LegalDocumentListView.as_view(), name="legaldocument_list"),
    path("new/", views.LegalDocumentCreateView.as_view(), name="legaldocument_add"),
    path("<int:pk>/", views.LegalDocumentDetailView.as_view(), name="legaldocument_detail"),
    path("documents/<uuid:pk>/bases/", views.DocumentLegalBasisView.as_view(), name="document_bases"),
    path("update-tasks/", views.UpdateTaskListView.as_view(), name="updatetask_list"),
    path("update-tasks/<uuid:pk>/", views.UpdateTaskDetailView.as_view(), name="updatetask_detail"),
    path("update-tasks/<uuid:pk>/dismiss/", views.UpdateTaskDismissView.as_view(), name="updatetask_dismiss"),
]
