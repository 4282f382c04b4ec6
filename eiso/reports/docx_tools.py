"""python-docx helpers for Decree 30 documents: page set-up, fonts, page numbers, tables and rules."""

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from eiso.reports import layout

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Elements that follow w:pBdr inside w:pPr (schema order).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def set_fonts(rpr) -> None:
    """Times New Roman for every script slot of a w:rPr (Vietnamese uses the hAnsi slot)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), layout.FONT_NAME)


def new_document(body_pt: float = layout.BODY_PT):
    """An empty A4 portrait document with Decree 30 margins, fonts and page numbers from page 2."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(layout.PAGE_WIDTH_MM), Mm(layout.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP_MM), Mm(layout.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT_MM), Mm(layout.MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(layout.HEADER_DISTANCE_MM)

    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if default_rpr is not None and default_rpr.find(qn("w:rPr")) is not None:
        set_fonts(default_rpr.find(qn("w:rPr")))

    normal = document.styles["Normal"]
    normal.font.name = layout.FONT_NAME
    normal.font.size = Pt(body_pt)
    rpr = normal.element.get_or_add_rPr()
    set_fonts(rpr)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(layout.PARAGRAPH_AFTER_PT)
    normal.paragraph_format.line_spacing = layout.LINE_SPACING
    for name, size in (("Heading 1", body_pt), ("Heading 2", body_pt)):
        style = document.styles[name]
        style.font.name = layout.FONT_NAME
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element.get_or_add_rPr())
        style.paragraph_format.space_before = Pt(8 if name == "Heading 1" else 4)
        style.paragraph_format.space_after = Pt(layout.PARAGRAPH_AFTER_PT)
        style.paragraph_format.keep_with_next = True
    add_page_numbers(section)
    return document


def add_page_numbers(section) -> None:
    """A centred PAGE field in the header of every page but the first."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE", placeholder="2")


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None),
                       ("text", placeholder), ("end", None)):
        run = add_run(paragraph, "" if kind != "text" else text)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run._r.append(element)
        elif kind != "text":
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def add_run(paragraph, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
            size: float | None = None):
    run = paragraph.add_run(text)
    run.font.name = layout.FONT_NAME
    set_fonts(run._r.get_or_add_rPr())
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if underline:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    return run


def add_paragraph(container, text: str = "", *, bold: bool = False, italic: bool = False, underline: bool = False,
                  size: float | None = None, align: str = "left", after: float | None = None,
                  indent_mm: float | None = None):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    if indent_mm is not None:
        paragraph.paragraph_format.first_line_indent = Mm(indent_mm)
    if text:
        add_run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    return paragraph


def short_rule(container, column_mm: float, fraction: float = layout.SHORT_RULE_FRACTION):
    """A short centred horizontal rule: an empty paragraph with a bottom border and equal side indents."""
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    side = max(column_mm * (1 - fraction) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(3)  # exact: the rule sits just below the previous line
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(attr), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)
    return paragraph


def new_table(container, rows: int, widths_mm: list[float], *, grid: bool = True):
    """A fixed-layout table of the given column widths; bordered unless `grid` is false."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    if grid:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    return table


def fill_cell(cell, lines: list[str], *, bold: bool = False, italic: bool = False, align: str = "left",
              size: float | None = layout.TABLE_PT) -> None:
    """Replace a cell's content with one paragraph per line."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = lines or [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.alignment = ALIGN[align]
        paragraph.paragraph_format.space_after = Pt(2)
        if line:
            add_run(paragraph, line, bold=bold, italic=italic, size=size)


def repeat_as_header(row) -> None:
    """Mark a table row as a header row repeated on each page."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def spacer(container, height_pt: float = 6):
    """A thin empty paragraph: separates a table from what follows without a full blank line."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(height_pt)  # exact
    return paragraph


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
