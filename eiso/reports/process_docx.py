"""The process document (quy trình) as a Word file."""

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Mm

from eiso.reports import labels, layout
from eiso.reports.docx_tools import (
    add_paragraph,
    add_run,
    fill_cell,
    new_document,
    new_table,
    page_break,
    repeat_as_header,
    spacer,
    to_bytes,
)
from eiso.reports.process_model import (
    APPROVAL_WIDTHS_MM,
    HEADER_WIDTHS_MM,
    SIGNATURE_HEIGHT_MM,
    Block,
    ProcessDocument,
    Table,
    build_process_document,
)


def render_process_docx(snapshot: dict) -> bytes:
    """The process document of a snapshot as DOCX bytes (A4, Decree 30 margins, Times New Roman)."""
    model = build_process_document(snapshot)
    document = new_document()
    document.core_properties.title = f"{model.code} {model.title}".strip()
    document.core_properties.language = "vi-VN"
    _header(document, model)
    _approval(document, model)
    add_paragraph(document, labels.AMENDMENT_LOG, bold=True, align="center", after=4).paragraph_format.space_before = (
        Mm(4))
    write_table(document, model.amendments)
    page_break(document)
    for block in model.body:
        write_block(document, block)
    return to_bytes(document)


def _header(document, model: ProcessDocument) -> None:
    table = new_table(document, 1, HEADER_WIDTHS_MM)
    agency, title, identity = table.rows[0].cells
    fill_cell(agency, [model.agency_parent] if model.agency_parent else [], align="center")
    if model.agency_name:
        paragraph = agency.add_paragraph() if model.agency_parent else agency.paragraphs[0]
        paragraph.alignment = agency.paragraphs[0].alignment
        add_run(paragraph, model.agency_name, bold=True, size=layout.TABLE_PT)
    fill_cell(title, [labels.PROCESS], bold=True, align="center", size=layout.BODY_PT + 1)
    paragraph = title.add_paragraph()
    paragraph.alignment = title.paragraphs[0].alignment
    add_run(paragraph, model.title, bold=True, size=layout.BODY_PT)
    if model.status_note:
        paragraph = title.add_paragraph()
        paragraph.alignment = title.paragraphs[0].alignment
        add_run(paragraph, model.status_note, italic=True, size=layout.TABLE_PT)
    fill_cell(identity, [model.code], bold=True)
    for line in (model.issue_line, model.date_line):
        paragraph = identity.add_paragraph()
        paragraph.paragraph_format.space_after = identity.paragraphs[0].paragraph_format.space_after
        add_run(paragraph, line, size=layout.TABLE_PT)
    spacer(document)


def _approval(document, model: ProcessDocument) -> None:
    table = new_table(document, 4, APPROVAL_WIDTHS_MM)
    rows = table.rows
    fill_cell(rows[0].cells[0], [])
    for row, label in zip(rows[1:], (labels.FULL_NAME, labels.SIGNATURE, labels.POSITION), strict=True):
        fill_cell(row.cells[0], [label], bold=True)
    for column, person in enumerate(model.signatories, start=1):
        fill_cell(rows[0].cells[column], [person.role], bold=True, align="center")
        fill_cell(rows[1].cells[column], [person.name], bold=True, align="center")
        fill_cell(rows[2].cells[column], [], align="center")
        fill_cell(rows[3].cells[column], [person.position], align="center")
    rows[2].height = Mm(SIGNATURE_HEIGHT_MM)
    rows[2].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def write_table(document, table: Table):
    """A `process_model.Table`: a bold repeated header row, then the rows with their column spans."""
    result = new_table(document, 1 + len(table.rows), table.widths_mm)
    header = result.rows[0]
    repeat_as_header(header)
    for index, text in enumerate(table.headers):
        fill_cell(header.cells[index], [text], bold=True, align="center")
    for row, cells in zip(result.rows[1:], table.rows, strict=True):
        column = 0
        for cell in cells:
            target = row.cells[column]
            if cell.colspan > 1:
                target = target.merge(row.cells[column + cell.colspan - 1])
            fill_cell(target, cell.lines, bold=cell.bold, align=cell.align)
            column += cell.colspan
    spacer(document)
    return result


def write_block(document, block: Block) -> None:
    if block.kind == "heading1":
        add_run(document.add_paragraph(style="Heading 1"), block.text, bold=True)
    elif block.kind == "heading2":
        add_run(document.add_paragraph(style="Heading 2"), block.text, bold=True)
    elif block.kind == "table" and block.table is not None:
        write_table(document, block.table)
    else:
        paragraph = add_paragraph(document, align="justify", indent_mm=layout.FIRST_LINE_INDENT_MM)
        paragraph.paragraph_format.keep_with_next = block.kind == "step"
        if block.lead:
            add_run(paragraph, block.lead + (" " if block.text else ""), bold=True)
        if block.text:
            add_run(paragraph, block.text, bold=block.bold)
