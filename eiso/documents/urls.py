from django.urls import path

from eiso.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("to-read/", views.ToReadView.as_view(), name="to_read"),
    path("to-read/<uuid:pk>/acknowledge/", views.RevisionAcknowledgeView.as_view(), name="acknowledge"),
    path("review-due/", views.ReviewDueView.as_view(), name="review_due"),
    path("attachments/<uuid:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("attachments/<uuid:pk>/remove/", views.AttachmentRemoveView.as_view(), name="attachment_remove"),
    path("<uuid:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<uuid:pk>/attachments/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path("<uuid:pk>/transition/", views.DocumentTransitionView.as_view(), name="document_transition"),
    path("<uuid:pk>/distribute/", views.DocumentDistributeView.as_view(), name="distribute"),
    path("<uuid:pk>/revision-summary/", views.RevisionSummaryView.as_view(), name="revision_summary"),
    path("<uuid:pk>/review/", views.DocumentReviewConfirmView.as_view(), name="review_confirm"),
]
