"""A procedure with one case of 3 working days, the agency `own`'s process for it (B1 receipt 4 h, B2
appraisal 12 h, B3 signature 8 h), the 2026–2027 holidays, and helpers to receive dossiers at set moments."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from eiso.calendars.services import holidays_seed_year
from eiso.catalog.models import Procedure, ProcedureCase
from eiso.dossiers.services import dossier_receive
from eiso.organizations.models import QMS
from eiso.processes.services import process_create, process_steps_replace

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090001234", "phone": "0912345678",
             "address": "Tổ 5, phường Cam Đường"}
STEPS = [
    {"action": "Tiếp nhận, kiểm tra hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"},
    {"action": "Thẩm định hồ sơ", "responsible": "Công chức tư pháp - hộ tịch", "duration": 12,
     "duration_unit": "hour"},
    {"action": "Ký duyệt kết quả", "responsible": "Chủ tịch UBND", "duration": 1, "duration_unit": "day"},
]


@contextmanager
def frozen(text: str):
    """The clock of the services stopped at a moment (they read django.utils.timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=at(text)):
        yield


def at(text: str) -> dt.datetime:
    """An aware moment in Asia/Ho_Chi_Minh from "YYYY-MM-DD HH:MM"."""
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def calendar(db):
    for year in (2026, 2027):
        holidays_seed_year(year=year)


@pytest.fixture
def procedure(db):
    procedure = Procedure.objects.create(code="1.000001", name="Thủ tục đăng ký kết hôn")
    ProcedureCase.objects.create(procedure=procedure, code="1.000001.01", name="Đăng ký kết hôn",
                                 duration=Decimal(3), duration_unit="working_day")
    return procedure


@pytest.fixture
def process(world, procedure):
    process = process_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="procedure", code="QT-HT-01",
                             title="Quy trình đăng ký kết hôn", procedures=[procedure],
                             cases=list(procedure.cases.all()))
    process_steps_replace(actor=None, process=process, steps=STEPS)
    return process


@pytest.fixture
def receive(world, calendar, process):
    def receive_(moment: str | None = None, *, actor=None, agency=None, **kwargs):
        """Received at `moment` (the clock set to it: a receipt cannot be dated in the future)."""
        def received():
            return dossier_receive(actor=actor or world.users["staff"], agency=agency or world.own,
                                   procedure=kwargs.pop("procedure", process.procedures.get()),
                                   applicant=kwargs.pop("applicant", APPLICANT),
                                   submitted_at=at(moment) if moment else None, **kwargs)

        if moment and at(moment) > timezone.now():
            with frozen(moment):
                return received()
        return received()
    return receive_
