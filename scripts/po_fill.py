"""Fill untranslated or fuzzy entries of the Vietnamese catalogue from a JSON mapping {msgid: msgstr}.

Usage: python scripts/po_fill.py TRANSLATIONS.json   (then compile: make messages)
Entries whose msgid is not in the mapping are listed, so nothing is left silently untranslated.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "eiso/locale/vi/LC_MESSAGES/django.po"


def unquote(lines):
    return "".join(json.loads(line.split(" ", 1)[1] if line.startswith("msg") else line) for line in lines)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def main(mapping_path):
    mapping = json.loads(Path(mapping_path).read_text())
    blocks = PO.read_text().split("\n\n")
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        if not any(line.startswith("msgid ") for line in lines) or 'msgid ""\nmsgstr ""\n"Project' in block:
            out.append(block)
            continue
        comments = [line for line in lines if line.startswith("#") and not line.startswith("#|")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in comments)
        idx = {k: i for i, line in enumerate(lines) for k in ("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")
               if line.startswith(k)}
        def grab(key, lines=lines, idx=idx):
            i = idx[key]
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                j += 1
            return unquote(lines[i:j])
        msgid = grab("msgid ")
        plural = "msgid_plural " in idx
        current = grab("msgstr[0] " if plural else "msgstr ")
        if current and not fuzzy:
            out.append(block)
            continue
        if msgid not in mapping:
            missing.append(msgid)
            out.append(block)
            continue
        comments = [re.sub(r"fuzzy, |, fuzzy|fuzzy", "", c) for c in comments]
        comments = [c for c in comments if c.strip() not in ("#,", "#, ")]
        new = comments + [f"msgid {quote(msgid)}"]
        if plural:
            new += [f"msgid_plural {quote(grab('msgid_plural '))}", f"msgstr[0] {quote(mapping[msgid])}"]
        else:
            new += [f"msgstr {quote(mapping[msgid])}"]
        out.append("\n".join(new))
    PO.write_text("\n\n".join(out))
    for m in missing:
        print("UNTRANSLATED:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
