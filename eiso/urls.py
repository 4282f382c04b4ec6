from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from eiso.core import health

urlpatterns = [
    path("health/live/", health.live, name="health-live"),
    path("health/ready/", health.ready, name="health-ready"),
    path("", include("eiso.core.urls")),
    path("accounts/", include("eiso.accounts.urls")),
    path("organizations/", include("eiso.organizations.urls")),
    path("calendar/", include("eiso.calendars.urls")),
    path("catalog/", include("eiso.catalog.urls")),
    path("processes/", include("eiso.processes.urls")),
    path("documents/", include("eiso.documents.urls")),
    path("legal/", include("eiso.legal.urls")),
    path("dossiers/", include("eiso.dossiers.urls")),
    path("improvement/", include("eiso.improvement.urls")),
    path("objectives/", include("eiso.objectives.urls")),
    path("risks/", include("eiso.risks.urls")),
    path("audits/", include("eiso.audits.urls")),
    path("reviews/", include("eiso.reviews.urls")),
    path("compliance/", include("eiso.compliance.urls")),
    path("oversight/", include("eiso.oversight.urls")),
    path("announcements/", include("eiso.announcements.urls")),
    path("reporting/", include("eiso.reporting.urls")),
    path("inspections/", include("eiso.inspections.urls")),
    path("trainings/", include("eiso.trainings.urls")),
    path("par/", include("eiso.par.urls")),
    path("public/", include("eiso.portal.urls")),
    path("api/v1/", include("eiso.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.EISO_OIDC_ENABLED:  # optional single sign-on (eiso.accounts.oidc)
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler404 = "eiso.core.api.errors.page_not_found"
