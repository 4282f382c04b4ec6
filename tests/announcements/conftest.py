"""Conformity announcement fixtures. The tests read messages in English (the interface's source language)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from eiso.catalog.models import Field, Procedure
from eiso.core.permissions import Role
from eiso.organizations.models import QMS
from eiso.processes.services import process_create, process_steps_replace, process_transition
from eiso.reviews.models import ManagementReview
from eiso.reviews.services import (
    review_create,
    review_effectiveness_confirm,
    review_hold,
    review_input_comment,
    review_inputs_assemble,
)
from tests.factories import AgencyFactory, QMSFactory, supervising, user_with_role

STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def qms_of(agency) -> QMS:
    return QMS.objects.get(agency=agency)


def process(agency, code: str, title: str, *, publish: bool = True, procedure_code: str = ""):
    """A procedure process of the agency's QMS (published unless told), optionally linked to a catalogue procedure."""
    procedures = ()
    if procedure_code:
        field, _created = Field.objects.get_or_create(name="Hộ tịch")
        procedures = [Procedure.objects.get_or_create(code=procedure_code,
                                                      defaults={"name": title, "field": field})[0]]
    made = process_create(actor=None, qms=qms_of(agency), kind="procedure", code=code, title=title,
                          procedures=procedures)
    process_steps_replace(actor=None, process=made, steps=[STEP])
    if publish:
        for action in ("submit", "approve", "publish"):
            process_transition(actor=None, process=made, action=action)
    return made


def confirm_effectiveness(agency, head, *, year: int | None = None, on: dt.date | None = None):
    """A held management review on which the head confirmed the effectiveness of the QMS (today, or on `on`)."""
    year = year or (on.year if on else timezone.localdate().year)
    review = review_create(actor=None, agency=agency, title=f"Xem xét của lãnh đạo năm {year}", year=year,
                           period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                           meeting_at=timezone.now() - dt.timedelta(hours=2), chair=head, secretary=head,
                           place="Hội trường")
    review = review_inputs_assemble(actor=None, review=review)
    review_input_comment(actor=None, review_input=review.inputs.get(key="resources"), comment="Đủ nhân lực")
    review = review_hold(actor=None, review=review)
    review = review_effectiveness_confirm(actor=head, review=review, statement="HTQLCL có hiệu lực.")
    if on is not None:
        moment = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
        ManagementReview.objects.filter(pk=review.pk).update(effectiveness_confirmed_at=moment)
    return review


@pytest.fixture
def ready(world):
    """The own agency can announce: two published processes (and a draft one), the head confirmed effectiveness."""
    process(world.own, "QT-01", "Đăng ký khai sinh", procedure_code="1.001193")
    process(world.own, "QT-02", "Đăng ký kết hôn", procedure_code="1.000894")
    process(world.own, "QT-09", "Quy trình chưa ban hành", publish=False)
    confirm_effectiveness(world.own, world.users["agency_head"])
    return world


@pytest.fixture
def other_supervisor(world):
    """The supervisor of the other province (Hà Nội)."""
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ thành phố Hà Nội", kind="department",
                         admin_unit=world.other_province)
    supervising(dost)
    QMSFactory(agency=dost)
    return user_with_role(Role.SUPERVISOR, dost)
