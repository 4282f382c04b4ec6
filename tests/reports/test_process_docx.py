"""The process document as DOCX (DOMAIN §2 structure, Decree 30 page)."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from eiso.reports import labels
from eiso.reports.process_docx import render_process_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(snapshot) -> Document:
    return Document(io.BytesIO(render_process_docx(snapshot)))


def _mm(length) -> float:
    return length / Mm(1)


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:  # merged cells repeat: keep one per span
            if not cells or cell._tc is not cells[-1][0]:
                cells.append((cell._tc, cell.text))
        rows.append([text for _, text in cells])
    return rows


def _table_starting(document, first_header: str, second_header: str):
    for table in document.tables:
        row = _rows(table)[0]
        if len(row) > 1 and (row[0], row[1]) == (first_header, second_header):
            return table
    raise AssertionError(f"no table headed {first_header!r}, {second_header!r}")


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def document(snapshot):
    return _open(snapshot)


def test_page_is_a4_portrait_with_decree_30_margins(document):
    section = document.sections[0]
    assert _mm(section.page_width) == pytest.approx(210, abs=0.5)
    assert _mm(section.page_height) == pytest.approx(297, abs=0.5)
    assert _mm(section.top_margin) == pytest.approx(20, abs=0.5)
    assert _mm(section.bottom_margin) == pytest.approx(20, abs=0.5)
    assert _mm(section.left_margin) == pytest.approx(30, abs=0.5)
    assert _mm(section.right_margin) == pytest.approx(15, abs=0.5)


def test_page_numbers_from_page_two(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    instructions = [e.text for e in section.header._element.iter(f"{W}instrText")]
    assert [i.strip() for i in instructions] == ["PAGE"]
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert not list(section.first_page_header._element.iter(f"{W}instrText"))


def test_header_table(document):
    agency, title, identity = _rows(document.tables[0])[0]
    assert "ỦY BAN NHÂN DÂN TỈNH LÀO CAI" in agency and "ỦY BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG" in agency
    assert title.splitlines()[:2] == ["QUY TRÌNH", "Quy trình giải quyết thủ tục đăng ký khai sinh"]
    assert identity.splitlines() == ["QT-01", "Lần ban hành: 1", "Ngày ban hành: 23/11/2026"]


def test_approval_table(document):
    rows = _rows(_table_starting(document, "", "Người soạn thảo"))
    assert rows[0] == ["", "Người soạn thảo", "Người xem xét", "Người phê duyệt"]
    assert rows[1] == ["Họ và tên", "Nguyễn Thị Hường", "Trần Văn Đức", "Lê Quang Vũ"]
    assert rows[2] == ["Chữ ký", "", "", ""]
    assert rows[3][0] == "Chức vụ" and rows[3][3] == "Chủ tịch UBND phường"


def test_amendment_log(document):
    assert any(p.text == "THEO DÕI SỬA ĐỔI TÀI LIỆU" for p in document.paragraphs)
    rows = _rows(_table_starting(document, "STT", "Vị trí sửa đổi"))
    assert rows[0] == list(labels.AMENDMENT_HEADERS)
    assert rows[1] == ["1", "—", "Ban hành lần đầu", "1", "23/11/2026"]
    assert rows[2] == ["2", "Mục 5.8", "Rút ngắn thời gian thẩm định hồ sơ", "1", "15/12/2026"]
    assert len(rows) == 3


def test_sections_in_order(document):
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert headings == [
        "1. MỤC ĐÍCH", "2. PHẠM VI ÁP DỤNG", "3. TÀI LIỆU VIỆN DẪN", "4. ĐỊNH NGHĨA/VIẾT TẮT",
        "5. NỘI DUNG QUY TRÌNH", "5.1. Cơ sở pháp lý", "5.2. Yêu cầu, điều kiện", "5.3. Thành phần hồ sơ",
        "5.4. Số lượng hồ sơ", "5.5. Thời hạn giải quyết", "5.6. Nơi tiếp nhận và trả kết quả", "5.7. Lệ phí",
        "5.8. Quy trình xử lý công việc", "6. BIỂU MẪU", "7. HỒ SƠ CẦN LƯU",
    ]


def test_content_items(document):
    texts = [p.text for p in document.paragraphs]
    assert "- Luật Hộ tịch số 60/2014/QH13" in texts
    assert "- TTHC: Thủ tục hành chính" in texts
    assert "01 bộ" in texts
    assert "- Đăng ký khai sinh đúng hạn: Ngay trong ngày tiếp nhận" in texts
    assert "- Trường hợp cần xác minh: 03 ngày làm việc" in texts
    assert "- Đăng ký khai sinh có yếu tố nước ngoài: 15 ngày" in texts
    assert "Cách thức thực hiện: Trực tiếp; Qua bưu chính; Trực tuyến." in texts
    dossier = _rows(_table_starting(document, "STT", "Tên hồ sơ"))
    assert dossier[0] == ["STT", "Tên hồ sơ", "Bản chính", "Bản sao"]
    assert dossier[1] == ["1", "Tờ khai đăng ký khai sinh theo mẫu", "01", ""]
    assert dossier[2] == ["2", "Giấy chứng sinh", "01 (bản chính hoặc bản sao)"]
    assert dossier[3] == ["3", "Giấy tờ tùy thân của người đi đăng ký", "", "x"]


def test_step_table(document):
    table = _table_starting(document, "Bước", "Nội dung công việc")
    rows = _rows(table)
    assert rows[0] == list(labels.STEP_HEADERS)
    assert len(rows) == 1 + 5 + 1
    assert [row[0] for row in rows[1:6]] == ["B1", "B2", "B3", "B4", "B5"]
    assert rows[2][1] == 'Chuyển hồ sơ <b>& thẩm định "sơ bộ"'
    assert rows[2][3] == "08 giờ làm việc"  # from hours when no time label is given
    assert rows[1][4] == "BM.01\nGiấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert rows[-1] == ["Tổng thời gian giải quyết", "24 giờ làm việc (03 ngày làm việc)"]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs)


def test_forms_and_records_tables(document):
    assert _rows(_table_starting(document, "STT", "Mã hiệu"))[1:] == [
        ["1", "BM.01", "Phiếu kiểm soát quá trình giải quyết hồ sơ"], ["2", "BM.02", "Sổ theo dõi hồ sơ"]]
    records = _rows(_table_starting(document, "STT", "Hồ sơ"))
    assert records[0] == ["STT", "Hồ sơ", "Nơi lưu", "Thời gian lưu"]
    assert records[1] == ["1", "Hồ sơ đăng ký khai sinh", "Bộ phận Một cửa", "05 năm"]


def test_vietnamese_text_and_times_new_roman(document):
    text = _all_text(document)
    for phrase in ("Quy trình giải quyết thủ tục đăng ký khai sinh", "Đăng ký khai sinh (mã 1.001193)",
                   "Ủy ban nhân dân", "Công chức Tư pháp - Hộ tịch", "Bảo đảm giải quyết hồ sơ đúng hạn"):
        assert phrase in text
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    fonts = runs[0]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:hAnsi")) == fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert 13 <= document.styles["Normal"].font.size.pt <= 14


def test_empty_snapshot_renders_blank_cells(empty_snapshot):
    document = _open(empty_snapshot)
    approval = _rows(_table_starting(document, "", "Người soạn thảo"))
    assert approval[1] == ["Họ và tên", "", "", ""]
    assert approval[3] == ["Chức vụ", "", "", ""]
    amendments = _rows(_table_starting(document, "STT", "Vị trí sửa đổi"))
    assert amendments[1:] == [["", "", "", "", ""]]
    steps = _rows(_table_starting(document, "Bước", "Nội dung công việc"))
    assert steps[1:] == [["Tổng thời gian giải quyết", ""]]
    identity = _rows(document.tables[0])[0][2].splitlines()
    assert identity[:2] == ["QT-02", "Lần ban hành: 1"]
    assert "DỰ THẢO" in _rows(document.tables[0])[0][1]


def test_missing_keys_are_tolerated():
    document = _open({"document": {"code": "QT-09"}})
    assert "QT-09" in _all_text(document)


def test_system_procedure_describes_its_steps(snapshot):
    snapshot["process"]["kind"] = "system"
    document = _open(snapshot)
    texts = [p.text for p in document.paragraphs]
    assert "5.1. Trình tự thực hiện" in texts and "5.2. Diễn giải" in texts
    assert "5.8. Quy trình xử lý công việc" not in texts
    assert "B1. Tiếp nhận hồ sơ" in texts
    assert "Kiểm tra tính đầy đủ của hồ sơ." in texts
    assert "Trách nhiệm: Công chức Bộ phận Một cửa" in texts
    assert len(_rows(_table_starting(document, "Bước", "Nội dung công việc"))) == 7
