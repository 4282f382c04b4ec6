"""Training and consultant fixtures. The tests read messages in English (the interface's source language)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from eiso.core.permissions import Role
from eiso.trainings.consultant_services import consultant_create
from eiso.trainings.services import training_create
from tests.factories import AgencyFactory, supervising, user_with_role


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def course(world, authority=None, **changes):
    """A finished awareness course of the world's DOST (2025), unless told otherwise."""
    values = {"topic": "Nhận thức chung về TCVN ISO 9001:2015", "kind": "awareness",
              "start_on": dt.date(2025, 3, 18), "end_on": dt.date(2025, 3, 20), "location": "Hội trường Sở KH&CN",
              "trainer": "ThS. Nguyễn Văn Tư"}
    return training_create(actor=None, authority=authority or world.dost, **(values | changes))


def consultant(world, authority=None, **changes):
    values = {"name": "Công ty Tư vấn ISO Tây Bắc", "licence_number": "15/2023/GCN-TV",
              "licence_issuer": "Bộ Khoa học và Công nghệ", "licence_issued_on": dt.date(2023, 5, 10),
              "licence_valid_until": dt.date(2028, 5, 9)}
    return consultant_create(actor=None, authority=authority or world.dost, **(values | changes))


@pytest.fixture
def foreign_dost(world):
    """The supervising authority of the other province, with its supervisor."""
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ Hà Nội", kind="department", admin_unit=world.other_province)
    supervising(dost)
    dost.supervisor = user_with_role(Role.SUPERVISOR, dost)
    return dost


def workbook(rows, name="hoc-vien.xlsx"):
    """An uploaded XLSX whose first sheet holds `rows` (lists of cell values)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def docx_text(content: bytes) -> str:
    """Every paragraph of a DOCX (tables included), one per line."""
    from docx import Document

    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)
