from django.urls import path

from eiso.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_add"),
    path("plans/<uuid:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<uuid:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<uuid:pk>/approve/", views.PlanApproveView.as_view(), name="plan_approve"),
    path("plans/<uuid:pk>/add-all/", views.PlanAddAllView.as_view(), name="plan_add_all"),
    path("plans/<uuid:pk>/lines/", views.PlanLineAddView.as_view(), name="line_add"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("summary.xlsx", views.SummaryXlsxView.as_view(), name="summary_xlsx"),
    path("summary.docx", views.SummaryDocxView.as_view(), name="summary_docx"),
    path("<uuid:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<uuid:pk>/planning/", views.InspectionPlanningView.as_view(), name="inspection_planning"),
    path("<uuid:pk>/remove/", views.PlanLineRemoveView.as_view(), name="line_remove"),
    path("<uuid:pk>/decision/", views.InspectionDecideView.as_view(), name="inspection_decide"),
    path("<uuid:pk>/decision.docx", views.DecisionDocxView.as_view(), name="decision_docx"),
    path("<uuid:pk>/checklist/prepare/", views.ChecklistPrepareView.as_view(), name="checklist_prepare"),
    path("<uuid:pk>/checklist/", views.ChecklistSaveView.as_view(), name="checklist_save"),
    path("<uuid:pk>/findings/", views.FindingAddView.as_view(), name="finding_add"),
    path("<uuid:pk>/minutes/", views.MinutesSignView.as_view(), name="minutes_sign"),
    path("<uuid:pk>/minutes.docx", views.MinutesDocxView.as_view(), name="minutes_docx"),
    path("<uuid:pk>/report/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("<uuid:pk>/report/return/", views.ReportReturnView.as_view(), name="report_return"),
    path("<uuid:pk>/close/", views.InspectionCloseView.as_view(), name="inspection_close"),
    path("findings/<uuid:pk>/remove/", views.FindingRemoveView.as_view(), name="finding_remove"),
    path("findings/<uuid:pk>/action/", views.FindingCorrectiveView.as_view(), name="finding_action"),
    path("findings/<uuid:pk>/review/", views.FindingReviewView.as_view(), name="finding_review"),
]
