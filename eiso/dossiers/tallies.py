"""Statistics kept up to date, not scanned: every change of a dossier adds its difference to the
`DossierTally` rows of its agency, procedure and month, in the same transaction.

What a dossier contributes: `received` in the month of its receipt; in the month its processing ended,
one of early / on_time / late (resolved: result ready, returned or refused) with the working hours used
and allowed, or `cancelled` (stopped or withdrawn); a rating in the month it was given. Changing a dossier
(a status, an imported correction) subtracts what it contributed before and adds what it contributes now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from eiso.dossiers.choices import CANCELLED, FINISHED, NOT_RECEIVED

COUNTERS = ("received", "early", "on_time", "late", "cancelled", "used_hours", "allowed_hours", "ratings",
            "satisfied")


def _month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def contribution(dossier, *, hours_used=None) -> dict:
    """{(procedure_id, month): {counter: amount}} of one dossier as it is now. `hours_used(dossier)`:
    the working hours it took (default `used_hours`, which reads its stops; the importer passes its own,
    with the stops and the calendar already in hand)."""
    hours_used = hours_used or used_hours
    from eiso.dossiers.clock import allowed_hours

    rows: dict = defaultdict(lambda: defaultdict(Decimal))
    if dossier.status in NOT_RECEIVED or dossier.received_at is None:
        return {}
    rows[(dossier.procedure_id, _month(dossier.received_at))]["received"] += 1
    if dossier.finished_at is not None:
        key = (dossier.procedure_id, _month(dossier.finished_at))
        if dossier.status in FINISHED and dossier.outcome:
            rows[key][dossier.outcome] += 1
            if dossier.duration and dossier.counted_from:
                rows[key]["used_hours"] += hours_used(dossier)
                rows[key]["allowed_hours"] += allowed_hours(dossier.duration, dossier.duration_unit)
        elif dossier.status in CANCELLED:
            rows[key]["cancelled"] += 1
    if dossier.rating and dossier.rated_at:
        key = (dossier.procedure_id, _month(dossier.rated_at))
        rows[key]["ratings"] += 1
        rows[key]["satisfied"] += 1 if dossier.rating >= 2 else 0
    return {key: dict(values) for key, values in rows.items()}


def used_hours(dossier) -> Decimal:
    """Working hours from the start of the count to the end of processing, the clock's stops excluded."""
    from eiso.calendars.services import working_time_between

    pauses = [(p.started_at, p.ended_at) for p in dossier.pauses.all() if p.started_at >= dossier.counted_from]
    spent = working_time_between(start=dossier.counted_from, end=dossier.finished_at, agency=dossier.agency_id,
                                 pauses=pauses)
    return (Decimal(spent.total_seconds()) / 3600).quantize(Decimal("0.01"))


def difference(before: dict, after: dict) -> dict:
    changes: dict = defaultdict(lambda: defaultdict(Decimal))
    for sign, rows in ((-1, before), (1, after)):
        for key, values in rows.items():
            for counter, amount in values.items():
                changes[key][counter] += sign * amount
    return {key: {c: a for c, a in values.items() if a} for key, values in changes.items()
            if any(values.values())}


def tallies_add(*, agency, changes: dict) -> None:
    """Add `changes` ({(procedure_id, month): {counter: amount}}) to the agency's tallies."""
    from eiso.catalog.models import Procedure
    from eiso.dossiers.models import DossierTally

    if not changes:
        return
    fields = dict(Procedure.objects.filter(pk__in={p for p, _ in changes}).values_list("pk", "field_id"))
    for (procedure_id, month), values in sorted(changes.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        updates = {counter: F(counter) + amount for counter, amount in values.items()}
        rows = DossierTally.objects.filter(agency_id=agency.pk, procedure_id=procedure_id, month=month)
        if rows.update(**updates):
            continue
        try:
            with transaction.atomic():
                DossierTally.objects.create(agency_id=agency.pk, procedure_id=procedure_id, month=month,
                                            field_id=fields.get(procedure_id), province_id=agency.province_id,
                                            **values)
        except IntegrityError:  # created by a concurrent transaction in the meantime
            rows.update(**updates)


class Tracked:
    """`with Tracked(dossier): ...change it...` adds the difference of its contribution to the tallies."""

    def __init__(self, dossier, *, new: bool = False):
        self.dossier = dossier
        self.before = {} if new else contribution(dossier)

    def __enter__(self):
        return self.dossier

    def __exit__(self, kind, value, traceback):
        if kind is None:
            tallies_add(agency=self.dossier.agency, changes=difference(self.before, contribution(self.dossier)))
        return False
