"""Backup and restore of a whole installation: the database and the uploaded files in one tar archive, with a
manifest that gives the sha256 and size of every member.

Archive layout:
    database/eiso.sqlite3 | database/eiso.pgdump   the database (SQLite backup API copy / pg_dump --format=custom)
    files/<storage name>                           every file of the default storage, under its storage name
    manifest.json                                  written last: version, engine, created_at, migrations, members

A restore verifies the whole archive (manifest, member list, every checksum) before it changes anything, refuses
an archive of another database engine or of a newer eISO (migrations this code does not know), then replaces the
database and makes the storage hold exactly the archive's files: files that are not in the archive are removed
(the restored database does not refer to them).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

import eiso

FORMAT = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
DB_MEMBERS = {"sqlite": "database/eiso.sqlite3", "postgresql": "database/eiso.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is shown to the operator."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    files: int
    bytes_total: int
    manifest: dict = field(repr=False)


@dataclass
class RestorePlan:
    """A verified archive, ready to be restored."""

    path: Path
    manifest: dict
    files: list[str]
    missing_migrations: list[tuple[str, str]]


def engine_name() -> str:
    vendor = connection.vendor
    if vendor not in DB_MEMBERS:
        raise BackupError(_("Backups support SQLite and PostgreSQL only, not %(engine)s.") % {"engine": vendor})
    return vendor


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Reads through a file and keeps the sha256 of what was read."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# --- the database -------------------------------------------------------------------------------------------------


def _pg_command(program: str) -> tuple[list[str], dict]:
    """The program's connection arguments and environment from the connection's settings; the password goes
    through PGPASSWORD, never on the command line."""
    settings = connection.settings_dict
    args = [program]
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    options = settings.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def _run(args: list[str], env: dict, what: str) -> None:
    try:
        # a list of arguments, no shell; the values come from the settings
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    except FileNotFoundError as exc:
        raise BackupError(_("%(program)s was not found: install the PostgreSQL client programs.")
                          % {"program": args[0]}) from exc
    if result.returncode != 0:
        raise BackupError(_("%(what)s failed: %(error)s") % {"what": what, "error": result.stderr.strip()})


def dump_database(target: Path) -> None:
    engine = engine_name()
    connection.ensure_connection()
    if engine == "sqlite":
        # The backup API copies a consistent state even while the app writes (a plain file copy is not safe).
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
        return
    args, env = _pg_command("pg_dump")
    args += ["--format=custom", f"--file={target}", connection.settings_dict["NAME"]]
    _run(args, env, "pg_dump")


def load_database(source: Path) -> None:
    engine = engine_name()
    if engine == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError(_("The database cannot be restored inside a transaction."))
        dump = sqlite3.connect(source)
        try:
            dump.backup(connection.connection)
        finally:
            dump.close()
        return
    connection.close()  # our own idle connection must not hold locks that the restore waits for
    args, env = _pg_command("pg_restore")
    args += ["--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={connection.settings_dict['NAME']}", str(source)]
    _run(args, env, "pg_restore")


def applied_migrations() -> list[tuple[str, str]]:
    return sorted(MigrationRecorder(connection).applied_migrations())


# --- the files ----------------------------------------------------------------------------------------------------


def storage_files(storage=default_storage, path: str = "") -> list[str]:
    """Every file name of the storage, walked with listdir (the file system and S3 alike)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}/{name}" if path else name for name in files]
    for directory in directories:
        names += storage_files(storage, f"{path}/{directory}" if path else directory)
    return sorted(names)


# --- backup -------------------------------------------------------------------------------------------------------


def _add_file(archive: tarfile.TarFile, name: str, handle, size: int, members: dict) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    reader = _HashingReader(handle)
    archive.addfile(info, reader)
    members[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}


