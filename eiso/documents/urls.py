from django.urls import path

from eiso.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("<uuid:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<uuid:pk>/transition/", views.DocumentTransitionView.as_view(), name="document_transition"),
]
