"""The reviews app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.reviews.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("management-reviews", views.ManagementReviewViewSet, "managementreview"),
    ("review-actions", views.ReviewActionViewSet, "reviewaction"),
]
urlpatterns: list = []
