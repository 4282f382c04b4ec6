from django.urls import path

from eiso.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.PublicIndexView.as_view(), name="index"),
    path("<str:code>/", views.PublicAgencyView.as_view(), name="agency"),
    path("<str:code>/processes/<uuid:pk>/", views.PublicProcessView.as_view(), name="process"),
    path("<str:code>/processes/<uuid:pk>/forms/<uuid:form_pk>/", views.PublicFormView.as_view(), name="form"),
]
