"""An agency's periodic report to the supervising authority (báo cáo tình hình duy trì, áp dụng HTQLCL) as a Word
file in the Decree 30/2020 layout: header block, "BÁO CÁO" with its summary, "Kính gửi" the Department of Science
and Technology, I. the results (figures taken from eISO's records and the coordinator's text), II. the self-assessment
against the inspection points of Circular 26/2014 Art. 36, III. difficulties, IV. proposals, and the signature.

`render_periodic_report_docx(data)` writes the plain data built by `eiso.reporting.documents.report_snapshot`;
every text of the document is Vietnamese, the language of the form.
"""

from __future__ import annotations

from eiso.reports import layout
from eiso.reports.decision_docx import _header, _signature
from eiso.reports.docx_tools import (
    add_paragraph,
    fill_cell,
    new_document,
    new_table,
    repeat_as_header,
    short_rule,
    spacer,
    to_bytes,
)

REPORT = "BÁO CÁO"
SUMMARY = "Tình hình duy trì, áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 {period}"
TO = "Kính gửi: {authority}."
INTRO = ("Thực hiện yêu cầu của {authority} ({title}), {agency} báo cáo tình hình duy trì, áp dụng hệ thống quản lý "
         "chất lượng (HTQLCL) theo TCVN ISO 9001:2015 từ ngày {start} đến ngày {end} như sau:")
SECTION_RESULTS = "I. KẾT QUẢ DUY TRÌ, ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG"
SECTION_POINTS = "II. TỰ ĐÁNH GIÁ THEO NỘI DUNG KIỂM TRA (Điều 36 Thông tư số 26/2014/TT-BKHCN)"
SECTION_DIFFICULTIES = "III. KHÓ KHĂN, VƯỚNG MẮC"
SECTION_PROPOSALS = "IV. ĐỀ XUẤT, KIẾN NGHỊ"
POINT_HEADERS = ("STT", "Nội dung kiểm tra", "Kết quả", "Ghi chú")
POINT_WIDTHS_MM = (11, 74, 22, 58)
MET = {True: "Đạt", False: "Chưa đạt", None: "Chưa xác định"}
REMARK = "Giải trình: {text}"
NONE = "Không có."
NOT_YET = "chưa thực hiện"
DRAFT_NOTE = "DỰ THẢO"
RECIPIENTS = ["Như trên;"]
FIGURE_TITLES = (
    "1. Phạm vi áp dụng",
    "2. Tài liệu của HTQLCL",
    "3. Đánh giá nội bộ và xem xét của lãnh đạo",
    "4. Sự không phù hợp và hành động khắc phục",
    "5. Cập nhật HTQLCL khi văn bản pháp luật thay đổi",
    "6. Kết quả giải quyết hồ sơ thủ tục hành chính",
    "7. Kết quả khác",
)


def section(document, text: str) -> None:
    add_paragraph(document, text, bold=True, after=4)


def lines(document, texts, prefix: str = "- ") -> None:
    texts = [str(text).strip() for text in texts if str(text or "").strip()]
    for text in texts or [NONE]:
        add_paragraph(document, f"{prefix}{text}", align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=2)


def text_block(document, text: str) -> None:
    for line in layout.paragraphs(text) or [NONE]:
        add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=2)


def table(document, headers, widths, rows, aligns=None) -> None:
    grid = new_table(document, 1 + len(rows), list(widths))
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        fill_cell(cell, [str(text)], bold=True, align="center")
    repeat_as_header(grid.rows[0])
    aligns = aligns or ["left"] * len(headers)
    for row, values in zip(grid.rows[1:], rows, strict=True):
        for cell, value, align in zip(row.cells, values, aligns, strict=True):
            fill_cell(cell, layout.paragraphs(str(value)) or [""], align=align)
    spacer(document)


def title_block(document, *, title: str, summary: str) -> None:
    spacer(document, 12)
    add_paragraph(document, title, bold=True, align="center", after=0)
    add_paragraph(document, summary, bold=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)


def _day(value) -> str:
    return layout.short_date(value) or NOT_YET


