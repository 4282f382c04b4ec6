from django.core.management.base import BaseCommand, CommandError

from eiso.organizations.models import QMS, Agency
from eiso.processes.bootstrap import qms_bootstrap_many, qms_start_from


class Command(BaseCommand):
    help = ("Build agencies' draft QMS from the framework model and the national catalogue (idempotent): one "
            "agency, several (--agency repeated) or every agency of a province (--province, a rollout wave); "
            "or start one agency's QMS from an existing QMS with --from-qms.")

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", default=[], help="Agency code (repeatable)")
        parser.add_argument("--province", help="Code of a province: every agency in it")
        parser.add_argument("--from-qms", help="Id of an existing QMS to copy instead of the framework model")
        parser.add_argument("--code", default="HTQLCL", help="Code of the new QMS (with --from-qms)")

    def handle(self, *args, agency, province=None, from_qms=None, code="HTQLCL", **options):
        if not agency and not province:
            raise CommandError("Give --agency CODE (repeatable) or --province CODE.")
        targets = list(Agency.objects.filter(code__in=agency).order_by("code"))
        unknown = sorted(set(agency) - {a.code for a in targets})
        if unknown:
            raise CommandError(f"Unknown agency code {', '.join(unknown)}.")
        if province:
            in_province = Agency.objects.filter(province__code=province).order_by("code")
            if not in_province.exists():
                raise CommandError(f"No agency in province {province}.")
            targets += [a for a in in_province if a not in targets]
        if from_qms:
            if len(targets) != 1:
                raise CommandError("--from-qms starts the QMS of one agency: give exactly one --agency.")
            source = QMS.objects.filter(pk=from_qms).first()
            if source is None:
                raise CommandError(f"Unknown QMS {from_qms}.")
            qms = qms_start_from(actor=None, source=source, agency=targets[0], code=code)
            self.stdout.write(self.style.SUCCESS(f"{qms} started from {source}: "
                                                 f"{qms.documents.count()} documents."))
            return

        def progress(done, total):
            if total > 1:
                self.stderr.write(f"\r{done}/{total} agencies", ending="")
                if done == total:
                    self.stderr.write("")

        for result in qms_bootstrap_many(actor=None, agencies=targets, progress=progress):
            if "error" in result:
                self.stdout.write(self.style.ERROR(f"{result['agency']}: {result['error']}"))
                continue
            self.stdout.write(self.style.SUCCESS(
                "{agency}: {framework_documents} framework documents and {procedure_processes} procedure processes "
                "created (framework model {framework_version}).".format(**result)
            ))
