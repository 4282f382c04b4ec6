"""The process document as PDF (WeasyPrint) and as HTML for web pages."""

import copy
import io
import sys

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from eiso.core.errors import ApplicationError
from eiso.reports.process_pdf import process_context, render_process_html, render_process_pdf
from tests.reports.conftest import BIRTH_REGISTRATION, EMPTY


@pytest.fixture(scope="module")
def pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render_process_pdf(copy.deepcopy(BIRTH_REGISTRATION))))


def _text(reader: PdfReader) -> str:
    """All pages' text with whitespace (line breaks inside table cells) collapsed."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_is_a4(pdf):
    assert len(pdf.pages) >= 1
    box = pdf.pages[0].mediabox
    assert float(box.width) == pytest.approx(595, abs=2)
    assert float(box.height) == pytest.approx(842, abs=2)


def test_pdf_text_keeps_structure_and_diacritics(pdf):
    text = _text(pdf)
    for phrase in ("QUY TRÌNH", "Quy trình giải quyết thủ tục đăng ký khai sinh", "QT-01", "Lần ban hành: 1",
                   "Người phê duyệt", "Lê Quang Vũ", "THEO DÕI SỬA ĐỔI TÀI LIỆU", "1. MỤC ĐÍCH",
                   "5.8. Quy trình xử lý công việc", "B1", "B5", "Tổng thời gian", "7. HỒ SƠ CẦN LƯU",
                   "Chuyển hồ sơ <b>& thẩm định"):
        assert phrase in text, phrase


def test_pdf_numbers_pages_from_two(pdf):
    # The body starts on page 2; WeasyPrint writes the page-margin boxes after the page content.
    assert len(pdf.pages) >= 2
    assert pdf.pages[0].extract_text().split()[-1] != "1"
    for number, page in enumerate(pdf.pages[1:], start=2):
        assert page.extract_text().split()[-1] == str(number)


def test_empty_snapshot_renders_a_pdf():
    reader = PdfReader(io.BytesIO(render_process_pdf(copy.deepcopy(EMPTY))))
    assert "QT-02" in _text(reader)


def test_missing_weasyprint_is_a_clear_application_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` fail
    with pytest.raises(ApplicationError, match="Pango"):
        render_process_pdf(copy.deepcopy(BIRTH_REGISTRATION))


def test_html_escapes_user_text_and_has_no_print_rules(snapshot):
    html = render_process_html(snapshot)
    assert html.startswith("<!DOCTYPE html>")
    assert "Chuyển hồ sơ &lt;b&gt;&amp; thẩm định &quot;sơ bộ&quot;" in html
    assert "<b>&" not in html
    assert "@page" not in html
    assert '"Times New Roman", "Liberation Serif"' in html  # the font stack is not HTML-escaped in <style>


def test_body_template_can_be_included_in_a_page(snapshot):
    body = render_to_string("reports/process_body.html", process_context(snapshot))
    assert body.lstrip().startswith('<article class="rpt-process">')
    assert "5.8. Quy trình xử lý công việc" in body and "<html" not in body
