from django.urls import path

from eiso.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("new/", views.ReviewCreateView.as_view(), name="review_add"),
    path("<uuid:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("<uuid:pk>/edit/", views.ReviewEditView.as_view(), name="review_edit"),
    path("<uuid:pk>/assemble/", views.ReviewAssembleView.as_view(), name="review_assemble"),
    path("<uuid:pk>/hold/", views.ReviewHoldView.as_view(), name="review_hold"),
    path("<uuid:pk>/close/", views.ReviewCloseView.as_view(), name="review_close"),
    path("<uuid:pk>/confirm/", views.ReviewConfirmView.as_view(), name="review_confirm"),
    path("<uuid:pk>/actions/", views.ReviewActionAddView.as_view(), name="action_add"),
    path("<uuid:pk>/minutes.docx", views.ReviewMinutesView.as_view(), name="review_minutes"),
    path("inputs/<uuid:pk>/comment/", views.ReviewInputCommentView.as_view(), name="input_comment"),
    path("actions/<uuid:pk>/done/", views.ReviewActionDoneView.as_view(), name="action_done"),
]
