"""Nonconformity fixtures. The tests read messages in English (the interface's source language): the request's
fallback language and the test's own are set to English."""

import pytest
from django.utils import translation

from eiso.improvement.services import corrective_action_add, nonconformity_analysis_record, nonconformity_raise


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def raised(world):
    return nonconformity_raise(actor=world.users["staff"], agency=world.own, source="audit_finding",
                               description="Sổ theo dõi hồ sơ không ghi ngày trả kết quả", grade="minor")


def analyse(world, nonconformity):
    return nonconformity_analysis_record(
        actor=world.users["iso_coordinator"], nonconformity=nonconformity, method="five_whys",
        analysis="Tại sao 1: quên ghi. Tại sao 2: mẫu sổ không có cột.", root_cause="Mẫu sổ thiếu cột ngày trả")


def add_action(world, nonconformity, owner=None):
    import datetime as dt

    return corrective_action_add(actor=world.users["iso_coordinator"], nonconformity=nonconformity,
                                 description="Sửa mẫu sổ theo dõi", owner=owner or world.users["staff"],
                                 due_on=dt.date.today() + dt.timedelta(days=10))
