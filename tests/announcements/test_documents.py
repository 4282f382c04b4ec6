"""The decision in the Decree 30/2020 layout: the Word file and the PDF are opened and read back (number, grounds,
scope, procedures, signature, recipients)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm
from pypdf import PdfReader

from eiso.announcements import documents, services
from tests.announcements.conftest import process, qms_of
from tests.factories import AgencyFactory, QMSFactory

pytestmark = pytest.mark.django_db


def texts(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    result = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                result += [p.text for p in cell.paragraphs]
    return result


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def signed_announcement(world, **values):
    draft = services.announcement_prepare(actor=world.users["iso_coordinator"], agency=world.own,
                                          scope="Giải quyết thủ tục hành chính lĩnh vực hộ tịch cho người dân")
    return services.announcement_sign(actor=world.users["agency_head"], announcement=draft, **values)


def test_the_signed_decision_reads_back_from_the_word_file(ready):
    world = ready
    qms = qms_of(world.own)
    qms.scope = "Toàn bộ TTHC"
    qms.save()
    announcement = signed_announcement(world, number=15)
    content = documents.decision_docx(announcement)
    lines = texts(content)
    body = "\n".join(lines)
    section = Document(io.BytesIO(content)).sections[0]
    assert section.page_width / Mm(1) == pytest.approx(210, abs=0.5)
    assert section.left_margin / Mm(1) == pytest.approx(30, abs=0.5)
    today = timezone.localdate()
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "ỦY BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG", "Số: 15/QĐ-UBND", "QUYẾT ĐỊNH",
                     "Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
                     "QUYẾT ĐỊNH:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", str(world.users["agency_head"]), "Nơi nhận:",
                     "- Như Điều 3;", "- Sở Khoa học và Công nghệ tỉnh Lào Cai (để báo cáo);", "- Lưu: VT, ISO."):
        assert expected in lines, expected
    assert f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}" in body
    assert "ỦY BAN NHÂN DÂN TỈNH" not in body  # a People's Committee has no parent body in its header
    assert "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014" in body
    assert "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014" in body
    assert any(line.startswith("Điều 1. Công bố Hệ thống quản lý chất lượng của Ủy ban nhân dân phường Cam Đường "
                               "phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015") for line in lines)
    assert "Phạm vi áp dụng: Giải quyết thủ tục hành chính lĩnh vực hộ tịch cho người dân" in lines
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in lines
    assert any(line.startswith("Điều 3.") and "chịu trách nhiệm thi hành" in line for line in lines)
    # the appendix lists the procedures in scope, with the decision's number and date
    assert f"(Kèm theo Quyết định số 15/QĐ-UBND ngày {today:%d/%m/%Y} của Ủy ban nhân dân phường Cam Đường)" in lines
    table = Document(io.BytesIO(content)).tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Mã hiệu quy trình", "Tên quy trình", "Mã thủ tục hành chính"]
    assert rows[1:] == [["01", "QT-01", "Đăng ký khai sinh", "1.001193"],
                        ["02", "QT-02", "Đăng ký kết hôn", "1.000894"]]
    assert "QT-09" not in body


def test_a_draft_is_marked_and_has_no_number_or_name(ready):
    world = ready
    draft = services.announcement_prepare(actor=world.users["iso_coordinator"], agency=world.own)
    lines = texts(documents.decision_docx(draft))
    assert lines[0] == "DỰ THẢO"
    assert "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/QĐ-UBND" in lines
    assert str(world.users["agency_head"]) not in lines
    assert "QT-01" in "\n".join(lines)  # the procedures as they stand


def test_a_reannouncement_replaces_the_previous_decision(ready):
    world = ready
    first = signed_announcement(world, number=3)
    process(world.own, "QT-03", "Chứng thực bản sao")
    again = services.announcement_sign(actor=world.users["agency_head"], announcement=services.announcement_prepare(
        actor=world.users["iso_coordinator"], agency=world.own), number=20)
    body = "\n".join(texts(documents.decision_docx(again)))
    assert "Về việc công bố lại Hệ thống quản lý chất lượng" in body
    assert f"thay thế Quyết định số 03/QĐ-UBND ngày {first.signed_on:%d/%m/%Y}" in body
    assert "Lý do công bố lại: mở rộng phạm vi áp dụng." in body
    assert "QT-03" in body


def test_a_department_signs_as_its_director_under_its_parent(world):
    parent = AgencyFactory(name="Ủy ban nhân dân tỉnh Lào Cai", admin_unit=world.province)
    department = AgencyFactory(code="LCI-STP", name="Sở Tư pháp tỉnh Lào Cai", kind="department",
                               admin_unit=world.province, parent=parent)
    QMSFactory(agency=department)
    announcement = services.announcement_record(actor=None, agency=department, signed_on=dt.date(2024, 4, 9),
                                                number=7, signer_name="Nguyễn Văn Giám Đốc")
    lines = texts(documents.decision_docx(announcement))
    for expected in ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "SỞ TƯ PHÁP TỈNH LÀO CAI", "Số: 07/QĐ-STP",
                     "Lào Cai, ngày 09 tháng 04 năm 2024", "GIÁM ĐỐC SỞ TƯ PHÁP TỈNH LÀO CAI", "GIÁM ĐỐC",
                     "Nguyễn Văn Giám Đốc", "- Ủy ban nhân dân tỉnh Lào Cai (để báo cáo);"):
        assert expected in lines, expected
    body = "\n".join(lines)
    assert "Chưa có quy trình giải quyết thủ tục hành chính được ban hành" in body
    assert "DANH MỤC QUY TRÌNH" not in body


def test_the_pdf_reads_back(ready):
    world = ready
    announcement = signed_announcement(world, number=15)
    text = pdf_text(documents.decision_pdf(announcement))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 15/QĐ-UBND", "QUYẾT ĐỊNH",
                     "Giải quyết thủ tục hành chính lĩnh vực hộ tịch cho người dân", "Quyết định số 19/2014/QĐ-TTg",
                     "QT-01", "Đăng ký khai sinh", "QT-02", "Đăng ký kết hôn", "Nơi nhận:",
                     "Sở Khoa học và Công nghệ tỉnh Lào Cai"):
        assert expected in text, expected
