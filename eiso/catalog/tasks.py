"""Background jobs of the procedure catalogue."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="eiso.catalog.tasks.import_catalog_task")
def import_catalog_task(run_id: int, stored_names: list[str]) -> int:
    """Run the import of the files `stored_names` (names in the default storage: the file system or object
    storage, so the worker need not share a disk with the app) into the ImportRun `run_id` (created by the
    upload service, which checked that its author is a system administrator). A failure is recorded on the run."""
    from eiso.catalog.models import ImportRun
    from eiso.catalog.services import catalog_import_stored

    run = ImportRun.objects.get(pk=run_id)
    try:
        catalog_import_stored(names=stored_names, run=run)
    except Exception:  # noqa: BLE001 — already recorded on the run and logged by the service
        logger.warning("catalogue import %s failed; see its report", run_id)
    return run_id
