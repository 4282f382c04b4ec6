"""Services of the procedure catalogue: importing files (command, upload page, API, Celery task).

Only system administrators import (the catalogue is national reference data); commands and background
jobs run without a user (`actor=None`).
"""

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from eiso.catalog.choices import ImportStatus
from eiso.catalog.importer import CatalogImporter
from eiso.catalog.models import ImportRun
from eiso.core.audit import audit_record
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction

logger = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".jsonl.gz", ".jsonl", ".json")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_DIR = "imports"
COPY_CHUNK_BYTES = 1024 * 1024


def _require_admin(actor) -> None:
    if actor is not None and not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDeniedError(_("Only a system administrator may import the procedure catalogue."))


@transaction.atomic
def import_run_create(*, actor, source: str) -> ImportRun:
    _require_admin(actor)
    run = ImportRun.objects.create(
        source=source[:500], started_by=actor if actor is not None and actor.is_authenticated else None
    )
    audit_record(actor=actor, instance=run, action=AuditAction.CREATE)
    return run


def catalog_import(*, paths: Iterable, actor=None, run: ImportRun | None = None,
                   progress: Callable[[int, int | None], None] | None = None) -> ImportRun:
    """Import catalogue lines and detail records from files or folders (see eiso.catalog.importer).

    Creates the ImportRun unless one is given, keeps its counts up to date while it runs (every
    COMMIT_EVERY records, then `progress(records read, records expected or None)`), and returns it
    finished: status "done" when something was imported, "failed" when nothing could be.
    """
    paths = [str(p) for p in paths]
    if run is None:
        run = import_run_create(actor=actor, source=", ".join(Path(p).name for p in paths))
    else:
        _require_admin(actor)
    try:
        run = CatalogImporter(run, progress).import_paths(paths)
    except Exception as exc:
        _record_stop(run, exc)
        raise
    from eiso.legal.seeding import catalogue_import_followup  # legal register links, 3-month rule

    catalogue_import_followup(run)
    return run


def _record_stop(run: ImportRun, exc: Exception) -> None:
    logger.exception("catalogue import %s stopped", run.pk)
    report = list(ImportRun.objects.filter(pk=run.pk).values_list("report", flat=True).first() or [])
    report.append({"file": "", "line": None, "code": "", "level": "error", "kind": "import_stopped",
                   "message": f"the import stopped: {exc}"})
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now(), report=report)


@contextmanager
def _local_copy(name: str):
    """A local copy of the stored file `name`, removed afterwards. Stored files may be in object storage or on
    another machine than the worker; the importer reads a file twice (once to count records and find repeats)."""
    with tempfile.TemporaryDirectory(prefix="eiso-import-") as folder:
        local = Path(folder) / Path(name).name
        with default_storage.open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, COPY_CHUNK_BYTES)
        yield local


def catalog_import_stored(*, names: list[str], run: ImportRun) -> ImportRun:
    """Import files saved in the default storage (`names` as the storage gave them) into `run` — the Celery
    task's work. A file that cannot be read from the storage stops the run, recorded in its report."""
    with ExitStack() as stack:
        try:
            paths = [stack.enter_context(_local_copy(name)) for name in names]
        except Exception as exc:
            _record_stop(run, exc)
            raise
        return catalog_import(paths=paths, run=run)


def _check_upload(uploaded) -> str:
    name = get_valid_filename(Path(uploaded.name or "upload").name)
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise ApplicationError(
            _("Choose a .json, .jsonl or .jsonl.gz file exported from the national procedure database."),
            code="invalid_file_type", errors={"file": [_("Unsupported file type.")]},
        )
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than 50 MB. Split it, or import it with the command eiso import_procedures."),
            code="file_too_large", errors={"file": [_("The file is larger than 50 MB.")]},
        )
    return name


def catalog_import_upload(*, actor, uploaded) -> ImportRun:
    """Save an uploaded file in the default storage under imports/, create its ImportRun and run the import
    through the Celery task (in-process when no broker is configured), which reads the file back from the
    storage. Returns the run (finished when the task ran in-process, running otherwise)."""
    _require_admin(actor)
    if actor is None:
        raise PermissionDeniedError()
    name = _check_upload(uploaded)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    stored = default_storage.save(f"{UPLOAD_DIR}/{stamp}-{get_random_string(6).lower()}-{name}", uploaded)
    run = import_run_create(actor=actor, source=name)
    from eiso.catalog.tasks import import_catalog_task

    import_catalog_task.delay(run.pk, [stored])
    run.refresh_from_db()
    return run
