"""The evidence export of one agency's year: one ZIP with the index workbook and the files eISO produces, read back
here; and who may download it (the agency's head and coordinator, the province's supervisors, national
supervisors, administrators; everyone else 404)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from openpyxl import load_workbook

from eiso.par.evidence import INDEX_NAME
from tests.conftest import login
from tests.par.conftest import YEAR, completed_audit, criterion, held_review, update_task

pytestmark = pytest.mark.django_db


def zip_of(client, agency, year=YEAR):
    response = client.get(reverse("par:evidence_zip"), {"agency": agency.pk, "year": year})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def docx_text(archive, name) -> str:
    document = Docx(io.BytesIO(archive.read(name)))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def rows(archive, name, sheet=None):
    book = load_workbook(io.BytesIO(archive.read(name)))
    return list((book[sheet] if sheet else book.active).iter_rows(values_only=True))


def announce(agency):
    from eiso.announcements.services import announcement_record

    return announcement_record(actor=None, agency=agency, signed_on=dt.date(2026, 3, 2), number=15,
                               signer_name="Trần Văn Thủ Trưởng")


def submitted_report(world, agency):
    from eiso.reporting.models import PeriodicReport, ReportingPeriod

    period = ReportingPeriod.objects.create(
        agency=world.dost, kind="yearly", year=YEAR, title=f"Báo cáo năm {YEAR}", starts_on=dt.date(YEAR, 1, 1),
        ends_on=dt.date(YEAR, 12, 31), due_on=dt.date(YEAR, 12, 20))
    moment = timezone.make_aware(dt.datetime(YEAR, 12, 5, 9, 0))
    return PeriodicReport.objects.create(agency=agency, period=period, status="submitted", number="12/BC-UBND",
                                         results="Duy trì HTQLCL", submitted_at=moment, first_submitted_at=moment)


def test_the_head_downloads_the_year_evidence_and_reads_every_file(client, world):
    # given own's year: criteria, an audit, a review, two legal update tasks (one closed late)
    criterion(world, code="6.3.1", rule="internal_audit_done", points="0.5")
    criterion(world, code="6.3.2", rule="all", points="1", scoring="proportional")
    audit = completed_audit(world.own)
    review = held_review(world.own)
    update_task(world.own, due_on=dt.date(2026, 4, 1), closed_on=dt.date(2026, 3, 20), code="QT-01")
    update_task(world.own, due_on=dt.date(2026, 5, 1), closed_on=dt.date(2026, 5, 12), code="QT-02")
    announce(world.own)
    report = submitted_report(world, world.own)
    # when
    login(client, world.users["agency_head"])
    archive = zip_of(client, world.own)
    names = archive.namelist()
    # then the index comes first, then the files
    assert names[0] == INDEX_NAME
    audit_file = next(n for n in names if "bao-cao-danh-gia-noi-bo" in n)
    review_file = next(n for n in names if "bien-ban-xem-xet" in n)
    log_file = next(n for n in names if "nhat-ky-cap-nhat-van-ban" in n)
    index_file = next(n for n in names if "ho-so-minh-chung" in n)
    assert audit.number in docx_text(archive, audit_file)
    assert "BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO" in docx_text(archive, review_file)
    assert world.own.name.upper() in docx_text(archive, review_file).upper()
    log = rows(archive, log_file)
    assert log[1][:2] == ("Document", "Title")
    by_code = {row[0]: row for row in log[2:]}
    assert by_code["QT-01"][5] == dt.datetime(2026, 4, 1) and by_code["QT-01"][7] == dt.datetime(2026, 3, 20)
    assert (by_code["QT-01"][8], by_code["QT-02"][8]) == ("yes", "no")
    assert rows(archive, index_file)[1] == ("Category", "Title", "Date", "Link")
    # the index: the criteria with their points, and the evidence list
    criteria = rows(archive, INDEX_NAME)
    assert criteria[2][:5] == ("Code", "Criterion", "Maximum points", "Points", "How points are given")
    first = next(row for row in criteria if row[0] == "6.3.1")
    assert first[3] == 0.5 and first[6] == "yes"
    evidence = rows(archive, INDEX_NAME, "Evidence")
    listed = {row[0] for row in evidence[1:] if row[0]}
    assert listed == set(names[1:])
    assert any(str(review) in (row[1] or "") for row in evidence)
    decision = next(n for n in names if "quyet-dinh-cong-bo" in n)
    assert "CÔNG BỐ" in docx_text(archive, decision).upper()
    report_file = next(n for n in names if "bao-cao-dinh-ky" in n)
    assert "Duy trì HTQLCL" in docx_text(archive, report_file) and report.number in docx_text(archive, report_file)
    # every contract is there: nothing is "not available"
    assert not any(row[2] == "Not available in this installation yet." for row in evidence)


def test_what_cannot_be_included_is_said_in_the_index(client, world):
    login(client, world.users["iso_coordinator"])
    archive = zip_of(client, world.own, year=2025)
    evidence = rows(archive, INDEX_NAME, "Evidence")
    reasons = {row[1]: row[2] for row in evidence[1:] if not row[0]}
    assert reasons["Internal audit report"] == "No internal audit completed in 2025."
    assert reasons["Minutes of the management review"] == "No management review held in 2025."
    # the legal-update log and the compliance index are always there
    assert any("nhat-ky-cap-nhat-van-ban-2025" in n for n in archive.namelist())


def test_the_agency_page_shows_the_points_and_the_download(client, world):
    completed_audit(world.own)
    criterion(world, code="6.3.1", rule="internal_audit_done", points="0.5")
    login(client, world.users["agency_head"])
    page = client.get(reverse("par:agency"), {"year": YEAR})
    body = page.content.decode()
    assert page.status_code == 200 and "0.50/0.50" in body
    assert f"{reverse('par:evidence_zip')}?agency={world.own.pk}&amp;year={YEAR}" in body


@pytest.mark.parametrize(("who", "scope", "status"), [
    ("agency_head", "own", 200), ("iso_coordinator", "own", 200), ("staff", "own", 404), ("auditor", "own", 404),
    ("consultant", "own", 404), ("agency_head", "sibling", 404), ("supervisor", "own", 200),
    ("supervisor", "sibling", 200), ("supervisor", "foreign", 404), ("national", "foreign", 200),
    ("admin", "foreign", 200), ("other_supervisor", "own", 404),
])
def test_who_downloads_an_agency_evidence(client, world, national, other_supervisor, who, scope, status):
    user = {"national": national, "other_supervisor": other_supervisor}.get(who) or world.users[who]
    agency = getattr(world, scope)
    login(client, user)
    response = client.get(reverse("par:evidence_zip"), {"agency": agency.pk, "year": YEAR})
    assert response.status_code == status
    assert client.get(reverse("par:agency"), {"agency": agency.pk}).status_code == status


def test_a_malformed_agency_id_is_404(client, world):
    login(client, world.users["supervisor"])
    assert client.get(reverse("par:evidence_zip"), {"agency": "not-an-id"}).status_code == 404
