"""Cleaning the text of the national portal: no HTML, no invisible marks, one bullet, one space.

The portal's fields are typed by hand in many agencies: they carry HTML fragments and entities, Word's
bullet characters, non-breaking spaces, zero-width and direction marks, decomposed Vietnamese accents
and literal "\\t" sequences. `clean_text` turns them into plain text and says whether it removed HTML.
"""

import html
import re
import unicodedata

from django.utils.html import strip_tags

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>|<!--.*?-->", re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_BREAK = re.compile(r"<\s*(?:br|/p|/div|/ul|/ol|/tr|/h[1-6]|p|div|tr)\b[^>]*>", re.I)
_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
# Zero-width and bidirectional marks (the portal has U+200E inside words), BOM, soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff]")
# Bullets at the start of a line (Word's Symbol-font bullets U+F0B7, U+F0A7 included; an en or em
# dash opening a line is a bullet too). "+" and "*" are kept: Vietnamese texts use them for
# sub-items and notes ("* Lưu ý:").
_BULLET = re.compile(r"^[•●◦▪■□▫►▸‣⁃∙·\uf0b7\uf0a7\uf0d8\uf076–—]\s*")
_LITERAL_ESCAPES = re.compile(r"\\[tnr]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def has_html(value: str) -> bool:
    return ("<" in value and _TAG.search(value) is not None) or ("&" in value and _ENTITY.search(value) is not None)


def _unhtml(value: str) -> str:
    value = _ITEM.sub("\n- ", value)
    value = _BREAK.sub("\n", value)
    for _ in range(3):  # an escaped tag (&lt;b&gt;) becomes a tag once unescaped: strip it too
        value = html.unescape(strip_tags(value))
        if not has_html(value):
            break
    return value


def _line(value: str) -> str:
    value = " ".join(value.split())  # str.split() also splits on U+00A0 and the other Unicode spaces
    return _BULLET.sub("- ", value) if value else value


def clean_text(value, *, multiline: bool = False) -> tuple[str, bool]:
    """(plain text, whether HTML tags or entities were removed). Single-line text has its whitespace
    collapsed; multi-line text keeps its lines (each collapsed) and at most one blank line in a row."""
    if value is None:
        return "", False
    if not isinstance(value, str):
        value = str(value)
    value = unicodedata.normalize("NFC", value)
    removed = has_html(value)
    if removed:
        value = unicodedata.normalize("NFC", _unhtml(value))
    if "\\" in value:
        value = _LITERAL_ESCAPES.sub(lambda m: "\n" if m.group(0) == "\\n" else " ", value)
    if _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        return _line(value), removed
    text = "\n".join(_line(line) for line in value.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", text).strip(), removed


def match_key(value: str) -> str:
    """Lower-case NFC text with one spelling of "ủy" (the portal writes both ủy and uỷ)."""
    value = unicodedata.normalize("NFC", value or "").lower().replace("uỷ", "ủy")
    return " ".join(value.split())
