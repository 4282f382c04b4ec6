"""Accent-insensitive text for Vietnamese search: "Hà Nội" and "ha noi" fold to the same key."""

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(value: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse whitespace."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def lower_first(text: str) -> str:
    """"Phường Cam Đường" -> "phường Cam Đường", for names used inside a sentence or a title."""
    return text[:1].lower() + text[1:] if text else text
