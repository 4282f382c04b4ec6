"""A Decree 30/2020 decision as DOCX."""

import io

import pytest
from docx import Document
from docx.shared import Mm

from eiso.reports.decision_docx import render_decision_docx


def _decision(**overrides) -> Document:
    values = {
        "parent_body": "Ủy ban nhân dân tỉnh Lào Cai", "issuing_body": "Ủy ban nhân dân phường Cam Đường",
        "number": 5, "place": "Lào Cai", "date": "2026-01-05", "title": "Quyết định",
        "summary": "Về việc ban hành Quy trình giải quyết thủ tục hành chính theo TCVN ISO 9001:2015",
        "grounds": ["Căn cứ Luật Tổ chức chính quyền địa phương;", "Căn cứ Quyết định số 19/2014/QĐ-TTg;"],
        "articles": ["Ban hành kèm theo Quyết định này Quy trình QT-01.", "Quyết định có hiệu lực kể từ ngày ký."],
        "signer_prefix": "TM. Ủy ban nhân dân", "signer_position": "Chủ tịch", "signer_name": "Lê Quang Vũ",
        "recipients": ["Như Điều 2;", "Sở KH&CN tỉnh Lào Cai;"],
    }
    values.update(overrides)
    return Document(io.BytesIO(render_decision_docx(**values)))


def _paragraphs(document) -> list:
    result = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                result += cell.paragraphs
    return result


def _texts(document) -> list[str]:
    return [p.text for p in _paragraphs(document)]


def test_decision_layout():
    document = _decision()
    texts = _texts(document)
    section = document.sections[0]
    assert section.page_width / Mm(1) == pytest.approx(210, abs=0.5)
    assert section.left_margin / Mm(1) == pytest.approx(30, abs=0.5)
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
                 "ỦY BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG", "Số: 05/QĐ-UBND", "Lào Cai, ngày 05 tháng 01 năm 2026",
                 "QUYẾT ĐỊNH", "QUYẾT ĐỊNH:", "Nơi nhận:", "- Như Điều 2;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN",
                 "CHỦ TỊCH", "Lê Quang Vũ"):
        assert text in texts, text
    assert texts.index("QUYẾT ĐỊNH") < texts.index("QUYẾT ĐỊNH:")


def test_decision_styles():
    paragraphs = {p.text: p for p in _paragraphs(_decision()) if p.text}
    assert paragraphs["Độc lập - Tự do - Hạnh phúc"].runs[0].bold
    assert paragraphs["Độc lập - Tự do - Hạnh phúc"].runs[0].underline
    assert paragraphs["Lào Cai, ngày 05 tháng 01 năm 2026"].runs[0].italic
    assert all(paragraphs[g].runs[0].italic for g in ("Căn cứ Luật Tổ chức chính quyền địa phương;",
                                                      "Căn cứ Quyết định số 19/2014/QĐ-TTg;"))
    first_article = paragraphs["Điều 1. Ban hành kèm theo Quyết định này Quy trình QT-01."]
    assert first_article.runs[0].text == "Điều 1. " and first_article.runs[0].bold
    assert "Điều 2. Quyết định có hiệu lực kể từ ngày ký." in paragraphs
    assert paragraphs["Nơi nhận:"].runs[0].bold and paragraphs["Nơi nhận:"].runs[0].italic
    assert paragraphs["Lê Quang Vũ"].runs[0].bold


def test_archive_line_is_kept_when_given_and_number_of_two_digits():
    texts = _texts(_decision(number=15, recipients=["UBND tỉnh;", "Lưu: VT, VP."]))
    assert "Số: 15/QĐ-UBND" in texts
    assert texts.count("- Lưu: VT, VP.") == 1 and "- Lưu: VT." not in texts


def test_draft_decision_without_number_or_date():
    texts = _texts(_decision(number=None, date=None, signer_prefix="", signer_name="", recipients=[]))
    assert any(t.startswith("Số:") and t.endswith("/QĐ-UBND") for t in texts)
    assert any(t.startswith("Lào Cai, ngày ") for t in texts)
    assert "- Lưu: VT." in texts
