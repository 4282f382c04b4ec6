"""Read Vietnamese legal-document references: "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ Tư pháp".

Pure Python (no Django). The national procedure catalogue gives each legal basis as a messy pair
(code, name); `parse_legal_basis(code, name)` reads one, `parse_reference(text)` reads a single string
and `extract_all(text)` lists every reference a text mentions. The rules:

* Number: ``<seq>/<year>/<suffix>`` or, without a year, ``<seq>/<suffix>``. seq is digits with an optional
  letter or ".part" (``09b``, ``08.a``, ``66.18``); the year has 4 digits and must be 1945-2099; the suffix
  is dash-joined segments that start upper-case (``NĐ-CP``, ``QH15``, ``TTLT-BTP-BCA-BYT``, ``QĐ-TTg``), so
  "TT-BCAngày" reads TT-BCA. Spaces around slashes, a dot before a slash and trailing punctuation go; en/em
  dashes become "-"; lookalikes are fixed (``ND`` → ``NĐ``, ``QD`` → ``QĐ``, ``HDND`` → ``HĐND``, ``Ð`` →
  ``Đ``). The number is taken from the code, else from the name; with none, LegalParseError.
* normalized_key: the number upper-cased (Đ kept), leading zeros of seq dropped ("9/…" = "09/…").
* Type: a type word right before the number in the code ("Luật số 50/2014/QH13"), else one opening the code
  or the name ("Bộ luật Dân sự", "Quyết định công bố ..."), else the suffix's first segment (NĐ decree, QĐ
  decision, TT circular, TTLT joint circular, NQ resolution, CT directive, PL or UBTVQH ordinance). A TTLT
  number is always a joint circular. Laws and resolutions of the National Assembly share the bare ``QH<n>``
  suffix: with no type word it is a resolution when the title opens as resolutions do ("Quy định ...",
  "Về ...", "Thí điểm ...", "Phê chuẩn/duyệt ..."), otherwise a law. Anything else is "other".
* Date: "ngày 02/8/2023" or "ngày 28 tháng 7 năm 2020" right after the number (or after "ban hành"), or,
  when the name has no number, right after a short heading opening with a type word ("Luật Đất đai ngày
  18/01/2024"). Dates further on belong to other documents and are ignored.
* Issuer: the capitalised words after the "của" that follows the number and date, up to punctuation or a
  verb ("quy định", "về", "sửa đổi", "hướng dẫn", ...), at most 12 words; else the bodies the suffix names
  (CP → Chính phủ, TT-BTP → Bộ Tư pháp, TTLT-BTP-BCA → "Bộ Tư pháp, Bộ Công an"); else "".
* Title: the name without its leading "<Type> [số] <number> [ngày <date>] [của <issuer>]". A short title
  before the number stays ("Luật Nhà ở số 27/2023/QH15" → "Luật Nhà ở") and a law keeps its type word
  ("Luật 25/2008/QH12 - Bảo hiểm y tế" → "Luật Bảo hiểm y tế"). When nothing is left, the whole name; the
  title is empty only when the name is empty or nothing but the number.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

CONSTITUTION, CODE_LAW, LAW, ORDINANCE = "constitution", "code_law", "law", "ordinance"
RESOLUTION, DECREE, DECISION, CIRCULAR = "resolution", "decree", "decision", "circular"
JOINT_CIRCULAR, DIRECTIVE, OFFICIAL_LETTER, OTHER = "joint_circular", "directive", "official_letter", "other"
DOC_TYPES = (CONSTITUTION, CODE_LAW, LAW, ORDINANCE, RESOLUTION, DECREE, DECISION, CIRCULAR, JOINT_CIRCULAR,
             DIRECTIVE, OFFICIAL_LETTER, OTHER)
MIN_YEAR, MAX_YEAR = 1945, 2099
_MAX_HEAD_WORDS = 12

_TYPE_WORDS = {
    "hiến pháp": CONSTITUTION, "bộ luật": CODE_LAW, "luật": LAW, "pháp lệnh": ORDINANCE,
    "nghị quyết": RESOLUTION, "nghị định": DECREE, "quyết định": DECISION, "thông tư liên tịch": JOINT_CIRCULAR,
    "thông tư liên tich": JOINT_CIRCULAR, "thông tư": CIRCULAR, "chỉ thị": DIRECTIVE, "công văn": OFFICIAL_LETTER,
}
_KIND_BY_CODE = {"NĐ": DECREE, "QĐ": DECISION, "TT": CIRCULAR, "TTLT": JOINT_CIRCULAR, "NQ": RESOLUTION,
                 "CT": DIRECTIVE, "PL": ORDINANCE, "UBTVQH": ORDINANCE, "QH": LAW}
_LOOKALIKES = {"ND": "NĐ", "QD": "QĐ", "HDND": "HĐND", "HDTP": "HĐTP", "BGDDT": "BGDĐT", "BLDTBXH": "BLĐTBXH",
               "BKHDT": "BKHĐT"}
_BODIES = {
    "CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ", "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CTN": "Chủ tịch nước", "VPCP": "Văn phòng Chính phủ", "TTCP": "Thanh tra Chính phủ",
    "KTNN": "Kiểm toán nhà nước", "NHNN": "Ngân hàng Nhà nước Việt Nam", "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao", "HĐTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "BTP": "Bộ Tư pháp", "BTC": "Bộ Tài chính",
    "BNV": "Bộ Nội vụ", "BCA": "Bộ Công an", "BYT": "Bộ Y tế", "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BXD": "Bộ Xây dựng", "BKHCN": "Bộ Khoa học và Công nghệ", "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BCT": "Bộ Công Thương", "BGTVT": "Bộ Giao thông vận tải", "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BTTTT": "Bộ Thông tin và Truyền thông", "BQP": "Bộ Quốc phòng", "BNG": "Bộ Ngoại giao",
    "UBDT": "Ủy ban Dân tộc", "BDTTG": "Bộ Dân tộc và Tôn giáo",
}

_DASH = r"\-\u2010\u2011\u2013\u2014\u2212"
_SEG = r"(?:TTg|[A-ZĐÐ][A-ZĐÐ0-9]*)"
_NUMBER = re.compile(
    rf"(?<![\w/.])(?P<seq>\d{{1,5}}(?:[a-zA-Z]|\.[a-zA-Z0-9]{{1,3}})?)\.?\s*/\s*(?:(?P<year>\d{{4}})\s*/\s*)?"
    rf"(?P<suffix>{_SEG}(?:[{_DASH}]{_SEG})*)"
)
_TYPE = "|".join(w.replace(" ", r"\s+") for w in sorted(_TYPE_WORDS, key=len, reverse=True))
_TYPE_AT_START = re.compile(rf"\s*({_TYPE})\b", re.I)
_TYPE_BEFORE = re.compile(rf"\b({_TYPE})\s*(?:số\s*)?$", re.I)
_DATE = r"(?P<d>\d{1,2})\s*(?:[/.-]|\s+tháng\s+)\s*(?P<m>\d{1,2})\s*(?:[/.-]|\s+năm\s+)\s*(?P<y>\d{4})"
_DATE_AFTER = re.compile(rf"\s*,?\s*(?:ban\s+hành\s+)?ngày\s*{_DATE}", re.I)
_HEAD_DATE = re.compile(rf"\bngày\s*{_DATE}", re.I)
_STOPS = (r"quy\s+định|về|sửa\s+đổi|bổ\s+sung|hướng\s+dẫn|ban\s+hành|bãi\s+bỏ|được|tại|theo|thực\s+hiện"
          r"|công\s+bố|phê\s+duyệt|ngày")
_ISSUER_AFTER = re.compile(
    rf"\s*,?\s*của\s+(?P<issuer>[^:;.()\[\]]+?)(?=\s*(?:[:;.()\[\]]|$)|\s+(?:{_STOPS})\b|\s+[{_DASH}]\s)", re.I
)
_RESOLUTION_START = re.compile(r"(?:quy\s+định|về|thí\s+điểm|phê\s+chuẩn|phê\s+duyệt)\b", re.I)
_LAW_START = re.compile(r"(?:bộ\s+)?luật\b", re.I)
_EDGES = re.compile(rf"^[\s.,;:{_DASH}]+|[\s.,;:{_DASH}]+$")


class LegalParseError(ValueError):
    """No document number could be read; `reason` says why in a few English words."""

    def __init__(self, reason: str, text: str = ""):
        # A developer's message (logs, tracebacks); users get services' translated message with `reason`.
        super().__init__("%s: %r" % (reason, text) if text else reason)  # noqa: UP031
        self.reason = reason
        self.text = text


@dataclass(frozen=True)
class LegalReference:
    number: str  # "03/2023/TT-BTP", normalised
    doc_type: str  # one of DOC_TYPES
    year: int | None  # from the number
    issue_date: dt.date | None
    issuer: str  # "Bộ trưởng Bộ Tư pháp" as written, else inferred from the suffix, else ""
    title: str
    normalized_key: str  # shared by every spelling of the same number, for de-duplication


def _clean(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def _strip(text: str) -> str:
    return _EDGES.sub("", text)


def _number(match: re.Match) -> tuple[str, int | None, list[str]]:
    """The normalised number of a _NUMBER match, its year and its suffix segments."""
    suffix = re.sub(f"[{_DASH}]", "-", match["suffix"].replace("Ð", "Đ"))
    segments = [_LOOKALIKES.get(s.upper(), s) for s in suffix.split("-")]
    year = int(match["year"]) if match["year"] else None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise LegalParseError(f"implausible year {year}", match[0])
    number = "/".join(p for p in (match["seq"], match["year"], "-".join(segments)) if p)
    return number, year, segments


def _key(number: str) -> str:
    seq, rest = number.split("/", 1)
    return f"{seq.lstrip('0') or '0'}/{rest}".upper()


def _word_kind(word: str | None) -> str | None:
    return _TYPE_WORDS[" ".join(word.lower().split())] if word else None


def _word_before(text: str, pos: int) -> str | None:
    match = _TYPE_BEFORE.search(text[:pos])
    return match[1] if match else None


def _type_at_start(text: str) -> str | None:
    match = _TYPE_AT_START.match(text)
    return match[1] if match else None


def _date(match: re.Match) -> dt.date | None:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _meta(text: str, pos: int) -> tuple[dt.date | None, str, int]:
    """The date and issuer written from `pos` on (" ngày 02/8/2023 của Bộ Tư pháp"), and where they end."""
    date, issuer = None, ""
    if match := _DATE_AFTER.match(text, pos):
        date, pos = _date(match), match.end()
    match = _ISSUER_AFTER.match(text, pos)
    if match and match["issuer"][0].isupper() and len(match["issuer"].split()) <= _MAX_HEAD_WORDS:
        issuer, pos = match["issuer"].strip(" ,"), match.end()
        if date is None and (match := _DATE_AFTER.match(text, pos)):
            date, pos = _date(match), match.end()
    return date, issuer, pos


def _safe_number(match: re.Match) -> str:
    try:
        return _number(match)[0]
    except LegalParseError:
        return "0/"


def _split_name(name: str, key: str) -> tuple[str, dt.date | None, str, str] | None:
    """(heading, date, issuer, rest) when the name opens with a reference to the document, else None."""
    match = next((m for m in _NUMBER.finditer(name) if _key(_safe_number(m)) == key), None)
    if match:
        head, pos = name[:match.start()], match.end()
    elif (match := _HEAD_DATE.search(name)) and match.start() > 0:
        head, pos = name[:match.start()], match.start()
    else:
        return None
    if _NUMBER.search(head) or len(head.split()) > _MAX_HEAD_WORDS or (head and not _TYPE_AT_START.match(head)):
        return None
    date, issuer, end = _meta(name, pos)
    return head, date, issuer, name[end:]


def _kind(segments: list[str], word: str | None, opening: str) -> str:
    code = re.sub(r"\d+$", "", segments[0].upper())
    kind = _word_kind(word) or _KIND_BY_CODE.get(code, OTHER)
    if code == "TTLT" and kind == CIRCULAR:
        return JOINT_CIRCULAR
    if not word and code == "QH" and len(segments) == 1 and _RESOLUTION_START.match(opening):
        return RESOLUTION
    return kind


def _bodies(segments: list[str]) -> str:
    names = (_BODIES.get(re.sub(r"\d+$", "", s.upper())) for s in (segments[1:] or segments))
    return ", ".join(n for n in names if n)


def _title(name: str, split: tuple | None, kind: str) -> str:
    whole = _strip(name)
    if split is None:
        return whole
    head = _strip(re.sub(r"\bsố\s*$", "", split[0], flags=re.I))
    rest = _strip(split[3])
    if head and not re.fullmatch(_TYPE, head, re.I):
        title = f"{head} {rest}"
    elif head and rest and kind in (LAW, CODE_LAW) and not _LAW_START.match(rest):
        title = f"{head} {rest}"
    else:
        title = rest
    title = title.strip()
    return title or ("" if _NUMBER.fullmatch(whole) else whole)


def parse_legal_basis(code: str | None, name: str | None = "") -> LegalReference:
    """Read a catalogue legal basis: `code` ("49/2026/NĐ-CP", "Nghị định số 50/2026/NĐ-CP", may be empty) and
    `name` (its title, often with the reference repeated). Raises LegalParseError without a number."""
    code, name = _clean(code), _clean(name)
    if not code and not name:
        raise LegalParseError("empty input")
    in_code = _NUMBER.search(code)
    match = in_code or _NUMBER.search(name)
    if match is None:
        raise LegalParseError("no document number", code or name)
    number, year, segments = _number(match)
    date, issuer = _meta(code, match.end())[:2] if in_code else (None, "")
    word = (in_code and _word_before(code, match.start())) or _type_at_start(code) or _type_at_start(name)
    split = _split_name(name, _key(number))
    if split:
        date, issuer = date or split[1], split[2] or issuer
    kind = _kind(segments, word, _strip(split[3]) if split else name)
    return LegalReference(number=number, doc_type=kind, year=year, issue_date=date,
                          issuer=issuer or _bodies(segments), title=_title(name, split, kind),
                          normalized_key=_key(number))


def parse_reference(text: str | None) -> LegalReference:
    """Read one free string: "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp", "03/2023/TT-BTP"."""
    return parse_legal_basis("", text)


def extract_all(text: str | None) -> list[LegalReference]:
    """Every document a text refers to, in order of first mention, each once (by normalized_key); the type
    comes from the word right before the number ("Thông tư số ..."), else from the suffix. Titles are empty."""
    text, found = _clean(text), {}
    for match in _NUMBER.finditer(text):
        try:
            number, year, segments = _number(match)
        except LegalParseError:
            continue
        if _key(number) in found:
            continue
        word = _word_before(text, match.start())
        date, issuer, _ = _meta(text, match.end())
        found[_key(number)] = LegalReference(
            number=number, doc_type=_kind(segments, word, ""), year=year, issue_date=date,
            issuer=issuer or _bodies(segments), title="", normalized_key=_key(number),
        )
    return list(found.values())
