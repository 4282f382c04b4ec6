"""Test URLconf: the project's URLs, plus the catalogue's pages and API routes for as long as
eiso/urls.py and eiso/api_urls.py do not include them yet (then this adds nothing)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from eiso import api_urls
from eiso import urls as project_urls
from eiso.catalog.api.urls import ROUTES

urlpatterns = list(project_urls.urlpatterns)

if not any(getattr(pattern, "namespace", None) == "catalog" for pattern in urlpatterns):
    urlpatterns.insert(0, path("catalog/", include("eiso.catalog.urls")))

_registered = {prefix for prefix, *_ in api_urls.router.registry}
_missing = SimpleRouter()
for prefix, viewset, basename in ROUTES:
    if prefix not in _registered:
        _missing.register(prefix, viewset, basename=basename)
if _missing.registry:
    urlpatterns.insert(0, path("api/v1/", include(_missing.urls)))
