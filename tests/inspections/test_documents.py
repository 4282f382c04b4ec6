"""The decision, the minutes and the province's yearly summary, downloaded and read back (python-docx, openpyxl)."""

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from eiso.inspections import documents, selectors, services
from tests.conftest import login
from tests.inspections.conftest import (
    TODAY,
    answer_checklist,
    approved_plan_with,
    decide,
    sign,
    signed_with_finding,
)

pytestmark = pytest.mark.django_db


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_the_decision_is_a_decree_30_decision_naming_the_agency_team_and_method(client, world):
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection, decision_on=dt.date(2026, 5, 4), on_site_on=dt.date(2026, 5, 20),
                        decision_signer_position="Phó Giám đốc")
    login(client, world.users["supervisor"])
    response = client.get(reverse("inspections:decision_docx", args=[inspection.pk]))
    assert response.status_code == 200 and "quyet-dinh-kiem-tra-01-2026.docx" in response["Content-Disposition"]
    text = text_of(docx.Document(io.BytesIO(response.content)))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 01/QĐ-SKHCN", "ngày 04 tháng 05 năm 2026",
                     "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LÀO CAI", "QUYẾT ĐỊNH",
                     "kiểm tra việc áp dụng, duy trì hệ thống quản lý chất lượng",
                     "Ủy ban nhân dân phường Cam Đường", "Căn cứ Thông tư số 26/2014/TT-BKHCN",
                     "Hình thức kiểm tra: kiểm tra trực tiếp tại cơ quan.", "Thời gian kiểm tra: 20/05/2026.",
                     "1. Nguyễn Văn Trưởng – Chuyên viên – Trưởng đoàn", "Điều 3.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                     "Hoàng Văn Giám Đốc", "Nơi nhận:"):
        assert expected in text, expected


