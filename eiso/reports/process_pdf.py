"""The process document as HTML (for web pages) and as PDF (WeasyPrint)."""

import logging

from django.template.loader import render_to_string

from eiso.core.errors import ApplicationError
from eiso.reports import labels, layout
from eiso.reports.process_model import (
    APPROVAL_WIDTHS_MM,
    HEADER_WIDTHS_MM,
    SIGNATURE_HEIGHT_MM,
    build_process_document,
    column_styles,
)

PANGO_HINT = (
    "PDF rendering needs the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz0b fonts-liberation (then restart the application). Details: {error}"
)


def layout_context() -> dict:
    """The layout.py values the CSS templates need, as strings (never localised by the template engine)."""
    return {
        "font_family": layout.CSS_FONT_FAMILY,
        "body_pt": str(layout.BODY_PT),
        "table_pt": str(layout.TABLE_PT),
        "title_pt": str(layout.BODY_PT + 1),
        "indent_mm": str(layout.FIRST_LINE_INDENT_MM),
        "signature_mm": str(SIGNATURE_HEIGHT_MM),
        "margin_top_mm": str(layout.MARGIN_TOP_MM),
        "margin_right_mm": str(layout.MARGIN_RIGHT_MM),
        "margin_bottom_mm": str(layout.MARGIN_BOTTOM_MM),
        "margin_left_mm": str(layout.MARGIN_LEFT_MM),
        "header_columns": column_styles(HEADER_WIDTHS_MM),
        "approval_columns": column_styles(APPROVAL_WIDTHS_MM),
    }


def process_context(snapshot: dict) -> dict:
    """Context for `reports/process_body.html`, for web pages that include the document body."""
    return {"doc": build_process_document(snapshot), "labels": labels, "layout": layout_context()}


def render_process_html(snapshot: dict) -> str:
    """A standalone HTML page of the process document, without the print-only rules."""
    return render_to_string("reports/process.html", {**process_context(snapshot), "print": False})


def render_process_pdf(snapshot: dict) -> bytes:
    """The process document as PDF bytes: A4, Decree 30 margins, page numbers from page 2."""
    return html_to_pdf(render_to_string("reports/process.html", {**process_context(snapshot), "print": True}))


def html_to_pdf(html: str) -> bytes:
    """A printable HTML page as PDF bytes (WeasyPrint); a clear error when Pango is missing."""
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:  # one INFO line per layout step otherwise, unless logging says so
        progress.setLevel(logging.WARNING)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: the Python package is there but Pango is not
        raise ApplicationError(PANGO_HINT.format(error=error), code="pdf_unavailable") from error
    return HTML(string=html, base_url=None).write_pdf()
