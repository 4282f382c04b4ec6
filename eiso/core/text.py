"""Accent-insensitive text for Vietnamese search: "Hà Nội" and "ha noi" fold to the same key."""

import re
import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
# The blocks of combining marks (Vietnamese tone and vowel marks are in the first one).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(value: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse whitespace."""
    if not value:
        return ""
    stripped = _COMBINING.sub("", unicodedata.normalize("NFD", value.translate(_EXTRA)))
    return " ".join(stripped.lower().split())


def lower_first(text: str) -> str:
    """"Phường Cam Đường" -> "phường Cam Đường", for names used inside a sentence or a title."""
    return text[:1].lower() + text[1:] if text else text
