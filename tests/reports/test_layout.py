"""Decree 30/2020 conventions shared by every generated document."""

import datetime as dt

from eiso.reports import layout


def test_page_and_margins_follow_decree_30():
    assert (layout.PAGE_WIDTH_MM, layout.PAGE_HEIGHT_MM) == (210, 297)
    assert (layout.MARGIN_TOP_MM, layout.MARGIN_BOTTOM_MM, layout.MARGIN_LEFT_MM, layout.MARGIN_RIGHT_MM) == (
        20, 20, 30, 15)
    assert layout.FONT_NAME == "Times New Roman"
    assert layout.CSS_FONT_FAMILY.startswith('"Times New Roman", "Liberation Serif"')
    assert 13 <= layout.BODY_PT <= 14


def test_place_and_date_has_two_digit_day_and_month():
    assert layout.place_and_date("Lào Cai", "2026-01-05") == "Lào Cai, ngày 05 tháng 01 năm 2026"
    assert layout.place_and_date("Hà Nội", dt.date(2026, 11, 23)) == "Hà Nội, ngày 23 tháng 11 năm 2026"
    assert layout.place_and_date("", "2026-01-05") == "Ngày 05 tháng 01 năm 2026"


def test_place_and_date_without_a_date_leaves_blanks():
    text = layout.place_and_date("Lào Cai", None)
    assert text.startswith("Lào Cai, ngày ") and "tháng" in text and "năm" in text
    assert layout.place_and_date("Lào Cai", "not a date") == text


def test_document_number_pads_under_ten():
    assert layout.document_number(5) == "Số: 05/QĐ-UBND"
    assert layout.document_number(15) == "Số: 15/QĐ-UBND"
    assert layout.document_number("7/QĐ-CT") == "Số: 07/QĐ-CT"
    assert layout.document_number(3, "KH-UBND") == "Số: 03/KH-UBND"
    assert layout.document_number(None).endswith("/QĐ-UBND")


def test_numbers_and_durations_are_written_the_vietnamese_way():
    assert layout.short_date("2026-11-23") == "23/11/2026"
    assert layout.short_date(None) == ""
    assert layout.format_number("3") == "03"
    assert layout.format_number("4.50") == "4,5"
    assert layout.hours_label("24") == "24 giờ làm việc (03 ngày làm việc)"
    assert layout.hours_label("8", days=False) == "08 giờ làm việc"
    assert layout.hours_label("4.5") == "4,5 giờ làm việc"
    assert layout.hours_label(None) == ""
    assert layout.duration_label("3", "working_day") == "03 ngày làm việc"
    assert layout.duration_label("15", "day") == "15 ngày"
    assert layout.duration_label("2", "unknown") == "2"


def test_header_block_columns():
    left, right = layout.header_block("Ủy ban nhân dân tỉnh Lào Cai", "Ủy ban nhân dân phường Cam Đường")
    assert [line.text for line in left] == ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "ỦY BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG"]
    assert not left[0].bold and left[1].bold and left[1].rule_after
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].bold and right[1].underline
