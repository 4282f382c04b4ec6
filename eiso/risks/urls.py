from django.urls import path

from eiso.risks import views

app_name = "risks"

urlpatterns = [
    path("", views.RiskListView.as_view(), name="risk_list"),
    path("heatmap.svg", views.HeatmapSvgView.as_view(), name="heatmap"),
    path("new/", views.RiskCreateView.as_view(), name="risk_add"),
    path("matrix/", views.RiskMatrixView.as_view(), name="matrix"),
    path("<uuid:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("<uuid:pk>/edit/", views.RiskEditView.as_view(), name="risk_edit"),
    path("<uuid:pk>/transition/", views.RiskTransitionView.as_view(), name="risk_transition"),
    path("<uuid:pk>/review/", views.RiskReviewView.as_view(), name="risk_review"),
    path("<uuid:pk>/actions/", views.RiskActionAddView.as_view(), name="action_add"),
    path("actions/<uuid:pk>/done/", views.RiskActionDoneView.as_view(), name="action_done"),
    path("context/", views.ContextView.as_view(), name="context"),
    path("context/issues/new/", views.ContextIssueCreateView.as_view(), name="issue_add"),
    path("context/issues/<uuid:pk>/edit/", views.ContextIssueEditView.as_view(), name="issue_edit"),
    path("context/parties/new/", views.InterestedPartyCreateView.as_view(), name="party_add"),
    path("context/parties/<uuid:pk>/edit/", views.InterestedPartyEditView.as_view(), name="party_edit"),
]
