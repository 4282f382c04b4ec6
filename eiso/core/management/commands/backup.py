"""`eiso backup [--output PATH]`: the database and the uploaded files in one archive, with checksums."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one tar archive with the database (SQLite: a consistent copy; PostgreSQL: pg_dump), every "
        "uploaded file, and a manifest with the sha256 of each. Restore it with `eiso restore ARCHIVE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="PATH",
                            help="The archive's file name, or a folder (default: eiso-backup-DATE-TIME.tar here).")

    def handle(self, *args, **options):
        try:
            result = backup_create(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup written to %(path)s: %(engine)s database, %(files)d files, %(size)s bytes, "
              "%(migrations)d migrations.")
            % {"path": result.path, "engine": result.engine, "files": result.files,
               "size": f"{result.bytes_total:,}", "migrations": len(result.manifest["migrations"])}
        )
