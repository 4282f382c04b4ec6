from django.urls import path

from eiso.processes import views

app_name = "processes"

urlpatterns = [
    path("", views.ProcessListView.as_view(), name="process_list"),
    path("bootstrap/", views.BootstrapView.as_view(), name="bootstrap"),
    path("<uuid:pk>/", views.ProcessDetailView.as_view(), name="process_detail"),
    path("<uuid:pk>/edit/", views.ProcessEditView.as_view(), name="process_edit"),
    path("<uuid:pk>/steps/", views.ProcessStepsView.as_view(), name="process_steps"),
    path("<uuid:pk>/forms/", views.ProcessFormUploadView.as_view(), name="process_form_upload"),
    path("<uuid:pk>/transition/", views.ProcessTransitionView.as_view(), name="process_transition"),
    path("<uuid:pk>/export.docx", views.ProcessDocxView.as_view(), name="process_docx"),
    path("<uuid:pk>/export.pdf", views.ProcessPdfView.as_view(), name="process_pdf"),
    path("<uuid:pk>/flowchart.svg", views.ProcessFlowchartView.as_view(), name="process_flowchart"),
]
