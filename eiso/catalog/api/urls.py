"""The catalogue's API routes, registered on the project router (eiso/api_urls.py)."""

from eiso.catalog.api import views

ROUTES = [
    ("procedures", views.ProcedureViewSet, "procedure"),
    ("procedure-cases", views.ProcedureCaseViewSet, "procedurecase"),
    ("fields", views.FieldViewSet, "field"),
    ("catalog-imports", views.ImportRunViewSet, "importrun"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
