"""Reading import files: one record at a time, and the first pass that counts and finds repeats."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eiso.catalog.importer.constants import (
    DETAIL_KEYS,
    READ_ERRORS,
    SUFFIXES,
    RecordError,
)
from eiso.catalog.importer.mapping import (
    _unwrap,
)
from eiso.catalog.text import clean_text

logger = logging.getLogger(__name__)

# --- Reading ------------------------------------------------------------------------------------------


@dataclass
class SourceItem:
    """One record read from a file (or the reason it could not be read)."""

    file: str
    line: int
    payload: object = None
    error: str = ""
    kind: str = ""
    replaced_by: int | None = None  # line of a later record of the same code and shape in the same file
    code: str = ""


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s)), "")


def expand_paths(paths: Iterable) -> list[Path]:
    """Files to read: the files given, and the *.json / *.jsonl / *.jsonl.gz files of the folders given."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(f for f in path.iterdir() if f.is_file() and _suffix(f)))
        else:
            files.append(path)
    return files


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")
    return open(path, encoding="utf-8-sig", errors="replace")  # noqa: SIM115 — closed by the caller's with


def _is_json(path: Path) -> bool:
    return _suffix(path) in (".json", ".json.gz")


KEY_SEPARATOR = "\x1f"


def record_key(payload) -> str | None:
    """"<shape> <code> <source id>" of a payload, joined by KEY_SEPARATOR (None when it has no code): two
    records with the same key in one file are duplicates. A catalogue line and a detail record of the same
    code are not; nor are two records of the same code with different ids (two procedures of the national
    database that share a code)."""
    try:
        data = _unwrap(payload)
    except RecordError:
        return None
    code, _ = clean_text(data.get("code") or data.get("codeNotation"))
    if not code:
        return None
    source_id, _ = clean_text(data.get("id"))
    shape = "detail" if set(data) & DETAIL_KEYS else "catalogue"
    return KEY_SEPARATOR.join((shape, code, source_id))


def key_code(key: str) -> str:
    """The code part of a record_key."""
    return key.split(KEY_SEPARATOR)[1]


class SeenFilter:
    """A Bloom filter of record keys: fixed memory (1 MiB) whatever the size of the file. `add` says
    whether the key may have been added before (false positives are rare and harmless, see scan_file)."""

    def __init__(self, bits: int = 1 << 23, hashes: int = 4):
        self.size, self.hashes = bits, hashes
        self.bits = bytearray(bits // 8)

    def add(self, key: str) -> bool:
        digest = hashlib.blake2b(key.encode(), digest_size=4 * self.hashes).digest()
        present = True
        for i in range(self.hashes):
            position = int.from_bytes(digest[4 * i: 4 * i + 4], "little") % self.size
            byte, mask = position >> 3, 1 << (position & 7)
            if not self.bits[byte] & mask:
                present = False
                self.bits[byte] |= mask
        return present


@dataclass
class FileScan:
    """First pass over a file: how many records it holds and, for the keys that (may) occur more than
    once, where the last one is (ordinal, line). Only the last record of a key is imported. A Bloom
    filter false positive only puts a unique key here, with its own position: it is imported."""

    path: Path
    count: int | None = 0
    last: dict = field(default_factory=dict)
    error: str = ""


def scan_file(path: Path) -> FileScan:
    scan, seen = FileScan(path), SeenFilter()
    try:
        for ordinal, item in enumerate(read_file(path)):
            scan.count += 1
            key = None if item.error else record_key(item.payload)
            if key is not None and (seen.add(key) or key in scan.last):
                scan.last[key] = (ordinal, item.line)
    except READ_ERRORS as exc:
        scan.count, scan.error = None, str(exc)
    return scan


def read_file(path: Path) -> Iterator[SourceItem]:
    return _read_json(path) if _is_json(path) else _read_lines(path)


def _read_lines(path: Path) -> Iterator[SourceItem]:
    name = path.name
    with _open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            text = line.strip()
            if not text:
                continue
            try:
                payload = json.loads(text)
            except ValueError as exc:
                message = f"malformed JSON: {getattr(exc, 'msg', exc)} (column {getattr(exc, 'colno', '?')})"
                yield SourceItem(name, number, error=message, kind="malformed_json")
                continue
            if isinstance(payload, list):
                for element in payload:
                    yield SourceItem(name, number, element)
            else:
                yield SourceItem(name, number, payload)


def _read_json(path: Path, read_size: int = 1 << 16) -> Iterator[SourceItem]:
    """Values of a .json file one at a time: a single object, objects one after the other, or the
    elements of a top-level array. The buffer holds one value (and one read) at a time. A malformed
    value ends the file: there is no reliable way to find where the next one starts."""
    name = path.name
    decoder = json.JSONDecoder()
    with _open_text(path) as handle:
        buffer, pos, line, eof = "", 0, 1, False
        in_array = started = False

        def more(size: int) -> None:
            nonlocal buffer, eof
            chunk = handle.read(size)
            if chunk:
                buffer += chunk
            else:
                eof = True

        while True:
            separators = " \t\r\n," if in_array else " \t\r\n"
            while True:
                while pos < len(buffer) and buffer[pos] in separators:
                    line += buffer[pos] == "\n"
                    pos += 1
                if pos < len(buffer) or eof:
                    break
                more(read_size)
            if pos >= len(buffer):
                return
            if not started and buffer[pos] == "[":
                in_array = started = True
                pos += 1
                continue
            if in_array and buffer[pos] == "]":
                in_array = False
                pos += 1
                continue
            started = True
            size = read_size
            while True:
                try:
                    value, end = decoder.raw_decode(buffer, pos)
                    break
                except json.JSONDecodeError as exc:
                    if eof:
                        yield SourceItem(name, line, error=f"malformed JSON: {exc.msg}; the rest of the file is "
                                                           f"not read", kind="malformed_json")
                        return
                    more(size)
                    size *= 2
            yield SourceItem(name, line, value)
            line += buffer.count("\n", pos, end)
            pos = end
            if pos > read_size:  # drop what was consumed
                buffer, pos = buffer[pos:], 0


# --- Mapping ------------------------------------------------------------------------------------------
