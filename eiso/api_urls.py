"""/api/v1/: one router for every app's viewsets, plus the schema and its docs."""

from importlib import import_module

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from eiso.accounts.api.views import ApiTokenViewSet
from eiso.calendars.api import urls as calendar_urls
from eiso.catalog.api import views as catalog
from eiso.core.api.views import AuditLogViewSet
from eiso.dossiers.api.statistics import DossierStatisticsView
from eiso.dossiers.api.views import DossierViewSet
from eiso.legal.api import views as legal
from eiso.organizations.api import views as org
from eiso.processes.api.views import DocumentViewSet, ProcessViewSet

router = DefaultRouter()
router.register("admin-units", org.AdminUnitViewSet, basename="adminunit")
router.register("agencies", org.AgencyViewSet, basename="agency")
router.register("qms", org.QMSViewSet, basename="qms")
router.register("org-units", org.OrgUnitViewSet, basename="orgunit")
router.register("users", org.UserViewSet, basename="user")
router.register("role-assignments", org.RoleAssignmentViewSet, basename="roleassignment")
router.register("tokens", ApiTokenViewSet, basename="apitoken")
router.register("audit-log", AuditLogViewSet, basename="auditlog")
router.register("processes", ProcessViewSet, basename="process")
router.register("procedures", catalog.ProcedureViewSet, basename="procedure")
router.register("procedure-cases", catalog.ProcedureCaseViewSet, basename="procedurecase")
router.register("fields", catalog.FieldViewSet, basename="field")
router.register("catalog-imports", catalog.ImportRunViewSet, basename="importrun")
router.register("documents", DocumentViewSet, basename="document")
router.register("legal-documents", legal.LegalDocumentViewSet, basename="legaldocument")
router.register("update-tasks", legal.UpdateTaskViewSet, basename="updatetask")
router.register("dossiers", DossierViewSet, basename="dossier")

# The apps of the QMS year and of oversight declare their routes in <app>.api.routes (ROUTES, urlpatterns).
APP_ROUTES = [import_module(f"eiso.{app}.api.routes")
              for app in ("improvement", "objectives", "risks", "audits", "reviews", "compliance", "oversight",
                          "announcements", "reporting", "inspections", "trainings", "par")]
for routes in APP_ROUTES:
    for prefix, viewset, basename in routes.ROUTES:
        router.register(prefix, viewset, basename=basename)

# drf-spectacular's Swagger UI and Redoc pages start their bundles with a small inline <script>, and Redoc runs a
# web worker from a blob: URL: only these two pages allow that (the rest of eISO keeps script-src 'self').
API_DOCS_CSP = csp_update({"script-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("dossier-statistics/", DossierStatisticsView.as_view(), name="dossier-statistics"),
    *[pattern for routes in APP_ROUTES for pattern in routes.urlpatterns],
    path("", include(router.urls)),
    path("calendar/", include(calendar_urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", API_DOCS_CSP(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("redoc/", API_DOCS_CSP(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]
