"""Printable dossier documents (placeholder, being written)."""

from django.views import View


class DossierPdfView(View):
    pass