def test_the_minutes_carry_the_checklist_findings_deadline_two_originals_and_both_signatures(client, world):
    from eiso.reporting.points import BY_KEY

    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = signed_with_finding(world, inspection, signed_on=dt.date(2026, 6, 10))
    # the agency's people download it too
    login(client, world.users["staff"])
    response = client.get(reverse("inspections:minutes_docx", args=[inspection.pk]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK" and documents.minutes_docx(inspection)[:2] == b"PK"
    document = docx.Document(io.BytesIO(response.content))
    text = text_of(document)
    for expected in ("BIÊN BẢN KIỂM TRA", "ĐOÀN KIỂM TRA", "/BB-ĐKT", "ngày 10 tháng 06 năm 2026",
                     "Căn cứ Quyết định số 01/QĐ-SKHCN", "Trụ sở UBND phường Cam Đường",
                     "- Nguyễn Văn Trưởng – Chuyên viên – Trưởng đoàn", "- Trần Văn Thủ Trưởng – Chủ tịch UBND",
                     "Tài liệu chưa phổ biến đến công chức mới", "Phổ biến tài liệu, có xác nhận đã đọc",
                     "Trong thời hạn 02 tháng kể từ ngày ký biên bản (chậm nhất ngày 10/08/2026)",
                     "Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản.",
                     "Cơ quan áp dụng, duy trì HTQLCL phù hợp; còn 01 tồn tại."):
        assert expected in text, expected
    checklist = next(t for t in document.tables if t.rows[0].cells[0].text == "STT" and len(t.rows) == 14)
    rows = {row.cells[1].text: row.cells[2].text for row in checklist.rows[1:]}
    assert len(rows) == 13
    assert set(rows.values()) == {"Phù hợp", "Không phù hợp"}
    with translation.override("vi"):
        title = str(BY_KEY["documents_disseminated"].title)
    assert rows[title] == "Không phù hợp"
    signatures = document.tables[-1].rows[0].cells
    assert signatures[0].text.startswith("ĐẠI DIỆN CƠ QUAN ĐƯỢC KIỂM TRA") and "Trần Văn Thủ Trưởng" in \
        signatures[0].text and "CHỦ TỊCH" in signatures[0].text
    assert signatures[1].text.startswith("TRƯỞNG ĐOÀN KIỂM TRA") and "Nguyễn Văn Trưởng" in signatures[1].text


def test_a_draft_minutes_without_findings_says_so(world):
    _plan, (inspection,) = approved_plan_with(world, world.own)
    inspection = decide(world, inspection)
    text = text_of(docx.Document(io.BytesIO(documents.minutes_docx(inspection))))
    assert "Không có tồn tại." in text and "Chưa đánh giá" in text and "ngày …… tháng …… năm ……" in text


def _year_of_inspections(world):
    """own: closed after an on-time report; sibling: by documents, minutes signed 100 days ago, no report (overdue);
    a third agency: on site, only decided."""
    from tests.factories import AgencyFactory, CommuneFactory

    supervisor, coordinator = world.users["supervisor"], world.users["iso_coordinator"]
    third = AgencyFactory(name="Ủy ban nhân dân xã Gia Phú", admin_unit=CommuneFactory(parent=world.province))
    left_out = AgencyFactory(name="Ủy ban nhân dân xã Tả Phìn", admin_unit=CommuneFactory(parent=world.province))
    _plan, (own, third_line, sibling) = approved_plan_with(world, world.own, third, world.sibling, on_site=2)
    own = signed_with_finding(world, own)
    services.finding_action_record(actor=coordinator, finding=own.findings.get(), action_taken="Đã khắc phục")
    services.report_submit(actor=coordinator, inspection=own)
    services.finding_review(actor=supervisor, finding=own.findings.get(), closed=True)
    services.inspection_close(actor=supervisor, inspection=own)
    sibling = decide(world, sibling, decision_on=TODAY - dt.timedelta(days=110), on_site_on=None)
    answer_checklist(world, sibling, not_conform=("complaints_handled", "legal_changes_within_3_months"))
    for key in ("complaints_handled", "legal_changes_within_3_months"):
        services.finding_add(actor=supervisor, inspection=sibling, point_key=key, description=f"Tồn tại {key}",
                             required_action="Khắc phục")
    services.finding_add(actor=supervisor, inspection=sibling, point_key="", description="Khác",
                         required_action="Khắc phục")
    sign(world, sibling, signed_on=TODAY - dt.timedelta(days=100))
    decide(world, third_line)
    return left_out


def test_the_summary_counts_planned_done_on_site_findings_and_reports(client, world):
    left_out = _year_of_inspections(world)
    summary = selectors.province_summary(province=world.province, year=2026)
    assert (summary.planned, summary.done, summary.planned_on_site, summary.done_on_site) == (3, 2, 2, 1)
    assert (summary.done_by_documents, summary.share_on_site_planned, summary.share_on_site_done) == (1, 66.7, 50.0)
    assert (summary.findings, summary.findings_closed, summary.closed) == (4, 1, 1)
    assert (summary.reports["on_time"], summary.reports["overdue"], summary.reports["waiting"]) == (1, 1, 1)
    by_point = {point.key: (point.findings, point.closed) for point in summary.by_point}
    assert by_point["documents_disseminated"] == (1, 1) and by_point["complaints_handled"] == (1, 0)
    assert by_point[""] == (1, 0) and by_point["scope_covers_procedures"] == (0, 0)
    assert summary.not_planned == [left_out]
    # the page, the workbook and the report say the same
    login(client, world.users["supervisor"])
    page = client.get(reverse("inspections:summary") + "?year=2026").content.decode()
    assert left_out.name in page and 'data-report="overdue"' in page
    response = client.get(reverse("inspections:summary_xlsx") + f"?province={world.province.pk}&year=2026")
    assert response.status_code == 200 and "tong-hop-kiem-tra-2026.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    figures = {row[0]: row[1:] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True) if row[0]}
    assert figures["Inspections"][:2] == (3, 2) and figures["On site"][:2] == (2, 1)
    assert figures["On-site share (per cent)"][:2] == (66.7, 50.0)
    assert figures["Reports submitted on time"][0] == 1 and figures["of which overdue"][0] == 1
    assert figures["Agencies in no plan"][0] == 1
    rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {world.own.name, world.sibling.name, "Ủy ban nhân dân xã Gia Phú"}
    overdue = next(row for row in rows if row[0] == world.sibling.name)
    assert (overdue[7], overdue[8], overdue[11]) == (3, 3, "overdue")
    points = {row[0]: row[1:] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)}
    assert points["Total"] == (4, 1)
    assert [row[0] for row in book.worksheets[3].iter_rows(min_row=2, values_only=True)] == [left_out.name]
    response = client.get(reverse("inspections:summary_docx") + "?year=2026")
    text = text_of(docx.Document(io.BytesIO(response.content)))
    for expected in ("BÁO CÁO", "năm 2026", "Đã kiểm tra 02/03 cơ quan theo kế hoạch",
                     "kiểm tra trực tiếp 01/02", "tỷ lệ kiểm tra trực tiếp: 50 %", "đã báo cáo đúng hạn: 1",
                     "chưa báo cáo: 1 (trong đó quá hạn: 1)", "Số cuộc kiểm tra đã kết thúc: 1/3", "Tồn tại khác",
                     "Số cơ quan chưa có trong kế hoạch kiểm tra năm 2026: 1/", left_out.name):
        assert expected in text, expected


def test_agency_people_do_not_get_the_summary(client, world):
    login(client, world.users["agency_head"])
    assert client.get(reverse("inspections:summary")).status_code == 403
    assert client.get(reverse("inspections:summary_xlsx")).status_code == 403
