"""Full-text, accent-insensitive search of controlled documents: their codes and titles, and the content
of their revisions.

Text is folded once, in Python (`core.text.fold`: lower case, no Vietnamese diacritics), into
`Revision.search_text`, so "quy trinh tiep nhan" finds "Quy trình tiếp nhận" on every database. On
PostgreSQL the revisions are matched with full-text search over a GIN index of
`to_tsvector('simple', search_text)` (every word must occur); on SQLite, where the data of one agency is
small, every word must be contained in the text.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

from eiso.core.text import fold

INDEX_NAME = "revision_search_text_fts"  # created by migration documents 0005 (PostgreSQL only)


class TextMatches(Func):
    """`to_tsvector('simple', <text>) @@ plainto_tsquery('simple', <words>)`: the very expression of the
    GIN index, so PostgreSQL answers from the index."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    arg_joiner = ") @@ plainto_tsquery('simple'::regconfig, "
    output_field = BooleanField()


def content_text(value) -> str:
    """Every string inside a revision's structured content (sections, steps, tables), one per line."""
    parts: list[str] = []

    def walk(item):
        if isinstance(item, str):
            if item.strip():
                parts.append(item)
        elif isinstance(item, dict):  # keys sorted: PostgreSQL's jsonb does not keep their order
            for key in sorted(item):
                walk(item[key])
        elif isinstance(item, (list, tuple)):
            for nested in item:
                walk(nested)

    walk(value)
    return "\n".join(parts)


def revision_search_text(*, content, change_summary: str = "", change_location: str = "") -> str:
    return fold(f"{content_text(content)} {change_summary} {change_location}")


def revisions_matching(queryset, text: str):
    """Revisions whose folded text holds every word of `text`."""
    words = fold(text).split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(TextMatches(F("search_text"), Value(" ".join(words))))
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)


def documents_matching(queryset, text: str):
    """Documents whose code and title hold the phrase, or one of whose revisions holds every word. The
    two sets are united before the documents are filtered, so each side uses its own access path (the
    full-text index for the revisions); an OR of the two conditions would test every document."""
    key = fold(text)
    if not key:
        return queryset
    from eiso.documents.models import Document, Revision

    by_title = Document.objects.order_by().filter(search_text__contains=key).values("pk")
    by_content = revisions_matching(Revision.objects.order_by(), text).values("document_id")
    return queryset.filter(pk__in=by_title.union(by_content))
