from django.urls import path

from eiso.core import views
from eiso.core.views_audit import AuditLogListView

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("switch-agency/", views.SwitchAgencyView.as_view(), name="switch_agency"),
    path("audit-log/", AuditLogListView.as_view(), name="auditlog_list"),
]
