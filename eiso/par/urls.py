from django.urls import path

from eiso.par import views

app_name = "par"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("province/", views.ProvinceView.as_view(), name="province"),
    path("province.xlsx", views.ProvinceXlsxView.as_view(), name="province_xlsx"),
    path("agency/", views.AgencyView.as_view(), name="agency"),
    path("agency/evidence.zip", views.EvidenceZipView.as_view(), name="evidence_zip"),
    path("criteria/", views.CriterionListView.as_view(), name="criterion_list"),
    path("criteria/add/", views.CriterionEditView.as_view(), name="criterion_add"),
    path("criteria/copy/", views.CriteriaCopyView.as_view(), name="criteria_copy"),
    path("criteria/<uuid:pk>/edit/", views.CriterionEditView.as_view(), name="criterion_edit"),
    path("criteria/<uuid:pk>/delete/", views.CriterionDeleteView.as_view(), name="criterion_delete"),
]
