"""Demo dossiers for the demo commune: six months of dossiers "exported by the provincial one-stop system" and
imported (so that statistics and the dashboard have figures), and a few dossiers received at the desk in the
last days, in progress. Deterministic; runs once per agency (nothing is added when it already has dossiers)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from eiso.calendars.services import add_working_time, working_calendar
from eiso.dossiers.clock import clock_start, due_moment
from eiso.dossiers.importer import dossiers_import
from eiso.dossiers.models import Dossier
from eiso.dossiers.services import dossier_receive, dossier_step_complete

IMPORTED = 400
MONTHS = 6
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
         "Đặng Văn Hải", "Bùi Thị Hoa", "Đỗ Văn Khánh", "Ngô Thị Lan", "Lý Văn Minh", "Giàng Thị Mỷ"]


def _procedures(limit: int = 6) -> list:
    """Commune-level procedures of the catalogue with one case whose time is counted in working days."""
    from eiso.catalog.models import ProcedureCase

    cases = (ProcedureCase.objects.filter(procedure__is_commune_level=True, duration_unit="working_day",
                                          duration__gte=1, duration__lte=15)
             .select_related("procedure").order_by("procedure__code", "code"))
    chosen, seen = [], set()
    for case in cases:
        if case.procedure.code not in seen:
            seen.add(case.procedure.code)
            chosen.append(case)
        if len(chosen) == limit:
            break
    return chosen


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 30)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))


def _text(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _rows(agency, cases: list, *, today: dt.date, rng: random.Random):
    """The one-stop system's export: received over the last months, most resolved on time, some late."""
    start, calendar = today - dt.timedelta(days=30 * MONTHS), working_calendar()
    days = [day for day in (start + dt.timedelta(days=n) for n in range((today - start).days))
            if calendar.is_working_day(day)]
    now = timezone.now()
    for n in range(IMPORTED):
        case = cases[n % len(cases)]
        received = _moment(rng, days[rng.randrange(len(days))])
        counted = clock_start(agency=agency, moment=received)
        due = due_moment(agency=agency, start=counted, amount=case.duration, unit=case.duration_unit)
        row = {"code": f"{agency.code}-MC-{n + 1:05d}", "procedure_code": case.procedure.code, "case_code": case.code,
               "applicant_name": NAMES[n % len(NAMES)], "applicant_phone": f"09{rng.randrange(10**8):08d}",
               "channel": ("direct", "online", "postal")[n % 3], "received": _text(received), "due": _text(due)}
        late = rng.random() < 0.07
        share = Decimal(rng.choice((0.3, 0.6, 0.9)))
        finished = add_working_time(start=counted, days=Decimal(case.duration) * share, agency=agency.pk)
        if late:
            finished = add_working_time(start=due, days=rng.randrange(1, 4), agency=agency.pk)
        if finished >= now:
            row["status"] = "in_progress"
        else:
            row.update(finished=_text(finished), status="returned",
                       returned=_text(finished + dt.timedelta(hours=rng.randrange(1, 30))))
            if rng.random() < 0.03:
                row["status"] = "withdrawn"
                row.pop("returned")
        yield row


def demo_dossiers_load(agency, *, staff, second_officer=None) -> int:
    """The demo agency's dossiers (see the module); returns how many were added."""
    if Dossier.objects.filter(agency=agency).exists():
        return 0
    cases = _procedures()
    if not cases:
        return 0
    rng, calendar = random.Random(2026), working_calendar()
    today = timezone.localdate()
    report = dossiers_import(agency=agency, rows=list(_rows(agency, cases, today=today, rng=rng)),
                             source="demo-mot-cua.csv")
    received = 0
    for n, case in enumerate(cases[:3]):
        day = today - dt.timedelta(days=n + 1)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        dossier = dossier_receive(actor=staff, agency=agency, procedure=case.procedure, case=case,
                                  applicant={"name": NAMES[-1 - n], "phone": f"091234{n:04d}",
                                             "address": "Phường Cam Đường, tỉnh Lào Cai"},
                                  submitted_at=_moment(rng, day).replace(hour=9, minute=0))
        received += 1
        if n == 0 and second_officer is not None:
            step = dossier.steps.get(order=1)
            dossier_step_complete(actor=staff, step=step, assignee=second_officer)
    return report.created + received
