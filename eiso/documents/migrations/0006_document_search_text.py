"""Documents carry the text of their latest and current revisions (eiso.documents.search) and, on
PostgreSQL, its stored full-text vector with a GIN index; and an index in the document list's order."""

import django.contrib.postgres.search
from django.db import migrations, models

import eiso.documents.search

INDEX = "document_search_vector_fts"


def fill(apps, schema_editor):
    """Existing documents get what Document.save() computes from now on."""
    from eiso.core.text import fold
    from eiso.documents.search import combined_text

    Document = apps.get_model("documents", "Document")
    Revision = apps.get_model("documents", "Revision")
    for document in Document.objects.only("pk", "code", "title", "current_revision_id").iterator():
        revisions = Revision.objects.filter(document_id=document.pk)
        latest = revisions.order_by("-number").values_list("pk", "search_text").first()
        parts = [fold(f"{document.code} {document.title}"), latest[1] if latest else ""]
        if document.current_revision_id and (latest is None or latest[0] != document.current_revision_id):
            parts.extend(revisions.filter(pk=document.current_revision_id).values_list("search_text", flat=True))
        Document.objects.filter(pk=document.pk).update(search_text=combined_text(*parts))


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # full-text index; SQLite searches by substring
        schema_editor.execute(f"CREATE INDEX {INDEX} ON documents_document USING gin (search_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0005_revision_search_text"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["agency", "kind", "code"], name="document_agency_kind_code"),
        ),
        migrations.AddField(
            model_name="document",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True, expression=eiso.documents.search.FoldedTextVector("search_text"),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True)),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
