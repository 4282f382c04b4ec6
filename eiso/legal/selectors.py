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


def update_tasks_year_state_many(*, agency_ids, years, today) -> dict:
    """`update_tasks_year_state` for many agencies and years in three queries (the compliance lists, the PAR
    index): {(agency_id, year): state} for every pair asked, each state with "late_closed" too: the tasks due in
    the year that were closed (done or dismissed) after their deadline."""
    import datetime as dt

    from django.db.models import Count, F, Max
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from eiso.legal.choices import UpdateTaskStatus

    agency_ids, years = list(agency_ids), list(years)
    states = {(a, y): {"overdue": 0, "first_overdue_on": None, "open": 0, "next_due_on": None,
                       "last_closed_on": None, "late_closed": 0} for a in agency_ids for y in years}
    if not years:
        return states
    open_due = {}
    for agency_id, due_on in (UpdateTask.objects.filter(agency_id__in=agency_ids, status=UpdateTaskStatus.OPEN,
                                                        due_on__lte=dt.date(max(years), 12, 31))
                              .order_by().values_list("agency_id", "due_on")):
        open_due.setdefault(agency_id, []).append(due_on)
    for (agency_id, year), state in states.items():
        due = [d for d in open_due.get(agency_id, ()) if d <= dt.date(year, 12, 31)]
        late = [d for d in due if d < today]
        coming = [d for d in due if d >= max(today, dt.date(year, 1, 1))]
        state.update(overdue=len(late), first_overdue_on=min(late) if late else None, open=len(coming),
                     next_due_on=min(coming) if coming else None)
    for agency_id, year, last in (UpdateTask.objects.filter(agency_id__in=agency_ids, due_on__year__in=years)
                                  .exclude(status=UpdateTaskStatus.OPEN).order_by()
                                  .annotate(due_year=ExtractYear("due_on")).values("agency_id", "due_year")
                                  .annotate(last=Max("closed_at")).values_list("agency_id", "due_year", "last")):
        if last is not None and (agency_id, year) in states:
            states[(agency_id, year)]["last_closed_on"] = timezone.localdate(last)
    for agency_id, year, n in (UpdateTask.objects.filter(agency_id__in=agency_ids, due_on__year__in=years,
                                                         closed_at__isnull=False, closed_at__date__gt=F("due_on"))
                               .exclude(status=UpdateTaskStatus.OPEN).order_by()
                               .annotate(due_year=ExtractYear("due_on")).values("agency_id", "due_year")
                               .annotate(n=Count("pk")).values_list("agency_id", "due_year", "n")):
        if (agency_id, year) in states:
            states[(agency_id, year)]["late_closed"] = n
    return states


def overdue_update_tasks_by_agency(agency_ids, *, today) -> dict:
    """The 3-month rule for many agencies in one query: {agency_id: open update tasks past their deadline on
    `today`} (the "overdue" of `update_tasks_year_state` for today's year); agencies without any are absent."""
    from django.db.models import Count

    from eiso.legal.choices import UpdateTaskStatus

    rows = (UpdateTask.objects.filter(agency_id__in=list(agency_ids), status=UpdateTaskStatus.OPEN, due_on__lt=today)
            .order_by().values("agency_id").annotate(n=Count("pk")).values_list("agency_id", "n"))
    return dict(rows)
