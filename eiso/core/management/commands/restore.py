"""`eiso restore ARCHIVE [--yes]`: put back the database and the uploaded files of an `eiso backup` archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.backup import BackupError, restore_apply, restore_verify


class Command(BaseCommand):
    help = (
        "Verify an archive of `eiso backup` (every checksum, the database engine), then replace the database "
        "and the uploaded files with its contents. Files not in the archive are removed. Stop the app and "
        "the workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help="The archive written by `eiso backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        try:
            plan = restore_verify(options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = plan.manifest
        self.stdout.write(
            _("%(path)s verified: eISO %(version)s, %(engine)s database, made %(created_at)s, %(files)d files.")
            % {"path": plan.path, "version": manifest.get("eiso_version"), "engine": manifest.get("engine"),
               "created_at": manifest.get("created_at"), "files": len(plan.files)}
        )
        if not options["yes"]:
            question = _("This replaces the whole database and every uploaded file (files that are not in the "
                         "archive are removed). Type \"yes\" to go on: ")
            try:
                answer = input(question)
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("yes", _("yes")):
                raise CommandError(_("Restore cancelled; nothing was changed."))
        try:
            summary = restore_apply(plan)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored: the database and %(files)d files; %(removed)d files that were not in the archive removed.")
            % summary
        )
        if plan.missing_migrations:
            self.stdout.write(_("The archive is older than this eISO: run `eiso migrate` now (%(count)d migrations "
                                "to apply).") % {"count": len(plan.missing_migrations)})
