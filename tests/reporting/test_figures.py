"""A report is pre-filled from the agency's real records of the period, and refreshed while it is a draft."""

import datetime as dt

import pytest

from eiso.catalog.models import Procedure
from eiso.documents.models import Document, Revision
from eiso.dossiers.models import DossierTally
from eiso.improvement.models import Nonconformity
from eiso.improvement.services import nonconformity_raise
from eiso.legal.models import UpdateTask
from eiso.reporting import services
from eiso.reporting.figures import report_figures
from tests.reporting.conftest import YEAR, at, complete_audit, hold_review, open_period, qms_of, report_of

pytestmark = pytest.mark.django_db

H1 = (dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30))
ON = dt.date(YEAR, 7, 10)


def revision(agency, code, number, published):
    document = Document.objects.filter(agency=agency, code=code).first() or Document.objects.create(
        agency=agency, qms=qms_of(agency), kind="process", code=code, title=f"Quy trình {code}")
    return Revision.objects.create(agency=agency, document=document, number=number, status="published",
                                   published_at=at(published))


def task(agency, due_on, status="open", closed_at=None, code="QT-L"):
    document = Document.objects.filter(agency=agency, code=code).first() or Document.objects.create(
        agency=agency, qms=qms_of(agency), kind="process", code=code, title="Quy trình")
    return UpdateTask.objects.create(agency=agency, document=document, reason="legal_change", summary="Thay đổi",
                                     starts_on=due_on - dt.timedelta(days=91), due_on=due_on, status=status,
                                     closed_at=at(closed_at) if closed_at else None)


@pytest.fixture
def records(world):
    """The own agency's first half of 2026 (and some records outside it, or of the sibling agency)."""
    agency = world.own
    revision(agency, "QT-01", 1, "2026-02-02 09:00")  # issued in the period
    revision(agency, "QT-02", 1, "2025-12-02 09:00")  # issued before
    revision(agency, "QT-03", 2, "2026-05-05 09:00")  # revised in the period
    revision(world.sibling, "QT-09", 1, "2026-03-03 09:00")  # another agency
    coordinator = world.users["iso_coordinator"]
    raised = [nonconformity_raise(actor=coordinator, agency=agency, description=f"Sự không phù hợp {n}",
                                  raised_at=at(day)) for n, day in enumerate(("2026-03-01 09:00", "2026-04-01 09:00",
                                                                               "2025-11-01 09:00"))]
    Nonconformity.objects.filter(pk=raised[2].pk).update(status="closed", closed_at=at("2026-02-10 09:00"))
    task(agency, dt.date(YEAR, 3, 1), "done", "2026-02-20 10:00")  # on time
    task(agency, dt.date(YEAR, 4, 1), "done", "2026-04-15 10:00")  # late
    task(agency, dt.date(YEAR, 5, 1))  # open past its deadline: late
    task(agency, dt.date(YEAR, 6, 30), "dismissed", "2026-06-01 10:00")  # does not count
    task(agency, dt.date(YEAR, 9, 1))  # due after the period
    procedure = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", is_commune_level=True)
    for month, early, on_time, late in ((1, 5, 3, 1), (6, 2, 1, 0), (7, 9, 9, 9)):
        DossierTally.objects.create(agency=agency, procedure=procedure, month=dt.date(YEAR, month, 1), early=early,
                                    on_time=on_time, late=late, received=early + on_time + late)
    complete_audit(agency, YEAR)  # completed on 13/05
    hold_review(agency, YEAR - 1)  # 20/06/2025
    hold_review(agency, YEAR, day=25)  # 25/06/2026
    return agency


def test_figures_come_from_the_records_of_the_period(records):
    # when
    figures = report_figures(agency=records, year=YEAR, start=H1[0], end=H1[1], today=ON)
    # then
    assert (figures["start"], figures["end"], figures["computed_on"]) == ("2026-01-01", "2026-06-30", "2026-07-10")
    assert figures["documents"] == {"issued": 1, "revised": 1}
    assert figures["nonconformities"] == {"raised": 2, "closed": 1, "open": 2}
    assert figures["legal_updates"] == {"due": 3, "on_time": 1, "late": 2, "open": 0}
    assert figures["dossiers"] == {"resolved": 12, "early": 7, "on_time": 4, "late": 1, "on_time_rate": "91.7"}
    assert (figures["last_audit_on"], figures["last_review_on"]) == ("2026-05-13", "2026-06-25")
    assert figures["procedures"]["published"] == 1  # the audited process, published by complete_audit
    assert [p["key"] for p in figures["points"]][:2] == ["scope_covers_procedures", "documents_disseminated"]


def test_the_last_audit_and_review_are_those_up_to_the_end_of_the_period(records):
    figures = report_figures(agency=records, year=YEAR, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 5, 31),
                             today=ON)
    assert (figures["last_audit_on"], figures["last_review_on"]) == ("2026-05-13", "2025-06-20")


def test_an_agency_without_records_has_zeros_and_no_dates(world):
    figures = report_figures(agency=world.sibling, year=YEAR, start=H1[0], end=H1[1], today=ON)
    assert figures["documents"] == {"issued": 0, "revised": 0}
    assert figures["dossiers"]["on_time_rate"] is None and figures["last_audit_on"] is None


def test_the_report_is_prefilled_and_refreshed_keeping_the_coordinators_text(world, records):
    # given the period opened on 10/07: the report holds the records of that day
    period = open_period(world, kind="six_monthly", half=1, due_on=dt.date(YEAR, 7, 20), today=ON)
    report = report_of(period, world.own)
    assert report.figures["nonconformities"] == {"raised": 2, "closed": 1, "open": 2}
    coordinator = world.users["iso_coordinator"]
    report = services.report_update(actor=coordinator, report=report, results="Kết quả",
                                    remarks={"improvements_made": "Cải tiến quy trình một cửa"})
    # when a nonconformity of the period is closed afterwards and the coordinator updates the figures
    Nonconformity.objects.filter(agency=world.own, year=YEAR).update(status="closed", closed_at=at("2026-06-01 09:00"))
    before = report.figures_at
    report = services.report_refresh(actor=coordinator, report=report, today=ON)
    # then the figures changed, the text and the remarks stayed
    assert report.figures["nonconformities"] == {"raised": 2, "closed": 3, "open": 0}
    assert report.figures_at >= before
    assert (report.results, report.remarks) == ("Kết quả", {"improvements_made": "Cải tiến quy trình một cửa"})
