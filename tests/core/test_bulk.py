"""core.bulk.bulk_insert writes what the ORM would (on SQLite and on PostgreSQL, where it uses COPY)."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from eiso.calendars.choices import CalendarDayKind, CalendarDaySource
from eiso.calendars.models import CalendarDay
from eiso.core.bulk import bulk_insert
from eiso.organizations.models import QMS
from eiso.processes.models import FormTemplate, Process, ProcessStep
from eiso.processes.services import process_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(world):
    qms = QMS.objects.get(agency=world.own)
    return process_create(actor=None, qms=qms, kind="internal", code="QT-01", title="Quy trình thử")


def test_rows_get_their_defaults_times_and_uuid_keys_and_read_back_as_given(process):
    # given: two rows sharing one list object, one leaving out most fields
    shared = ["BM.01", "BM.05"]
    before = timezone.now()
    rows = [
        {"agency_id": process.agency_id, "process_id": process.pk, "order": 1, "action": "Tiếp nhận hồ sơ",
         "responsible": "Một cửa", "duration": Decimal("4.5"), "duration_unit": "hour", "forms": shared},
        {"agency_id": process.agency_id, "process_id": process.pk, "order": 2, "action": "Trả kết quả",
         "forms": shared},
    ]
    # when
    written = bulk_insert(ProcessStep, rows)
    # then
    steps = list(ProcessStep.objects.filter(process=process).order_by("order"))
    assert [s.pk for s in steps] == [r["id"] for r in written] and all(isinstance(s.pk, uuid.UUID) for s in steps)
    first, second = steps
    assert (first.action, first.responsible, first.duration, first.duration_unit, first.forms) == (
        "Tiếp nhận hồ sơ", "Một cửa", Decimal("4.50"), "hour", ["BM.01", "BM.05"])
    default_unit = ProcessStep._meta.get_field("duration_unit").default
    assert (second.responsible, second.duration, second.duration_unit, second.description, second.forms) == (
        "", None, default_unit, "", ["BM.01", "BM.05"])
    assert before <= first.created_at <= timezone.now() and first.updated_at == first.created_at
    assert first.responsible_unit_id is None


def test_many_to_many_rows_are_numbered_by_the_database(world, process):
    from eiso.catalog.models import Procedure

    procedures = [Procedure.objects.create(code=f"9.00000{i}", name=f"Thủ tục {i}") for i in range(3)]
    # when
    bulk_insert(Process.procedures.through, [{"process_id": process.pk, "procedure_id": p.pk} for p in procedures])
    # then
    assert sorted(process.procedures.values_list("code", flat=True)) == ["9.000000", "9.000001", "9.000002"]


def test_nothing_to_insert_writes_nothing(process):
    assert bulk_insert(FormTemplate, []) == []
    assert not FormTemplate.objects.exists()


def test_a_bad_row_fails_the_insert_and_the_transaction_keeps_nothing(process):
    from django.db import IntegrityError, transaction

    rows = [{"agency_id": process.agency_id, "process_id": process.pk, "code": "BM.01", "title": "Mẫu 1"},
            {"agency_id": process.agency_id, "process_id": process.pk, "code": "BM.01", "title": "Mẫu trùng"}]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(FormTemplate, rows)
    assert not FormTemplate.objects.exists()


def test_dates_choices_and_explicit_values_are_kept(db):
    # given: a row with a TextChoices member and an explicit source, one with the default source
    rows = [{"date": dt.date(2027, 2, 8), "kind": CalendarDayKind.HOLIDAY, "name": "Tết Nguyên đán",
             "source": CalendarDaySource.SEEDED},
            {"date": dt.date(2027, 2, 13), "kind": CalendarDayKind.WORKING_DAY, "name": "Làm bù"}]
    # when
    bulk_insert(CalendarDay, rows)
    # then
    stored = list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name", "source"))
    assert stored == [(dt.date(2027, 2, 8), "holiday", "Tết Nguyên đán", "seeded"),
                      (dt.date(2027, 2, 13), "working_day", "Làm bù", "manual")]


def test_a_field_with_a_database_default_gets_it_when_left_out(world):
    from eiso.catalog.models import Procedure
    from eiso.dossiers.models import Dossier

    procedure = Procedure.objects.create(code="1.000001", name="Thủ tục")
    bulk_insert(Dossier, [{"agency_id": world.own.pk, "procedure_id": procedure.pk, "status": "in_progress",
                           "applicant_name": "Nguyễn Văn An", "submitted_at": timezone.now()}])
    assert Dossier.objects.get().search_text == ""
