"""The decision announcing conformity of a QMS as a Word file in the Decree 30/2020 layout: the header block, "QUYẾT
ĐỊNH" with its summary, the grounds, the articles, the signature block with "Nơi nhận:", and on a new page the
appendix listing the procedures in scope. It takes the plain data of eiso.announcements.documents.decision_data
(statutory Vietnamese text)."""

from docx.shared import Pt

from eiso.reports import labels, layout
from eiso.reports.decision_docx import _header, _signature
from eiso.reports.docx_tools import (
    add_paragraph,
    add_run,
    fill_cell,
    new_document,
    new_table,
    page_break,
    repeat_as_header,
    short_rule,
    spacer,
    to_bytes,
)


def _appendix(document, appendix: dict) -> None:
    page_break(document)
    add_paragraph(document, appendix["title"], bold=True, align="center", after=0)
    add_paragraph(document, appendix["of"], italic=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 8)
    rows = appendix["rows"]
    table = new_table(document, 1 + len(rows), list(appendix["widths_mm"]))
    for cell, text in zip(table.rows[0].cells, appendix["headers"], strict=True):
        fill_cell(cell, [text], bold=True, align="center")
    repeat_as_header(table.rows[0])
    for row, values in zip(table.rows[1:], rows, strict=True):
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            fill_cell(cell, [str(value)], align="center" if index in (0, 1) else "left")


def render_announcement_docx(data: dict) -> bytes:
    """The decision as DOCX bytes (a draft is marked DỰ THẢO and has no number, date or signer's name)."""
    document = new_document(body_pt=layout.DECISION_BODY_PT)
    document.core_properties.title = f"{data['title']} {data['number_display']} {data['summary']}".replace("  ", " ")
    document.core_properties.language = "vi-VN"
    if data["draft"]:
        marker = add_paragraph(document, data["draft_label"], bold=True, align="right", after=4)
        marker.paragraph_format.space_before = Pt(0)
    _header(document, parent_body=data["parent_body"], issuing_body=data["issuing_body"], number=data["number"],
            symbol=data["symbol"], place=data["place"], date=data["date"])
    spacer(document, 12)
    add_paragraph(document, layout.upper(data["title"]) or labels.DECISION, bold=True, align="center", after=0)
    for line in layout.paragraphs(data["summary"]):
        add_paragraph(document, line, bold=True, align="center", after=0)
    short_rule(document, layout.CONTENT_WIDTH_MM, fraction=0.2)
    spacer(document, 6)
    add_paragraph(document, layout.upper(data["authority"]), bold=True, align="center", after=8)
    for ground in data["grounds"]:
        add_paragraph(document, ground, italic=True, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    add_paragraph(document, labels.DECISION_OPERATIVE, bold=True, align="center", after=8)
    for number, article in enumerate(data["articles"], start=1):
        lines = layout.paragraphs(article)
        paragraph = add_paragraph(document, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
        add_run(paragraph, labels.ARTICLE.format(n=number) + " ", bold=True)
        add_run(paragraph, lines[0])
        for line in lines[1:]:
            add_paragraph(document, line, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM, after=4)
    spacer(document, 12)
    _signature(document, signer_prefix=data["signer_prefix"], signer_position=data["signer_position"],
               signer_name=data["signer_name"], recipients=data["recipients"])
    if data["appendix"]:
        _appendix(document, data["appendix"])
    return to_bytes(document)
