"""The decision announcing conformity of a QMS as HTML and PDF (WeasyPrint), in the same Decree 30/2020 layout as
the Word file (eiso.reports.announcement_docx). It takes the plain data of
eiso.announcements.documents.decision_data."""

from django.template.loader import render_to_string

from eiso.reports import labels, layout
from eiso.reports.process_model import column_styles
from eiso.reports.process_pdf import html_to_pdf, layout_context

SIGNATURE_SPACE_MM = 28


def announcement_context(data: dict) -> dict:
    """The template context of `announcements/decision_print.html`."""
    page = {**layout_context(), "header_pt": str(layout.HEADER_PT), "national_pt": str(layout.NATIONAL_TITLE_PT),
            "decision_pt": str(layout.DECISION_BODY_PT),
            "decree_header_columns": column_styles(layout.HEADER_COLUMNS_MM),
            "signature_space_mm": str(SIGNATURE_SPACE_MM),
            "rule_width": f"{layout.SHORT_RULE_FRACTION * 100:.0f}%"}
    left, right = layout.header_block(data["parent_body"], data["issuing_body"])
    articles = []
    for number, article in enumerate(data["articles"], start=1):
        lines = layout.paragraphs(article)
        articles.append({"label": labels.ARTICLE.format(n=number), "first": lines[0], "more": lines[1:]})
    appendix = data["appendix"]
    return {
        "data": data, "labels": labels, "layout": page,
        "header_left": left, "header_right": right,
        "number_line": layout.document_number(data["number"], data["symbol"]),
        "place_date": layout.place_and_date(data["place"], data["date"]),
        "title": layout.upper(data["title"]) or labels.DECISION, "summary": layout.paragraphs(data["summary"]),
        "authority": layout.upper(data["authority"]),
        "articles": articles,
        "signer_lines": [layout.upper(text) for text in (data["signer_prefix"], data["signer_position"]) if text],
        "recipients": [item if item.startswith("-") else f"- {item}" for item in data["recipients"]],
        "appendix": appendix,
        "appendix_columns": column_styles(appendix["widths_mm"]) if appendix else [],
    }


def render_announcement_html(data: dict, *, print_: bool = False) -> str:
    return render_to_string("announcements/decision_print.html", {**announcement_context(data), "print": print_})


def render_announcement_pdf(data: dict) -> bytes:
    """The decision as PDF bytes: A4, Decree 30 margins, page numbers from page 2."""
    return html_to_pdf(render_announcement_html(data, print_=True))
