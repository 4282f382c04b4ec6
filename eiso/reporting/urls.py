from django.urls import path

from eiso.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/new/", views.PeriodCreateView.as_view(), name="period_add"),
    path("periods/<uuid:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path("periods/<uuid:pk>/edit/", views.PeriodEditView.as_view(), name="period_edit"),
    path("periods/<uuid:pk>/close/", views.PeriodCloseView.as_view(), name="period_close"),
    path("periods/<uuid:pk>/province-report.docx", views.ProvinceReportDocxView.as_view(),
         name="province_report_docx"),
    path("periods/<uuid:pk>/province-report.xlsx", views.ProvinceReportXlsxView.as_view(),
         name="province_report_xlsx"),
    path("reports/<uuid:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<uuid:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("reports/<uuid:pk>/refresh/", views.ReportRefreshView.as_view(), name="report_refresh"),
    path("reports/<uuid:pk>/sign-off/", views.ReportSignOffView.as_view(), name="report_sign_off"),
    path("reports/<uuid:pk>/reopen/", views.ReportReopenView.as_view(), name="report_reopen"),
    path("reports/<uuid:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<uuid:pk>/accept/", views.ReportAcceptView.as_view(), name="report_accept"),
    path("reports/<uuid:pk>/return/", views.ReportReturnView.as_view(), name="report_return"),
    path("reports/<uuid:pk>/report.docx", views.ReportDocxView.as_view(), name="report_docx"),
]
