"""Decree 30/2020/NĐ-CP presentation rules shared by the DOCX and PDF renderers.

One source for the page, the fonts, the header block and the way dates and numbers are written, so a
Word file and a PDF of the same document look alike.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from eiso.reports import labels

# A4 portrait, in millimetres.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10
CONTENT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

FONT_NAME = "Times New Roman"
# Liberation Serif is metric-compatible with Times New Roman; DejaVu Serif covers Vietnamese everywhere.
CSS_FONT_FAMILY = '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif'
BODY_PT = 13
HEADER_PT = 13  # the Decree 30 header block (parent body, issuing body, number, motto)
NATIONAL_TITLE_PT = 12  # Decree 30: 12–13 pt; 12 keeps the title on one line in its column
DECISION_BODY_PT = 14
TABLE_PT = 12  # dense tables of the process document
RECIPIENTS_TITLE_PT = 12
RECIPIENTS_PT = 11
LINE_SPACING = 1.15
PARAGRAPH_AFTER_PT = 4
FIRST_LINE_INDENT_MM = 10

# Decree 30 header columns (left: agency and number; right: national title and place/date).
HEADER_COLUMNS_MM = (62, CONTENT_WIDTH_MM - 62)

# The short rule under the issuing body and the document summary: about a third of its column.
SHORT_RULE_FRACTION = 0.35


@dataclass(frozen=True)
class HeaderLine:
    """One line of the Decree 30 header block."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    rule_after: bool = False  # a short centred rule below the line


def header_block(parent_body: str, issuing_body: str) -> tuple[list[HeaderLine], list[HeaderLine]]:
    """The left (agency) and right (national title) columns of the Decree 30 header."""
    left = []
    if parent_body:
        left.append(HeaderLine(upper(parent_body)))
    if issuing_body:
        left.append(HeaderLine(upper(issuing_body), bold=True, rule_after=True))
    right = [
        HeaderLine(labels.NATIONAL_TITLE, bold=True),
        HeaderLine(labels.NATIONAL_MOTTO, bold=True, underline=True),
    ]
    return left, right


def upper(text: str | None) -> str:
    return (text or "").strip().upper()


def parse_date(value) -> dt.date | None:
    """A date from a `date`, an ISO "YYYY-MM-DD" string, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def short_date(value) -> str:
    """"23/11/2026" — the form used in tables and the process header; "" when there is no date."""
    date = parse_date(value)
    return date.strftime("%d/%m/%Y") if date else ""


def place_and_date(place: str | None, date) -> str:
    """The italic place-and-date line: "Lào Cai, ngày 05 tháng 01 năm 2026".

    Day and month take two digits. Without a date the parts are left blank to be filled in by hand.
    """
    parsed = parse_date(date)
    if parsed:
        day, month, year = f"{parsed.day:02d}", f"{parsed.month:02d}", str(parsed.year)
    else:
        day = month = year = labels.BLANK_DATE_PART
    text = f"{labels.DAY} {day} {labels.MONTH} {month} {labels.YEAR} {year}"
    place = (place or "").strip()
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def document_number(number, symbol: str = labels.DEFAULT_DECISION_SYMBOL) -> str:
    """"Số: 05/QĐ-UBND": the yearly number with a leading zero under 10, then the symbol.

    `number` may be an int, a digit string, a full "15/QĐ-UBND" or empty (a draft: "Số:      /QĐ-UBND").
    """
    text = str(number).strip() if number is not None else ""
    if "/" in text:
        head, _, symbol = text.partition("/")
        text = head.strip()
    if text.isdigit():
        text = f"{int(text):02d}"
    elif not text:
        text = "\u00a0" * 6
    return f"{labels.NUMBER_PREFIX} {text}/{symbol}" if symbol else f"{labels.NUMBER_PREFIX} {text}"


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, *, pad: bool = True) -> str:
    """Vietnamese number: "03" (two digits when whole and under 10), "4,5" (decimal comma)."""
    number = to_decimal(value)
    if number is None:
        return str(value or "")
    if number == number.to_integral_value():
        whole = int(number)
        return f"{whole:02d}" if pad and 0 <= whole < 10 else str(whole)
    return format(number.normalize(), "f").replace(".", ",")


def hours_label(hours, *, days: bool = True) -> str:
    """"04 giờ làm việc"; with `days`, whole days are added: "24 giờ làm việc (03 ngày làm việc)"."""
    number = to_decimal(hours)
    if number is None:
        return ""
    if days and number >= 8 and number % 8 == 0:
        return labels.WORKING_HOURS_AND_DAYS.format(hours=format_number(number), days=format_number(number / 8))
    return labels.WORKING_HOURS.format(n=format_number(number))


def duration_label(duration, unit: str | None) -> str:
    """A case's statutory deadline from its amount and unit, when no printed label is given."""
    if duration in (None, ""):
        return ""
    template = labels.DURATION_UNITS.get(unit or "")
    return template.format(n=format_number(duration)) if template else str(duration)


def paragraphs(text: str | None) -> list[str]:
    """Non-empty lines of a free text, each one paragraph."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