def figure_lines(figures: dict) -> list[list[str]]:
    """The sentences of part I, one list per numbered item (without the coordinator's results)."""
    procedures = figures.get("procedures") or {}
    scope = []
    if procedures.get("catalogue") is not None:
        scope.append(f"{procedures['covered']}/{procedures['catalogue']} thủ tục hành chính thuộc danh mục có quy "
                     "trình đang áp dụng.")
    scope.append(f"{procedures.get('published', 0)}/{procedures.get('adopted', 0)} quy trình giải quyết thủ tục hành "
                 "chính đã được ban hành.")
    documents = figures.get("documents") or {}
    nonconformities = figures.get("nonconformities") or {}
    legal = figures.get("legal_updates") or {}
    dossiers = figures.get("dossiers") or {}
    rate = dossiers.get("on_time_rate")
    return [
        scope,
        [f"Ban hành mới {documents.get('issued', 0)} tài liệu; sửa đổi, bổ sung {documents.get('revised', 0)} tài "
         "liệu trong kỳ."],
        [f"Đánh giá nội bộ gần nhất: {_day(figures.get('last_audit_on'))}.",
         f"Xem xét của lãnh đạo gần nhất: {_day(figures.get('last_review_on'))}."],
        [f"Phát sinh {nonconformities.get('raised', 0)} sự không phù hợp, đã khắc phục xong "
         f"{nonconformities.get('closed', 0)} trong kỳ; còn {nonconformities.get('open', 0)} chưa khắc phục xong."],
        [f"{legal.get('due', 0)} nhiệm vụ cập nhật đến hạn trong kỳ: {legal.get('on_time', 0)} đúng hạn, "
         f"{legal.get('late', 0)} trễ hạn, {legal.get('open', 0)} đang thực hiện trong thời hạn."],
        [f"{dossiers.get('resolved', 0)} hồ sơ đã giải quyết: {dossiers.get('early', 0)} trước hạn, "
         f"{dossiers.get('on_time', 0)} đúng hạn, {dossiers.get('late', 0)} quá hạn"
         + (f"; tỷ lệ giải quyết đúng hạn {layout.format_number(rate, pad=False)}%." if rate is not None else ".")],
    ]


def render_periodic_report_docx(data: dict) -> bytes:
    """The report as DOCX bytes, from `eiso.reporting.documents.report_snapshot`."""
    document = new_document()
    agency = data["agency"]
    document.core_properties.title = f"{REPORT} {data['period_label']} – {agency['name']}"
    document.core_properties.language = "vi-VN"
    _header(document, parent_body=agency["parent_name"], issuing_body=agency["name"], number=data["number"],
            symbol=data["symbol"], place=agency["place"], date=data["date"])
    if data["is_draft"]:
        add_paragraph(document, DRAFT_NOTE, bold=True, align="right", after=0)
    title_block(document, title=REPORT, summary=SUMMARY.format(period=data["period_label"]))
    add_paragraph(document, TO.format(authority=data["authority"]), align="center", after=8)
    add_paragraph(document, INTRO.format(authority=data["authority"], title=data["period_title"],
                                         agency=agency["name"], start=data["start"], end=data["end"]),
                  align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)

    section(document, SECTION_RESULTS)
    for title, texts in zip(FIGURE_TITLES, figure_lines(data["figures"]), strict=False):
        add_paragraph(document, title, bold=True, italic=True, after=2)
        lines(document, texts)
    add_paragraph(document, FIGURE_TITLES[-1], bold=True, italic=True, after=2)
    text_block(document, data["results"])

    section(document, SECTION_POINTS)
    rows = []
    for number, point in enumerate(data["points"], start=1):
        note = "\n".join(filter(None, [point["detail"], REMARK.format(text=point["remark"]) if point["remark"]
                                       else ""]))
        rows.append((str(number), point["title"], MET[point["met"]], note))
    table(document, POINT_HEADERS, POINT_WIDTHS_MM, rows, aligns=["center", "left", "center", "left"])

    section(document, SECTION_DIFFICULTIES)
    text_block(document, data["difficulties"])
    section(document, SECTION_PROPOSALS)
    text_block(document, data["proposals"])
    spacer(document, 12)
    signer = data["signer"]
    _signature(document, signer_prefix=signer["prefix"], signer_position=signer["position"],
               signer_name=signer["name"], recipients=RECIPIENTS)
    return to_bytes(document)

