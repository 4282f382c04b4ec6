"""Uploaded files judged by their content, not by their name: the first bytes say what a file is (and for
the Office formats, which are ZIP archives, the names inside). A file that claims to be a PDF but is not is
refused; so is one over the size limit. Names are made safe for storage."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "odt", "ods", "doc", "xls"})
IMAGE_KINDS = frozenset({"png", "jpeg"})
PREVIEWABLE = frozenset({"pdf", "png", "jpeg"})


def _zip_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {"application/vnd.oasis.opendocument.text": "odt",
                        "application/vnd.oasis.opendocument.spreadsheet": "ods"}.get(mimetype)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def file_kind(file) -> str | None:
    """What the file is by its content (a key of CONTENT_TYPES), or None. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind = "doc" if Path(getattr(file, "name", "") or "").suffix.lower() != ".xls" else "xls"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(file)
        file.seek(0)
    return kind


def check_upload(file, *, allowed: frozenset, max_bytes: int) -> str:
    """The kind of an acceptable upload; a clear ApplicationError otherwise (nothing is stored)."""
    megabytes = max_bytes // (1024 * 1024)
    if file.size > max_bytes:
        raise ApplicationError(
            _("The file is larger than %(size)s MB. Reduce its size and try again.") % {"size": megabytes},
            code="file_too_large", errors={"file": [_("At most %(size)s MB.") % {"size": megabytes}]})
    kind = file_kind(file)
    if kind not in allowed:
        raise ApplicationError(
            _("This file is not a PDF, Word, Excel, OpenDocument or image file (whatever its name says). Save it "
              "in one of these formats and try again."),
            code="file_type", errors={"file": [_("Unsupported file type.")]})
    return kind


def safe_name(name: str, kind: str) -> str:
    """A storable name keeping the original stem, with the extension of what the file really is. Any folder part
    (POSIX or Windows: "../../x", "C:\\a\\x") is dropped and only letters, digits, "-", "_" and "." remain, so the
    name can never leave the folder the model chooses; a stem with nothing storable left becomes "file"."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    try:
        stem = get_valid_filename(Path(base).stem.strip(". "))[:80]
    except SuspiciousFileOperation:  # nothing storable left ("", ".", "..")
        stem = ""
    stem = stem or "file"
    extension = {"jpeg": "jpg"}.get(kind, kind)
    return f"{stem}.{extension}"
