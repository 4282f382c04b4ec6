"""Full-text, accent-insensitive search of controlled documents: their codes and titles, and the content
of their revisions.

Text is folded once, in Python (`core.text.fold`: lower case, no Vietnamese diacritics), so
"quy trinh tiep nhan" finds "Quy trình tiếp nhận" on every database:

* `Revision.search_text`: the folded content, change summary and location of one revision;
* `Document.search_text`: the folded code and title, then the text of the document's latest revision and
  of its current (published) one when that is another. The document list searches this one row per
  document, so its first page needs only the first matches in list order, however common the words.
  `history=True` also searches every earlier revision (slower on common words: every match is collected).

On PostgreSQL both are matched with full-text search (every word must occur) over GIN indexes: of
`to_tsvector('simple', search_text)` for revisions, of the stored column `Document.search_vector` (the same
vector, computed by the database) for documents; on SQLite, where the data of one agency is small, every
word must be contained in the text.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

from eiso.core.text import fold

INDEX_NAME = "revision_search_text_fts"  # created by migration documents 0005 (PostgreSQL only)
DOCUMENT_INDEX_NAME = "document_search_vector_fts"  # migration documents 0006 (PostgreSQL only)


class FoldedTextVector(Func):
    """The stored full-text vector of a folded text: `to_tsvector('simple', text)` on PostgreSQL, NULL on
    SQLite (which searches the text itself). Stored, so that a search read in list order tests each row
    without parsing its text again."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


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


def combined_text(*parts: str) -> str:
    """A document's search text from its parts (code and title, then revision texts)."""
    return "\n".join(part for part in parts if part)


def document_search_text(document) -> str:
    """What `Document.search_text` holds (see the module's docstring)."""
    parts = [fold(f"{document.code} {document.title}")]
    if document.pk is not None and not document._state.adding:
        from eiso.documents.models import Revision

        revisions = Revision.objects.filter(document_id=document.pk)
        latest = revisions.order_by("-number").values_list("pk", "search_text").first()
        if latest is not None:
            parts.append(latest[1])
        if document.current_revision_id and (latest is None or latest[0] != document.current_revision_id):
            parts.extend(revisions.filter(pk=document.current_revision_id).values_list("search_text", flat=True))
    return combined_text(*parts)


def document_search_refresh(document_id) -> None:
    """Recompute a document's search text after one of its revisions changed."""
    from eiso.documents.models import Document

    document = Document.objects.only("pk", "code", "title", "current_revision_id").filter(pk=document_id).first()
    if document is not None:
        Document.objects.filter(pk=document_id).update(search_text=document_search_text(document))


def _text_matches(queryset, text: str):
    """Rows of `queryset` whose folded `search_text` holds every word of `text`."""
    words = fold(text).split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(TextMatches(F("search_text"), Value(" ".join(words))))
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)


def revisions_matching(queryset, text: str):
    """Revisions whose folded text holds every word of `text`."""
    return _text_matches(queryset, text)


def _documents_text_matches(queryset, text: str):
    """Documents whose search text holds every word: on PostgreSQL through the stored, GIN-indexed vector."""
    words = fold(text).split()
    if words and connection.vendor == "postgresql":
        return queryset.filter(search_vector=SearchQuery(" ".join(words), config="simple", search_type="plain"))
    return _text_matches(queryset, text)


def documents_matching(queryset, text: str, *, history: bool = False):
    """Documents whose code, title or latest/current revision hold every word of `text`; with `history`,
    also those one of whose earlier revisions does (the two sets are united before the documents are
    filtered, so each side uses its own full-text index)."""
    if not fold(text).split():
        return queryset
    if not history:
        return _documents_text_matches(queryset, text)
    from eiso.documents.models import Document, Revision

    by_document = _documents_text_matches(Document.objects.order_by(), text).values("pk")
    by_revision = revisions_matching(Revision.objects.order_by(), text).values("document_id")
    return queryset.filter(pk__in=by_document.union(by_revision))