def backup_create(output: str | Path | None = None, storage=default_storage) -> BackupResult:
    """Write the archive to a temporary name beside `output` and rename it at the end: a failed backup leaves
    no half-written archive under the final name."""
    engine = engine_name()
    created_at = timezone.now()
    if output is None:
        output = Path(f"eiso-backup-{created_at.strftime('%Y%m%d-%H%M%S')}.tar")
    folder = str(output).endswith(("/", os.sep)) or Path(output).is_dir()  # "backups/" names a folder
    output = Path(output)
    if folder:
        output = output / f"eiso-backup-{created_at.strftime('%Y%m%d-%H%M%S')}.tar"
    if output.exists():
        raise BackupError(_("%(path)s exists already: give another name.") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, dict] = {}
    partial = output.with_name(f".{output.name}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix="eiso-backup-") as work, tarfile.open(partial, "w") as archive:
            dump = Path(work) / "database"
            migrations = applied_migrations()
            dump_database(dump)
            with open(dump, "rb") as handle:
                _add_file(archive, DB_MEMBERS[engine], handle, dump.stat().st_size, members)
            files = storage_files(storage)
            for name in files:
                with storage.open(name, "rb") as handle:
                    _add_file(archive, FILES_PREFIX + name, handle, storage.size(name), members)
            manifest = {
                "format": FORMAT,
                "eiso_version": eiso.__version__,
                "engine": engine,
                "created_at": created_at.isoformat(),
                "migrations": [list(item) for item in migrations],
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path=output, engine=engine, files=len(files),
                        bytes_total=sum(m["size"] for m in members.values()), manifest=manifest)


# --- restore ------------------------------------------------------------------------------------------------------


def _refuse(path: Path, reason: str) -> BackupError:
    return BackupError(_("%(path)s is refused, nothing was changed: %(reason)s") % {"path": path, "reason": reason})


def restore_verify(path: Path) -> RestorePlan:
    """Read the whole archive and check it without changing anything: the manifest, that the members are
    exactly the manifest's, every size and sha256, the engine, and that this code knows every migration."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": path})
    try:
        with tarfile.open(path, "r:") as archive:
            try:
                manifest = json.loads(archive.extractfile(MANIFEST).read())
            except (KeyError, AttributeError) as exc:
                raise _refuse(path, _("it has no manifest.json; it is not an eISO backup.")) from exc
            except ValueError as exc:
                raise _refuse(path, _("its manifest is damaged.")) from exc
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
                    or not isinstance(manifest.get("members"), dict):
                raise _refuse(path, _("its manifest is not one this version of eISO reads."))
            expected = manifest["members"]
            seen = set()
            for info in archive:
                if info.name == MANIFEST:
                    continue
                if not info.isfile() or info.name.startswith("/") or ".." in info.name.split("/"):
                    raise _refuse(path, _("it holds a member that is not a plain file: %(name)s")
                                  % {"name": info.name})
                if info.name not in expected or info.name in seen:
                    raise _refuse(path, _("%(name)s is not listed in the manifest.") % {"name": info.name})
                seen.add(info.name)
                digest = hashlib.sha256()
                handle = archive.extractfile(info)
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                if info.size != expected[info.name].get("size") \
                        or digest.hexdigest() != expected[info.name].get("sha256"):
                    raise _refuse(path, _("the checksum of %(name)s does not match: the archive is damaged "
                                          "or was changed.") % {"name": info.name})
            if missing := sorted(set(expected) - seen):
                raise _refuse(path, _("%(name)s is missing from the archive.") % {"name": missing[0]})
    except tarfile.TarError as exc:
        raise _refuse(path, _("it is not a readable tar archive (%(error)s).") % {"error": exc}) from exc
    engine = engine_name()
    if manifest.get("engine") != engine:
        raise _refuse(path, _("it is a backup of a %(archive)s database; this installation uses %(engine)s.")
                      % {"archive": manifest.get("engine"), "engine": engine})
    if DB_MEMBERS[engine] not in expected:
        raise _refuse(path, _("it holds no database."))
    archived = {tuple(item) for item in manifest.get("migrations") or []}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if unknown := sorted(archived - known):
        raise _refuse(path, _("it comes from a newer eISO (%(version)s; unknown migration %(migration)s): install "
                              "that version first.") % {"version": manifest.get("eiso_version"),
                                                        "migration": ".".join(unknown[0])})
    files = sorted(name[len(FILES_PREFIX):] for name in expected if name.startswith(FILES_PREFIX))
    return RestorePlan(path=path, manifest=manifest, files=files, missing_migrations=sorted(known - archived))


def restore_apply(plan: RestorePlan, storage=default_storage) -> dict:
    """Replace the database with the archive's, then make the storage hold exactly the archive's files."""
    engine = engine_name()
    with tempfile.TemporaryDirectory(prefix="eiso-restore-") as work, tarfile.open(plan.path, "r:") as archive:
        dump = Path(work) / "database"
        with archive.extractfile(DB_MEMBERS[engine]) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if _sha256_file(dump) != plan.manifest["members"][DB_MEMBERS[engine]]["sha256"]:
            raise BackupError(_("The archive changed while it was restored; nothing was changed."))
        load_database(dump)
        wanted = set(plan.files)
        removed = 0
        for name in storage_files(storage):
            if name not in wanted:
                storage.delete(name)
                removed += 1
        for name in plan.files:
            if storage.exists(name):
                storage.delete(name)
            with archive.extractfile(FILES_PREFIX + name) as source:
                saved = storage.save(name, File(source, name=os.path.basename(name)))
            if saved != name:
                raise BackupError(_("%(name)s could not be restored under its own name (saved as %(saved)s).")
                                  % {"name": name, "saved": saved})
    return {"files": len(plan.files), "removed": removed}

