from django.urls import path

from eiso.audits import views

app_name = "audits"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_add"),
    path("programmes/<uuid:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<uuid:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("programmes/<uuid:pk>/entries/", views.EntryAddView.as_view(), name="entry_add"),
    path("programmes/<uuid:pk>/approve/", views.ProgrammeApproveView.as_view(), name="programme_approve"),
    path("programmes/<uuid:pk>/copy/", views.ProgrammeCopyView.as_view(), name="programme_copy"),
    path("programmes/<uuid:pk>/docx/", views.ProgrammeDocxView.as_view(), name="programme_docx"),
    path("programmes/<uuid:programme>/audits/new/", views.AuditCreateView.as_view(), name="audit_add"),
    path("entries/<uuid:pk>/delete/", views.EntryDeleteView.as_view(), name="entry_delete"),
    path("<uuid:pk>/", views.AuditDetailView.as_view(), name="audit_detail"),
    path("<uuid:pk>/edit/", views.AuditEditView.as_view(), name="audit_edit"),
    path("<uuid:pk>/team/", views.AuditTeamView.as_view(), name="audit_team"),
    path("<uuid:pk>/schedule/", views.ScheduleAddView.as_view(), name="schedule_add"),
    path("<uuid:pk>/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("<uuid:pk>/checklist/build/", views.ChecklistBuildView.as_view(), name="checklist_build"),
    path("<uuid:pk>/findings/", views.FindingAddView.as_view(), name="finding_add"),
    path("<uuid:pk>/transition/", views.AuditTransitionView.as_view(), name="audit_transition"),
    path("<uuid:pk>/plan.docx", views.AuditPlanDocxView.as_view(), name="audit_plan_docx"),
    path("<uuid:pk>/report.docx", views.AuditReportDocxView.as_view(), name="audit_report_docx"),
    path("schedule/<uuid:pk>/delete/", views.ScheduleDeleteView.as_view(), name="schedule_delete"),
    path("checklist/<uuid:pk>/record/", views.ChecklistRecordView.as_view(), name="checklist_record"),
    path("findings/<uuid:pk>/raise/", views.FindingRaiseView.as_view(), name="finding_raise"),
]
