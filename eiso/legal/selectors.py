"""Reads of the legal register."""

from eiso.legal.models import LegalDocument, UpdateTask


def legal_document_context(document: LegalDocument, user) -> dict:
    """What the register page shows of a document: its relations both ways, the catalogue procedures
    resting on it, and the update tasks it started that the user may see."""
    return {
        "relations_out": document.relations_out.select_related("target"),
        "relations_in": document.relations_in.select_related("source"),
        "procedures": document.procedures.order_by("code")[:200],
        "procedure_count": document.procedures.count(),
        "tasks": UpdateTask.objects.restrict(user, "view").filter(legal_document=document)
        .select_related("document", "agency")[:200],
    }
