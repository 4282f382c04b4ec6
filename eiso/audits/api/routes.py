"""The audits app's part of /api/v1/: `ROUTES` are registered on the one router of eiso.api_urls,
`urlpatterns` are included beside it."""

from eiso.audits.api import views

ROUTES: list = [  # (prefix, viewset, basename)
    ("audit-programmes", views.AuditProgrammeViewSet, "auditprogramme"),
    ("internal-audits", views.InternalAuditViewSet, "internalaudit"),
    ("audit-checklist-items", views.ChecklistItemViewSet, "auditchecklistitem"),
    ("audit-findings", views.AuditFindingViewSet, "auditfinding"),
]
urlpatterns: list = []
