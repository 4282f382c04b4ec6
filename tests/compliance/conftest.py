"""Compliance calendar fixtures. Messages are read in English (the interface's source language).

The contract functions of the other QMS-year apps are replaced by fakes (`contracts` fixture): each test says
what the records answer, independently of those apps' data; `test_contracts.py` checks the real ones."""

import datetime as dt

import pytest
from django.utils import translation

from eiso.compliance import contracts as contracts_module
from eiso.documents.models import Document
from eiso.legal.models import UpdateTask
from eiso.organizations.models import QMS


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


class FakeContracts:
    """path -> function; a path without a function is "not available" (as before its app provides it)."""

    def __init__(self):
        self.functions: dict = {}
        self.calls: list = []

    def answer(self, path, value=None, *, raises=None, records=None):
        def function(**kwargs):
            self.calls.append((path, kwargs))
            if raises is not None:
                raise raises
            return records if records is not None else value

        self.functions[path] = function

    def resolve(self, path):
        return self.functions.get(path)


@pytest.fixture
def contracts(monkeypatch):
    fake = FakeContracts()
    monkeypatch.setattr(contracts_module, "resolve", fake.resolve)
    return fake


def document(agency, code="QT-01", title="Quy trình đăng ký khai sinh"):
    return Document.objects.create(agency=agency, qms=QMS.objects.filter(agency=agency).first(), kind="process",
                                   code=code, title=title)


def update_task(agency, due_on: dt.date, status="open", code="QT-01", closed_at=None):
    return UpdateTask.objects.create(agency=agency, document=document(agency, code=code), reason="legal_change",
                                     starts_on=due_on - dt.timedelta(days=91), due_on=due_on, status=status,
                                     closed_at=closed_at, summary="Thông tư mới thay thế")
