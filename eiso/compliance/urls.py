from django.urls import path

from eiso.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("province/", views.OverviewView.as_view(), name="overview"),
    path("<int:year>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("<int:year>/evidence.xlsx", views.EvidenceXlsxView.as_view(), name="evidence_xlsx"),
    path("<int:year>/start/", views.YearStartView.as_view(), name="year_start"),
    path("items/<uuid:pk>/due/", views.ItemMoveView.as_view(), name="item_move"),
    path("items/<uuid:pk>/done/", views.ItemDoneView.as_view(), name="item_done"),
]
