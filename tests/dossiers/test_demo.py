"""The demo dossiers: imported months of one-stop records plus a few received at the desk, once."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from eiso.catalog.models import Procedure, ProcedureCase
from eiso.dossiers.choices import Source
from eiso.dossiers.demo import IMPORTED, demo_dossiers_load
from eiso.dossiers.models import Dossier, DossierTally

pytestmark = pytest.mark.django_db


def test_the_demo_desk_has_imported_history_and_todays_work_once(world, calendar):
    for n, days in enumerate((1, 3, 5)):
        procedure = Procedure.objects.create(code=f"1.00{n}", name=f"Thủ tục cấp xã {n}", is_commune_level=True)
        ProcedureCase.objects.create(procedure=procedure, code=f"1.00{n}.01", name="Chung", duration=Decimal(days),
                                     duration_unit="working_day")
    added = demo_dossiers_load(world.own, staff=world.users["staff"], second_officer=world.users["agency_head"])
    dossiers = Dossier.objects.filter(agency=world.own)
    assert added == dossiers.count() == IMPORTED + 3
    assert dossiers.filter(source=Source.NATIVE).count() == 3
    totals = DossierTally.objects.filter(agency=world.own).aggregate(received=Sum("received"), late=Sum("late"))
    assert totals["received"] == IMPORTED + 3 and totals["late"] > 0
    assert demo_dossiers_load(world.own, staff=world.users["staff"]) == 0
