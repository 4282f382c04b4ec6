"""The Vietnamese catalogue is complete, well-formed and compiled; the UI is Vietnamese by default.

The .po file is read with a small parser (no polib dependency); the committed .mo is loaded with the
standard library's gettext so a stale or missing compile shows up as a failure here.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import eiso

LOCALE_DIR = Path(eiso.__file__).resolve().parent / "locale"
PO_PATH = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.mo"

# Python %-format placeholders: %(name)s, %(count)d, %(rate).1f ...
NAMED_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)  # None -> singular msgstr; 0, 1 ... -> msgstr[n]
    flags: set = field(default_factory=set)
    references: list = field(default_factory=list)
    lineno: int = 0

    @property
    def where(self) -> str:
        ref = self.references[0] if self.references else "?"
        return f"django.po:{self.lineno} ({ref}) {self.msgid!r}"


def _unquote(text: str, lineno: int) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise AssertionError(f"django.po:{lineno}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""), obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple | None = None

    def finish():
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry(lineno=lineno)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#:"):
            entry.references.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            entry.msgctxt, target = _unquote(line[8:], lineno), ("msgctxt",)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:], lineno), ("msgid_plural",)
        elif line.startswith("msgid "):
            if target is not None and target[0] == "msgstr":  # entries not separated by a blank line
                finish()
                entry = Entry(lineno=lineno)
            entry.msgid, entry.lineno, target = _unquote(line[6:], lineno), lineno, ("msgid",)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry.msgstr[index] = _unquote(line[line.index("]") + 1 :], lineno)
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry.msgstr[None] = _unquote(line[7:], lineno)
            target = ("msgstr", None)
        elif line.startswith('"'):
            if target is None:
                raise AssertionError(f"django.po:{lineno}: continuation line outside an entry")
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += _unquote(line, lineno)
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + _unquote(line, lineno))
        else:
            raise AssertionError(f"django.po:{lineno}: cannot parse {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run `eiso makemessages -l vi` from eiso/"
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def header(po_entries) -> dict:
    headers = [e for e in po_entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, "the catalogue must have exactly one header entry"
    fields = {}
    for line in headers[0].msgstr[None].splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return {"entry": headers[0], "fields": fields}


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    found = [e for e in po_entries if e.msgid != ""]
    assert len(found) > 100, "the Vietnamese catalogue looks truncated"
    return found


def test_header_declares_vietnamese_utf8_and_one_plural_form(header):
    fields = header["fields"]
    assert fields.get("Language") == "vi"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert fields.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert "fuzzy" not in header["entry"].flags, "the header is still marked fuzzy"


def test_no_entry_is_fuzzy(messages):
    fuzzy = [e.where for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (review the translation, then remove the flag):\n" + "\n".join(fuzzy)


def test_every_entry_is_translated(messages):
    empty = [e.where for e in messages if not e.msgstr or any(not text.strip() for text in e.msgstr.values())]
    assert not empty, "untranslated entries:\n" + "\n".join(empty)


def test_plural_entries_have_exactly_one_form(messages):
    wrong = [e.where for e in messages if e.msgid_plural is not None and sorted(e.msgstr, key=str) != [0]]
    singular_with_index = [e.where for e in messages if e.msgid_plural is None and None not in e.msgstr]
    assert not wrong, "plural entries must have only msgstr[0] (Vietnamese has one form):\n" + "\n".join(wrong)
    assert not singular_with_index, "singular entries with msgstr[n]:\n" + "\n".join(singular_with_index)


def test_placeholders_are_kept(messages):
    problems = []
    for e in messages:
        wanted = set(NAMED_PLACEHOLDER.findall(e.msgid))
        if e.msgid_plural is not None:
            wanted |= set(NAMED_PLACEHOLDER.findall(e.msgid_plural))
        for index, text in e.msgstr.items():
            got = set(NAMED_PLACEHOLDER.findall(text))
            if got != wanted:
                problems.append(
                    f"{e.where} msgstr[{index}]: missing {sorted(wanted - got)}, unexpected {sorted(got - wanted)}"
                )
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


def test_html_tags_are_kept(messages):
    problems = []
    for e in messages:
        wanted = sorted(HTML_TAG.findall(e.msgid))
        for index, text in e.msgstr.items():
            if sorted(HTML_TAG.findall(text)) != wanted:
                problems.append(f"{e.where} msgstr[{index}]")
    assert not problems, "HTML markup differs between msgid and msgstr:\n" + "\n".join(problems)


def test_compiled_catalogue_matches_the_po(messages):
    """The committed .mo must be compiled from the current .po (run `eiso compilemessages -l vi`)."""
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run `eiso compilemessages -l vi` from eiso/"
    with MO_PATH.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    stale = []
    for e in messages:
        if e.msgid_plural is not None:
            expected, got = (
                e.msgstr.get(0),
                (
                    mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
                    if e.msgctxt is not None
                    else mo.ngettext(e.msgid, e.msgid_plural, 1)
                ),
            )
        else:
            expected, got = (
                e.msgstr.get(None),
                (mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else mo.gettext(e.msgid)),
            )
        if got != expected:
            stale.append(e.where)
    assert not stale, "django.mo is out of date for:\n" + "\n".join(stale)
    po_keys = {(e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}") for e in messages}
    mo_keys = {key[0] if isinstance(key, tuple) else key for key in mo._catalog if key != ""}
    assert mo_keys <= po_keys, f"django.mo has entries no longer in the .po: {sorted(mo_keys - po_keys)[:10]}"


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Sign in" not in html
    assert response.headers.get("Content-Language") == "vi"


@pytest.mark.django_db
def test_language_cookie_switches_the_login_page_to_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html and "Password" in html
    assert "Đăng nhập" not in html


@pytest.mark.django_db
def test_set_language_switches_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in" in html and "Đăng nhập" not in html

    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in html and "Sign in" not in html


@pytest.mark.django_db
def test_unsupported_browser_language_falls_back_to_vietnamese(client):
    html = client.get("/accounts/login/", headers={"accept-language": "fr-FR,fr;q=0.9"}).content.decode()
    assert "Đăng nhập" in html
