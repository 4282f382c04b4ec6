"""`eiso generate_synthetic`: agencies of every level on the real administrative units, the supervising authority,
processes adopted from the national catalogue, published documents, findings and nonconformities, a mix of QMS
stages derived from those records, dossiers with late ones and their tallies; a second run adds dossiers to the
same agencies; bad arguments; the province dashboard and the national view show the generated agencies."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from eiso.core.permissions import Role
from tests.conftest import login
from tests.factories import AgencyFactory, user_with_role

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "eiso" / "catalog" / "data"


@pytest.fixture
def national_data(db):
    """The real administrative units and the shipped national catalogue; the first two provinces by code."""
    from eiso.catalog.services import catalog_import
    from eiso.organizations.models import AdminUnit
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    catalog_import(paths=[DATA / "catalog.jsonl.gz", DATA / "procedures-sample.jsonl.gz"])
    return list(AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("code")[:2])


@pytest.fixture
def generated(national_data):
    from eiso.oversight.synthetic import generate_synthetic

    report = generate_synthetic(provinces=2, communes=3, dossiers=2000, processes=6, months=12, seed=11,
                                batch_size=700)
    return national_data, report


def agencies_of_every_level_on_the_real_units_with_their_authority(generated):
    from eiso.organizations.models import Agency, SupervisingAuthority
    from eiso.oversight.levels import agency_level
    from eiso.oversight.synthetic import DEPARTMENTS

    provinces, report = generated
    assert report.provinces == 2 and report.agencies == report.new_agencies == 2 * (1 + len(DEPARTMENTS) + 3)
    for province in provinces:
        agencies = list(Agency.objects.filter(province=province).select_related("admin_unit", "parent"))
        assert all(agency.code.startswith(f"SYN-{province.code}-") for agency in agencies)
        levels = Counter(agency_level(agency) for agency in agencies)
        assert levels == {"province": 1, "department": len(DEPARTMENTS), "commune": 3}
        communes = sorted((a for a in agencies if agency_level(a) == "commune"), key=lambda a: a.code)
        real = list(province.children.filter(level="commune").order_by("code")[:3])
        assert [agency.admin_unit for agency in communes] == real  # the n-th commune by code
        assert SupervisingAuthority.objects.get(province=province).agency.code == f"SYN-{province.code}-SKHCN"


def processes_documents_findings_and_a_mix_of_stages_derived_from_the_records(generated):
    from eiso.audits.models import AuditFinding
    from eiso.documents.models import Document
    from eiso.improvement.models import Nonconformity
    from eiso.organizations.models import QMS, Agency
    from eiso.oversight.levels import agency_level
    from eiso.oversight.stages import stages_by_agency
    from eiso.processes.models import Process

    _provinces, report = generated
    agencies = list(Agency.objects.filter(code__startswith="SYN-").select_related("admin_unit", "parent"))
    assert QMS.objects.filter(agency__in=agencies).count() == len(agencies)
    # processes: catalogue procedures of the agency's level, 6 for each agency that has started
    started = len(agencies) - report.stages.get("not_started", 0)
    assert Process.objects.count() == report.processes == 6 * started
    for process in Process.objects.select_related("agency__admin_unit").prefetch_related("procedures"):
        (procedure,) = process.procedures.all()
        commune = process.agency.admin_unit.level == "commune"
        assert procedure.is_commune_level if commune else procedure.is_province_level
    # documents published (the framework documents of every agency that started)
    published = Document.objects.filter(current_revision__status="published", kind__in=["policy", "manual"])
    assert published.count() == 2 * started
    # findings, and a nonconformity for each major or minor one, numbered per agency and year
    findings = AuditFinding.objects.all()
    assert findings.count() == report.findings > 0
    assert Nonconformity.objects.count() == report.nonconformities == findings.filter(
        grade__in=["major", "minor"]).exclude(nonconformity=None).count() > 0
    assert all(number.startswith("NC-") for number in Nonconformity.objects.values_list("number", flat=True))
    # the stages derived from the records are those drawn, and they are a mix
    stages = stages_by_agency(agencies)
    assert Counter(info.derived for info in stages.values()) == report.stages
    assert len(report.stages) >= 4 and report.stages.get("announced", 0) + report.stages.get("maintaining", 0) > 0
    assert {agency_level(a) for a in agencies if stages[a.pk].is_announced} - {"province"}


def dossiers_with_late_ones_and_their_tallies(generated):
    from eiso.dossiers.choices import FINISHED
    from eiso.dossiers.models import Dossier, DossierTally
    from eiso.organizations.models import Agency

    _provinces, report = generated
    dossiers = Dossier.objects.all()
    assert dossiers.count() == report.dossiers == 2000
    # spread over the agencies of every level
    per_agency = Counter(dossiers.values_list("agency__kind", flat=True))
    assert per_agency["department"] > 0 and per_agency["peoples_committee"] > 0
    assert dossiers.values("agency").distinct().count() >= Agency.objects.count() - 2
    late = dossiers.filter(status__in=FINISHED, outcome="late").count()
    assert late > 0 and dossiers.filter(status__in=FINISHED).exclude(outcome="late").count() > late
    # tallies rebuilt: the resolved dossiers counted by the tallies are those of the table
    tallied = sum(row.early + row.on_time + row.late for row in DossierTally.objects.all())
    finished = dossiers.filter(status__in=FINISHED).filter(~Q(outcome="")).count()
    assert report.tallies == DossierTally.objects.count() > 0 and tallied == finished


def test_one_run(generated):
    """One run checked part by part (loading the national units and catalogue takes most of the time)."""
    agencies_of_every_level_on_the_real_units_with_their_authority(generated)
    processes_documents_findings_and_a_mix_of_stages_derived_from_the_records(generated)
    dossiers_with_late_ones_and_their_tallies(generated)


def a_second_run_adds_dossiers_to_the_same_agencies(generated):
    from eiso.dossiers.models import Dossier
    from eiso.organizations.models import QMS, Agency
    from eiso.processes.models import Process

    provinces, _report = generated
    agencies, processes = set(Agency.objects.values_list("pk", flat=True)), Process.objects.count()
    call_command("generate_synthetic", province=[p.code for p in provinces], communes=3, dossiers=500,
                 processes=6, months=12, seed=12, verbosity=0)
    assert set(Agency.objects.values_list("pk", flat=True)) == agencies
    assert QMS.objects.count() == len(agencies) and Process.objects.count() == processes
    assert Dossier.objects.count() == 2500
    # each agency's dossiers stay on the procedures of its processes
    adopted = set(Process.procedures.through.objects.values_list("process__agency_id", "procedure_id"))
    started = {agency for agency, _procedure in adopted}
    used = set(Dossier.objects.filter(agency__in=started).values_list("agency_id", "procedure_id").distinct())
    assert used <= adopted


def test_a_second_run_then_the_dashboards(client, generated):
    a_second_run_adds_dossiers_to_the_same_agencies(generated)
    the_dashboards_show_the_generated_agencies(client, generated)


def the_dashboards_show_the_generated_agencies(client, generated):
    from eiso.organizations.models import Agency

    provinces, _report = generated
    province = provinces[0]
    supervisor = user_with_role(Role.SUPERVISOR, Agency.objects.get(code=f"SYN-{province.code}-SKHCN"))
    login(client, supervisor)
    response = client.get("/oversight/")
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.province == province
    assert {row.agency.code for row in overview.rows} == set(
        Agency.objects.filter(province=province).values_list("code", flat=True))
    assert sum(row.resolved for row in overview.rows) > 0  # the on-time rates, from the tallies
    assert {row.level for row in overview.levels} == {"province", "department", "commune"}

    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind="ministry", admin_unit=provinces[1])
    login(client, user_with_role(Role.NATIONAL_SUPERVISOR, ministry))
    response = client.get("/oversight/national/")
    assert response.status_code == 200
    totals = {row.province.code: row.total.total for row in response.context["rows"]}
    assert totals[provinces[0].code] == 16 and totals[provinces[1].code] == 16 + 1  # and the ministry


def test_bad_arguments_are_refused_clearly(db):
    from eiso.catalog.models import Procedure
    from eiso.organizations.models import AdminUnit

    AdminUnit.objects.create(level="province", code="01", name="Hà Nội")
    Procedure.objects.create(code="1.000001", name="Thủ tục mẫu", is_commune_level=True)
    cases = [
        ({"provinces": 1, "province": ["01"], "dossiers": 10}, "either --provinces or --province"),
        ({"provinces": 0, "dossiers": 10}, "--provinces must be at least 1"),
        ({"provinces": 1, "dossiers": -1}, "--dossiers and --communes must be at least 0"),
        ({"provinces": 1, "dossiers": 1, "processes": 0}, "--processes, --months and --batch-size"),
        ({"province": ["01", "99", "98"], "dossiers": 10}, "Unknown province code 99, 98"),
    ]
    for options, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("generate_synthetic", verbosity=0, **options)
    assert not AdminUnit.objects.get(code="01").agencies.exists()


def test_the_progress_bar_shows_percent_count_rate_and_time_left():
    import io

    from eiso.dossiers.synthetic import ProgressBar

    stream = io.StringIO()  # not a terminal: one line at the start, then at most every 10 seconds, and at the end
    bar = ProgressBar(stream, width=10)
    bar(0, 1_000_000)
    bar(250_000, 1_000_000)  # too soon after the first line
    assert re.fullmatch(r"\[-{10}\]\s+0%  0 / 1,000,000  0/s  ETA 0m00s\n", stream.getvalue())
    bar.started -= 10  # ten seconds ago
    assert re.fullmatch(r"\[#####-----\]  50%  500,000 / 1,000,000  [\d,]+/s  ETA 0m1\ds", bar.line(500_000, 1_000_000))
    bar(1_000_000, 1_000_000)
    assert stream.getvalue().splitlines()[-1].startswith("[##########] 100%  1,000,000 / 1,000,000")
