from django.urls import path

from eiso.organizations import merger_views, views

app_name = "organizations"

urlpatterns = [
    path("admin-units/", views.AdminUnitListView.as_view(), name="adminunit_list"),
    path("admin-units/<int:pk>/", views.AdminUnitDetailView.as_view(), name="adminunit_detail"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/add/", views.AgencyEditView.as_view(), name="agency_add"),
    path("agencies/<uuid:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("agencies/<uuid:pk>/edit/", views.AgencyEditView.as_view(), name="agency_edit"),
    path("org-units/", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("org-units/add/", views.OrgUnitEditView.as_view(), name="orgunit_add"),
    path("org-units/<uuid:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path("org-units/<uuid:pk>/edit/", views.OrgUnitEditView.as_view(), name="orgunit_edit"),
    path("org-units/<uuid:pk>/delete/", views.OrgUnitDeleteView.as_view(), name="orgunit_delete"),
    path("mergers/", merger_views.MergerListView.as_view(), name="merger_list"),
    path("mergers/add/", merger_views.MergerRecordView.as_view(), name="merger_add"),
    path("predecessors/", merger_views.PredecessorsView.as_view(), name="predecessors"),
    path("predecessors/<uuid:pk>/start/", merger_views.StartFromPredecessorView.as_view(),
         name="predecessor_start"),
]
