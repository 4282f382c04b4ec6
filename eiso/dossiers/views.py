"""Pages of the one-stop desk (placeholder, being written)."""

from eiso.core.views import ObjectListView
from eiso.dossiers.models import Dossier


class DossierListView(ObjectListView):
    model = Dossier
