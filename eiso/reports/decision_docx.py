"""A Decree 30/2020 decision (quyết định) as a Word file: header block, grounds, articles, signature."""

from docx.shared import Pt

from eiso.reports import labels, layout
from eiso.reports.docx_tools import (
    ALIGN,
    add_paragraph,
    add_run,
    new_document,
    new_table,
    short_rule,
    spacer,
    to_bytes,
)


def _line(cell_or_doc, line: layout.HeaderLine, column_mm: float, size: float, first: bool = False):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = ALIGN["center"]
    paragraph.paragraph_format.space_after = Pt(0)
    add_run(paragraph, line.text, bold=line.bold, italic=line.italic, underline=line.underline, size=size)
    if line.rule_after:
        short_rule(cell_or_doc, column_mm)
    return paragraph


def _header(document, *, parent_body, issuing_body, number, symbol, place, date) -> None:
    left_mm, right_mm = layout.HEADER_COLUMNS_MM
    table = new_table(document, 2, list(layout.HEADER_COLUMNS_MM), grid=False)
    left, right = layout.header_block(parent_body, issuing_body)
    agency, national = table.rows[0].cells
    for index, line in enumerate(left or [layout.HeaderLine("")]):
        _line(agency, line, left_mm, layout.HEADER_PT, first=index == 0)
    for index, line in enumerate(right):
        size = layout.NATIONAL_TITLE_PT if index == 0 else layout.HEADER_PT
        _line(national, line, right_mm, size, first=index == 0)
    number_cell, date_cell = table.rows[1].cells
    _line(number_cell, layout.HeaderLine(layout.document_number(number, symbol)), left_mm, layout.HEADER_PT, first=True)
    _line(date_cell, layout.HeaderLine(layout.place_and_date(place, date), italic=True), right_mm,
          layout.DECISION_BODY_PT, first=True)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(4 if row is table.rows[1] else 0)


def _signature(document, *, signer_prefix, signer_position, signer_name, recipients) -> None:
    left_mm, right_mm = layout.HEADER_COLUMNS_MM
    table = new_table(document, 1, [left_mm, right_mm], grid=False)
    to, signer = table.rows[0].cells
    paragraph = to.paragraphs[0]
    add_run(paragraph, labels.RECIPIENTS, bold=True, italic=True, size=layout.RECIPIENTS_TITLE_PT)
    items = [str(r).strip() for r in recipients or [] if str(r).strip()]
    if not any(item.lstrip("- ").startswith(labels.ARCHIVE_PREFIX) for item in items):
        items.append(labels.ARCHIVE_RECIPIENT)
    for item in items:
        line = to.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        add_run(line, item if item.startswith("-") else f"- {item}", size=layout.RECIPIENTS_PT)
    first = True
    for text in (signer_prefix, signer_position):
        if text:
            _line(signer, layout.HeaderLine(layout.upper(text), bold=True), right_mm, layout.DECISION_BODY_PT,
                  first=first)
            first = False
    for _ in range(4):  # room for the signature and seal
        signer.add_paragraph()
    if signer_name:
        _line(signer, layout.HeaderLine(signer_name, bold=True), right_mm, layout.DECISION_BODY_PT)


def render_decision_docx(*, parent_body: str, issuing_body: str, number, place: str, date, title: str, summary: str,
                         grounds: list[str], articles: list[str], signer_prefix: str, signer_position: str,
                         signer_name: str, recipients: list[str], symbol: str = labels.DEFAULT_DECISION_SYMBOL,
                         authority: str = "") -> bytes:
    """A decision as DOCX bytes.

    number: the yearly number (5 → "Số: 05/QĐ-UBND"), or a full "15/QĐ-UBND", or empty for a draft;
    date: a date, an ISO string or None (left blank); title: the document type (default "QUYẾT ĐỊNH");
    summary: "Về việc …"; grounds: the "Căn cứ …" lines (italic, one per line); articles: the article
    texts without their "Điều n." prefix; signer_prefix: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", … or "";
    signer_position: "CHỦ TỊCH"; recipients: "Như Điều 3;" …, "- Lưu: VT." is added when missing;
    authority: the line above the grounds (default: the issuing body in capitals).
    """
    document = new_document(body_pt=layout.DECISION_BODY_PT)
    document.core_properties.title = " ".join(filter(None, [layout.upper(title) or labels.DECISION, summary or ""]))
    document.core_properties.language = "vi-VN"
    _header(document, parent_body=parent_body, issuing_body=issuing_body, number=number, symbol=symbol,
            place=place, date=date)
    spacer(document, 12)
    add_paragraph(document, layout.upper(title) or labels.DECISION, bold=True, align="center", after=0)
    for line in layout.paragraphs(summary):
        add_paragraph(document, line, bold=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)
    heading = layout.upper(authority) or layout.upper(issuing_body)
    if heading:
        add_paragraph(document, heading, bold=True, align="center", after=8)
    for ground in grounds or []:
        if str(ground).strip():
            add_paragraph(document, str(ground).strip(), italic=True, align="justify",
                          indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    add_paragraph(document, labels.DECISION_OPERATIVE, bold=True, align="center", after=8)
    for number_, article in enumerate([a for a in articles or [] if str(a).strip()], start=1):
        lines = layout.paragraphs(article)
        paragraph = add_paragraph(document, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
        add_run(paragraph, labels.ARTICLE.format(n=number_) + " ", bold=True)
        add_run(paragraph, lines[0])
        for line in lines[1:]:
            add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    spacer(document, 12)
    _signature(document, signer_prefix=signer_prefix, signer_position=signer_position, signer_name=signer_name,
               recipients=recipients)
    return to_bytes(document)
