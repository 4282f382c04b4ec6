"""The report's Word file and the province report (DOCX and XLSX), opened and read back: the province report's
level × stage numbers are those of eiso.oversight.selectors.province_summary, the dashboard's function."""

import datetime as dt
import io

import docx
import pytest
from django.utils import translation
from openpyxl import load_workbook

from eiso.oversight.selectors import province_summary
from eiso.reporting import services
from eiso.reporting.documents import point_rows, province_report_docx, province_report_xlsx, report_docx
from eiso.reporting.models import PeriodicReport
from tests.reporting.conftest import TODAY, YEAR, at, open_period, report_of, submitted

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_the_report_docx_reads_back(world, period):
    report = report_of(period, world.own)
    draft = docx_text(report_docx(report))
    assert "DỰ THẢO" in draft and "BÁO CÁO" in draft and world.own.name.upper() in draft
    assert "Kính gửi: Sở Khoa học và Công nghệ tỉnh Lào Cai." in draft
    report = services.report_update(actor=world.users["iso_coordinator"], report=report, number="12/BC-UBND",
                                    remarks={"consultant_licensed": "Không thuê đơn vị tư vấn"})
    report = submitted(report, world, results="Duy trì HTQLCL cho 119 thủ tục.", difficulties="Thiếu kinh phí.",
                       proposals="Tập huấn đánh giá nội bộ.")
    PeriodicReport.objects.filter(pk=report.pk).update(submitted_at=at("2026-11-25 10:00"))
    report = PeriodicReport.objects.get(pk=report.pk)
    text = docx_text(report_docx(report))
    assert "DỰ THẢO" not in text
    for expected in ("Số: 12/BC-UBND", "ngày 25 tháng 11 năm 2026", "Duy trì HTQLCL cho 119 thủ tục.",
                     "Thiếu kinh phí.", "Tập huấn đánh giá nội bộ.", "Giải trình: Không thuê đơn vị tư vấn",
                     "TM. ỦY BAN NHÂN DÂN", world.users["agency_head"].full_name,
                     "từ ngày 01/01/2026 đến ngày 31/12/2026"):
        assert expected in text, expected
    # every point of the snapshot, with its result
    rows = point_rows(report.figures, report.remarks)
    assert len(rows) == 13
    for row in rows:
        assert row["title"] in text and row["detail"] in text
    assert "Chưa đạt" in text


@pytest.fixture
def reported(world, period):
    """Own submitted (accepted) with difficulties; sibling submitted late then returned; the Department never."""
    own = submitted(report_of(period, world.own), world, difficulties="Thiếu công chức chuyên trách.",
                    proposals="Hỗ trợ kinh phí duy trì.")
    services.report_transition(actor=world.users["supervisor"], report=own, action="accept")
    sibling = report_of(period, world.sibling)
    PeriodicReport.objects.filter(pk=sibling.pk).update(
        status="returned", difficulties="Chưa gửi thì không trích dẫn", submitted_at=at("2026-12-02 09:00"),
        first_submitted_at=at("2026-12-02 09:00"))
    return period


def test_the_province_report_xlsx_matches_the_dashboard(world, reported):
    today = dt.date(YEAR, 12, 5)
    content = province_report_xlsx(reported, today=today)
    tables = sheets(content)
    assert list(tables) == ["Cap - giai doan", "Bao cao co quan", "Dieu 36 theo cap"]
    # sheet 1: one row per level of province_summary, the same numbers, then the total
    with translation.override("vi"):
        summary = province_summary(province=world.province, today=today)
        expected = [[str(row.label), row.total, *(row.by_stage.get(key, 0) for key in (
            "not_started", "building", "applying", "announced", "maintaining")), row.announced, row.converted]
            for row in summary]
    stages = tables["Cap - giai doan"]
    assert stages[1][:2] == ["Cấp", "Tổng số cơ quan"]
    assert stages[2:2 + len(summary)] == expected
    assert stages[2 + len(summary)][1] == sum(row.total for row in summary) == 3
    # sheet 2: one row per agency with its report's status and figures
    agencies = {row[1]: row for row in tables["Bao cao co quan"][2:]}
    assert set(agencies) == {world.own.code, world.sibling.code, world.dost.code}
    assert agencies[world.own.code][3] == "Đã chấp nhận" and agencies[world.own.code][5] == "Không"
    assert agencies[world.sibling.code][3] == "Trả lại để hoàn thiện" and agencies[world.sibling.code][5] == "Có"
    assert agencies[world.dost.code][4] is None and agencies[world.dost.code][5] == "Có"
    own_points = reported.reports.get(agency=world.own).figures["points"]
    assert agencies[world.own.code][21] == sum(1 for p in own_points if p["met"] is True)
    # sheet 3: the reports received per level (only own's, a commune) and the points met
    points = tables["Dieu 36 theo cap"]
    received = dict(zip(points[1][2:], points[2][2:], strict=True))
    assert sum(v for k, v in received.items() if k != "Cộng") == 1 and received["Cộng"] == 1
    assert len(points) == 3 + 13
    met_rows = {row[1]: row[-1] for row in points[3:]}
    with translation.override("vi"):
        rows = point_rows(reported.reports.get(agency=world.own).figures, {})
    assert met_rows == {row["title"]: (1 if row["met"] is True else 0) for row in rows}


def test_the_province_report_docx_reads_back(world, reported):
    today = dt.date(YEAR, 12, 5)
    text = docx_text(province_report_docx(reported, today=today))
    with translation.override("vi"):
        summary = province_summary(province=world.province, today=today)
    for row in summary:
        assert f"{row.label}: {row.announced}/{row.total} cơ quan đã công bố" in text
    for expected in ("BÁO CÁO", "tỉnh Lào Cai năm 2026", "- Ủy ban nhân dân tỉnh Lào Cai;",
                     "Tổng số 3 cơ quan phải báo cáo; đã nhận 1 báo cáo (1 đã chấp nhận); 1 báo cáo trả lại",
                     f"{world.own.name}: Thiếu công chức chuyên trách.", f"{world.own.name}: Hỗ trợ kinh phí duy trì.",
                     "ngày 05 tháng 12 năm 2026", "GIÁM ĐỐC"):
        assert expected in text, expected
    # only the reports received are quoted; the late ones are named
    assert "Chưa gửi thì không trích dẫn" not in text
    assert f"Các cơ quan nộp muộn hoặc chưa nộp: {world.dost.name}; {world.sibling.name}" in text or \
        f"Các cơ quan nộp muộn hoặc chưa nộp: {world.sibling.name}; {world.dost.name}" in text


def test_a_report_is_prefilled_on_the_day_given(world):
    period = open_period(world, today=TODAY)
    assert {r.figures["computed_on"] for r in period.reports.all()} == {TODAY.isoformat()}
