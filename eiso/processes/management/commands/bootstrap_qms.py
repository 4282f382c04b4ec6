from django.core.management.base import BaseCommand, CommandError

from eiso.organizations.models import QMS, Agency
from eiso.processes.bootstrap import qms_bootstrap, qms_start_from


class Command(BaseCommand):
    help = ("Build an agency's draft QMS from the framework model and the national catalogue (idempotent), "
            "or start it from an existing QMS with --from-qms.")

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Agency code")
        parser.add_argument("--from-qms", help="Id of an existing QMS to copy instead of the framework model")
        parser.add_argument("--code", default="HTQLCL", help="Code of the new QMS (with --from-qms)")

    def handle(self, *args, agency, from_qms=None, code="HTQLCL", **options):
        target = Agency.objects.filter(code=agency).first()
        if target is None:
            raise CommandError(f"Unknown agency code {agency}.")
        if from_qms:
            source = QMS.objects.filter(pk=from_qms).first()
            if source is None:
                raise CommandError(f"Unknown QMS {from_qms}.")
            qms = qms_start_from(actor=None, source=source, agency=target, code=code)
            self.stdout.write(self.style.SUCCESS(f"{qms} started from {source}: "
                                                 f"{qms.documents.count()} documents."))
            return
        result = qms_bootstrap(actor=None, agency=target)
        self.stdout.write(self.style.SUCCESS(
            "{framework_documents} framework documents and {procedure_processes} procedure processes created "
            "(framework model {framework_version}).".format(**result)
        ))
