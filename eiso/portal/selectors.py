"""What the public may see: only published data, read through these selectors (no login, no restrict())."""

from django.db.models import Q

from eiso.core.text import fold
from eiso.documents.choices import RevisionStatus
from eiso.organizations.models import Agency
from eiso.processes.models import Process


def public_processes(*, agency: Agency, q: str = "", field: str = "", level: str = ""):
    """Processes of the agency whose current revision is published, with the frozen snapshot."""
    queryset = (
        Process.objects.filter(agency=agency, document__current_revision__status=RevisionStatus.PUBLISHED)
        .select_related("document__current_revision")
        .prefetch_related("procedures__field")
        .order_by("code")
    )
    key = fold(q)
    if key:
        queryset = queryset.filter(Q(search_text__contains=key) | Q(procedures__search_text__contains=key))
    if field:
        queryset = queryset.filter(procedures__field__pk=field)
    if level in {"commune", "province", "ministry", "vertical", "other"}:
        queryset = queryset.filter(**{f"procedures__is_{level}_level": True})
    return queryset.distinct()


def public_process(*, agency: Agency, pk):
    return public_processes(agency=agency).filter(pk=pk).first()


def public_agencies(*, q: str = ""):
    queryset = Agency.objects.filter(
        pk__in=Process.objects.filter(document__current_revision__status=RevisionStatus.PUBLISHED).values("agency")
    )
    key = fold(q)
    return (queryset.filter(search_text__contains=key) if key else queryset).select_related("province").order_by("name")
