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


def legal_bases_for(document) -> list[dict]:
    """The legal bases of a QMS document: linked to it directly, and those of the catalogue procedures
    its process implements. [{legal_document, direct: bool, procedures: [codes]}], by number."""
    rows: dict = {}
    for legal in LegalDocument.objects.filter(documents=document):
        rows[legal.pk] = {"legal_document": legal, "direct": True, "procedures": []}
    from django.core.exceptions import ObjectDoesNotExist

    try:
        process = document.process
    except ObjectDoesNotExist:
        process = None
    if process is not None:
        through = LegalDocument.procedures.through.objects.filter(procedure__processes=process)
        for link in through.select_related("legaldocument", "procedure"):
            row = rows.setdefault(link.legaldocument_id, {"legal_document": link.legaldocument, "direct": False,
                                                          "procedures": []})
            row["procedures"].append(link.procedure.code)
    return sorted(rows.values(), key=lambda r: r["legal_document"].number)
