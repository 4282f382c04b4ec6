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


def update_tasks_year_state(*, agency, year: int, today) -> dict:
    """The 3-month rule for one agency's year (the compliance calendar): {"overdue": open tasks past their
    deadline (due in the year or carried over from before), "first_overdue_on", "open": open tasks due later in
    the year, "next_due_on", "last_closed_on": when the last task due in the year was closed or dismissed}."""
    import datetime as dt

    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from eiso.legal.choices import UpdateTaskStatus

    year_end = dt.date(year, 12, 31)
    tasks = UpdateTask.objects.filter(agency=agency)
    open_tasks = tasks.filter(status=UpdateTaskStatus.OPEN, due_on__lte=year_end)
    late = open_tasks.filter(due_on__lt=today).aggregate(n=Count("pk"), first=Min("due_on"))
    from_day = max(today, dt.date(year, 1, 1))
    coming = open_tasks.filter(due_on__gte=from_day).aggregate(n=Count("pk"), first=Min("due_on"))
    closed = tasks.filter(due_on__year=year).exclude(status=UpdateTaskStatus.OPEN).aggregate(last=Max("closed_at"))
    return {
        "overdue": late["n"], "first_overdue_on": late["first"], "open": coming["n"], "next_due_on": coming["first"],
        "last_closed_on": timezone.localdate(closed["last"]) if closed["last"] else None,
    }


def overdue_update_tasks_by_agency(agency_ids, *, today) -> dict:
    """The 3-month rule for many agencies in one query: {agency_id: open update tasks past their deadline on
    `today`} (the "overdue" of `update_tasks_year_state` for today's year); agencies without any are absent."""
    from django.db.models import Count

    from eiso.legal.choices import UpdateTaskStatus

    rows = (UpdateTask.objects.filter(agency_id__in=list(agency_ids), status=UpdateTaskStatus.OPEN, due_on__lt=today)
            .order_by().values("agency_id").annotate(n=Count("pk")).values_list("agency_id", "n"))
    return dict(rows)
