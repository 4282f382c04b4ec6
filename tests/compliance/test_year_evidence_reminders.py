"""Opening a year from the previous one, the evidence folder and its XLSX index, the reminders."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from eiso.compliance import contracts as paths
from eiso.compliance import services
from eiso.compliance.evidence import evidence_folder
from eiso.compliance.models import ComplianceItem, ComplianceReminder
from eiso.compliance.obligations import INTERNAL_AUDIT, SUPERVISOR_REPORT
from eiso.compliance.reminders import compliance_reminders_send
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.documents.models import Revision
from tests.compliance.conftest import document, update_task
from tests.conftest import login

YEAR = 2026
JAN = dt.date(YEAR, 1, 5)


# --- Opening a year ---------------------------------------------------------------------------------------------


def test_start_opens_the_items_and_copies_last_years_set(world, contracts):
    # given the objectives and audits apps copy the previous year's set
    contracts.answer(paths.OBJECTIVES_COPY_YEAR, 4)
    contracts.answer(paths.PROGRAMME_COPY_YEAR, "programme-2026")
    actor = world.users["iso_coordinator"]
    # when
    result = services.compliance_year_start(actor=actor, agency=world.own, year=YEAR, today=JAN)
    # then
    assert ComplianceItem.objects.filter(agency=world.own, year=YEAR).count() == 6
    assert (result.objectives_copied, result.programme, result.notes) == (4, "programme-2026", [])
    copy = {"actor": actor, "agency": world.own, "from_year": YEAR - 1, "to_year": YEAR}
    assert contracts.calls == [(paths.OBJECTIVES_COPY_YEAR, copy), (paths.PROGRAMME_COPY_YEAR, copy)]


def test_starting_a_year_twice_is_refused_and_changes_nothing(world, contracts):
    contracts.answer(paths.OBJECTIVES_COPY_YEAR, 4)
    contracts.answer(paths.PROGRAMME_COPY_YEAR, "programme")
    services.compliance_year_start(actor=world.users["agency_head"], agency=world.own, year=YEAR, today=JAN)
    ids = set(ComplianceItem.objects.values_list("pk", flat=True))
    calls = len(contracts.calls)
    # when
    with pytest.raises(ApplicationError) as refused:
        services.compliance_year_start(actor=world.users["iso_coordinator"], agency=world.own, year=YEAR, today=JAN)
    # then
    assert refused.value.code == "year_open"
    assert set(ComplianceItem.objects.values_list("pk", flat=True)) == ids
    assert len(contracts.calls) == calls  # nothing copied a second time


def test_a_copy_refused_by_its_app_is_reported_and_the_year_opens(world, contracts):
    contracts.answer(paths.OBJECTIVES_COPY_YEAR, raises=ApplicationError("The year 2026 already has objectives."))
    result = services.compliance_year_start(actor=world.users["agency_head"], agency=world.own, year=YEAR, today=JAN)
    assert ComplianceItem.objects.filter(agency=world.own, year=YEAR).count() == 6
    assert result.objectives_copied is None and result.programme is None
    assert result.notes == ["Quality objectives: not copied. The year 2026 already has objectives.",
                            "Audit programme: not copied, not available in this installation yet."]


@pytest.mark.parametrize("role", ["staff", "auditor", "supervisor", "consultant"])
def test_only_managers_start_a_year(world, contracts, role):
    with pytest.raises(PermissionDeniedError):
        services.compliance_year_start(actor=world.users[role], agency=world.own, year=YEAR, today=JAN)
    assert not ComplianceItem.objects.exists()


@pytest.mark.parametrize("year", [2013, YEAR + 2])
def test_start_refuses_an_unreasonable_year(world, contracts, year):
    with pytest.raises(ApplicationError) as refused:
        services.compliance_year_start(actor=world.users["agency_head"], agency=world.own, year=year, today=JAN)
    assert refused.value.code == "invalid_year"
    assert not ComplianceItem.objects.exists()


# --- Evidence folder --------------------------------------------------------------------------------------------


def published(agency, code, when):
    doc = document(agency, code=code, title=f"Quy trình {code}")
    return Revision.objects.create(agency=agency, document=doc, number=1, status="published",
                                   published_at=timezone.make_aware(when))


@pytest.fixture
def folder_data(world, contracts):
    contracts.answer(paths.EVIDENCE_PROVIDERS["audits"], records=[
        {"title": "Chương trình đánh giá nội bộ 2026", "url": "/audits/p/1/", "on": dt.date(YEAR, 2, 1)},
        {"title": "Báo cáo đánh giá nội bộ", "url": "/audits/a/2/", "on": dt.date(YEAR, 9, 20)}])
    contracts.answer(paths.EVIDENCE_PROVIDERS["reviews"], records=[
        {"title": "Biên bản họp xem xét của lãnh đạo", "url": "/reviews/3/", "on": dt.date(YEAR, 10, 25)}])
    published(world.own, "QT-05", dt.datetime(YEAR, 3, 2, 9, 0))
    published(world.own, "QT-OLD", dt.datetime(YEAR - 1, 3, 2, 9, 0))  # another year
    published(world.sibling, "QT-SIB", dt.datetime(YEAR, 3, 2, 9, 0))  # another agency
    update_task(world.own, dt.date(YEAR, 4, 30), code="QT-07")


def test_evidence_folder_gathers_the_years_records_by_category(world, folder_data):
    categories = {c.key: c for c in evidence_folder(user=world.users["staff"], agency=world.own, year=YEAR)}
    assert list(categories) == ["objectives", "risks", "audits", "improvement", "reviews", "documents", "legal",
                                "reports"]
    assert not categories["objectives"].available and categories["audits"].available
    assert [r["title"] for r in categories["audits"].records] == ["Chương trình đánh giá nội bộ 2026",
                                                                 "Báo cáo đánh giá nội bộ"]
    assert [r["title"] for r in categories["documents"].records] == ["QT-05 Quy trình QT-05, issue 1"]
    assert len(categories["legal"].records) == 1 and categories["legal"].records[0]["on"] == dt.date(YEAR, 4, 30)


def test_evidence_xlsx_read_back(client, world, folder_data):
    login(client, world.users["auditor"])
    response = client.get(f"/compliance/{YEAR}/evidence.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Category", "Title", "Date", "Link")
    body = [(r[0], r[1], r[2].date(), r[3]) for r in rows[2:]]
    assert body == [
        ("Internal audit", "Chương trình đánh giá nội bộ 2026", dt.date(YEAR, 2, 1), "http://testserver/audits/p/1/"),
        ("Internal audit", "Báo cáo đánh giá nội bộ", dt.date(YEAR, 9, 20), "http://testserver/audits/a/2/"),
        ("Management review", "Biên bản họp xem xét của lãnh đạo", dt.date(YEAR, 10, 25),
         "http://testserver/reviews/3/"),
        ("Documents issued", "QT-05 Quy trình QT-05, issue 1", dt.date(YEAR, 3, 2),
         f"http://testserver{Revision.objects.get(document__code='QT-05').document.get_absolute_url()}"),
        ("Updates after changes in the law", "QT-07 Quy trình đăng ký khai sinh: Legal basis changed (Open)",
         dt.date(YEAR, 4, 30), rows[-1][3]),
    ]
    assert rows[-1][3].startswith("http://testserver/legal/update-tasks/")
    assert sheet.cell(row=3, column=3).number_format == "DD/MM/YYYY"


def test_evidence_page_says_what_is_not_available(client, world, folder_data):
    login(client, world.users["agency_head"])
    body = client.get(f"/compliance/{YEAR}/evidence/").content.decode()
    assert "Biên bản họp xem xét của lãnh đạo" in body and "Not available in this installation yet." in body
    assert "QT-SIB" not in body and "QT-OLD" not in body


def test_a_failing_provider_is_not_hidden(world, contracts):
    contracts.answer(paths.EVIDENCE_PROVIDERS["risks"], raises=RuntimeError("broken provider"))
    with pytest.raises(RuntimeError):
        evidence_folder(user=world.users["staff"], agency=world.own, year=YEAR)


def test_manual_items_done_appear_in_the_folder(world, contracts):
    services.compliance_year_start(actor=world.users["agency_head"], agency=world.own, year=YEAR, today=JAN)
    item = ComplianceItem.objects.get(agency=world.own, year=YEAR, obligation=SUPERVISOR_REPORT)
    services.compliance_item_done(actor=world.users["agency_head"], item=item, evidence="Báo cáo số 12/BC-UBND",
                                  done_on=dt.date(YEAR, 11, 20), today=dt.date(YEAR, 11, 21))
    reports = evidence_folder(user=world.users["staff"], agency=world.own, year=YEAR)[-1]
    assert [(r["title"], r["on"]) for r in reports.records] == [
        ("Yearly report to the supervising authority: Báo cáo số 12/BC-UBND", dt.date(YEAR, 11, 20))]


# --- Reminders --------------------------------------------------------------------------------------------------


def at(day: dt.date):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 7, 0))


@pytest.fixture
def reminded_world(world, contracts):
    for role in ("agency_head", "iso_coordinator"):
        world.users[role].email = f"{role}@camduong.gov.vn"
        world.users[role].save()
    services.compliance_year_start(actor=world.users["agency_head"], agency=world.own, year=YEAR, today=JAN)
    # every derived obligation done except the internal audit
    for path in (paths.OBJECTIVES_SET_ON, paths.REVIEW_HELD_ON, paths.EFFECTIVENESS_CONFIRMED_ON):
        contracts.answer(path, dt.date(YEAR, 1, 20))
    contracts.answer(paths.AUDIT_COMPLETED_ON, None)
    return world


def test_reminders_sent_once_per_item_and_threshold(reminded_world):
    world = reminded_world
    # when: 7 days before the audit's due date (30/09); the report (30/11) is 68 days away
    counts = compliance_reminders_send(now=at(dt.date(YEAR, 9, 23)))
    # then one message to the managers, for the audit only
    assert counts == {"agencies": 1, "items": 1, "messages": 1, "failed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["agency_head@camduong.gov.vn", "iso_coordinator@camduong.gov.vn"]
    assert "Internal audit carried out (2026): due on 30/09/2026" in message.body
    # the run was late: the 30-day threshold is counted as sent with the 7-day one
    audit = ComplianceItem.objects.get(agency=world.own, year=YEAR, obligation=INTERNAL_AUDIT)
    assert sorted(ComplianceReminder.objects.filter(item=audit).values_list("days_before", flat=True)) == [7, 30]
    # when run again the same day and the next: nothing more
    assert compliance_reminders_send(now=at(dt.date(YEAR, 9, 23)))["messages"] == 0
    assert compliance_reminders_send(now=at(dt.date(YEAR, 9, 24)))["messages"] == 0
    assert len(mail.outbox) == 1
    # when the due day passes: the last reminder (overdue), once
    compliance_reminders_send(now=at(dt.date(YEAR, 10, 2)))
    compliance_reminders_send(now=at(dt.date(YEAR, 10, 3)))
    assert len(mail.outbox) == 2
    assert "OVERDUE since 30/09/2026" in mail.outbox[1].body


def test_no_reminder_for_what_is_done(reminded_world, contracts):
    contracts.answer(paths.AUDIT_COMPLETED_ON, dt.date(YEAR, 9, 1))
    assert compliance_reminders_send(now=at(dt.date(YEAR, 9, 23)))["messages"] == 0
    assert not ComplianceReminder.objects.exists()


def test_no_reminder_for_a_year_not_opened(world, contracts):
    world.users["agency_head"].email = "head@camduong.gov.vn"
    world.users["agency_head"].save()
    assert compliance_reminders_send(now=at(dt.date(YEAR, 10, 2)))["messages"] == 0


def test_a_failed_send_is_retried_next_time(reminded_world, monkeypatch):
    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    assert compliance_reminders_send(now=at(dt.date(YEAR, 9, 23)))["failed"] == 1
    assert not ComplianceReminder.objects.exists()


def test_celery_task_runs_the_reminders(reminded_world, monkeypatch):
    from eiso.compliance import reminders
    from eiso.compliance.tasks import send_compliance_reminders

    monkeypatch.setattr(reminders.timezone, "now", lambda: at(dt.date(YEAR, 9, 23)))
    assert send_compliance_reminders.delay().get()["messages"] == 1
