"""Issue 6 ("Run the QMS year") in a real browser: one simulated year, 2026, of the demo commune's QMS.

January: the ISO coordinator opens the year in the compliance calendar and sets the year's quality objective,
measured by two indicators that eISO computes from its own data (dossiers resolved on time ≥ 98 %, satisfied
citizens ≥ 90 %); the head approves it. Two birth registrations are processed (one early, rated very satisfied;
one late, rated not satisfied) and the objective's page shows the live values move: nothing, then 100 %, then
50 %. February: the internal audit programme, approved by the head. June: the audit of the one-stop desk and the
birth-registration process: an auditor who works at the desk is refused (independence), the internal auditor
leads, the checklist is built from the clause library and the process, executed in the page, two minor
nonconformities are found and raised, the audit is completed and its report (DOCX) read back. July–August: one of
the two nonconformities is analysed, corrected, verified effective and closed; the other stays open. August: a
citizen sends a petition through the public form (no login, the check question answered) and the coordinator
assigns, answers and closes it; the citizen reads the answer. October: the management review opens with every
input of ISO 9001 9.3.2 assembled from that year's data (the actions of the 2025 review, the context and risks
and the change of the procedure in the national catalogue recorded along the year included), a decision is
recorded, the minutes (DOCX) are read back and the head confirms the effectiveness of the QMS. November: the
compliance calendar shows the year done but for the report to the supervising authority; in December that
report is overdue and the Department of Science and Technology sees it in its overview, until the coordinator
records it.
"""

import datetime as dt
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from tests.browser.story import STEPS, Clock, docx_text, download, edit_form, fill, send, status, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OBJECTIVE = "Giải quyết thủ tục hành chính đúng hạn, người dân hài lòng"
ON_TIME = "Tỷ lệ hồ sơ giải quyết đúng hạn"
SATISFIED = "Tỷ lệ người dân, tổ chức hài lòng"
FINDINGS = (
    ("8.5.1", "Bước B2 của quy trình 1.001193 không ghi ngày chuyển hồ sơ trên phiếu kiểm soát",
     "Phiếu kiểm soát của 2 trong 5 hồ sơ lấy mẫu tháng 01/2026"),
    ("9.1.2", "Chưa tổng hợp ý kiến đánh giá sự hài lòng của người dân theo quý",
     "Không có báo cáo tổng hợp quý I/2026"),
)
PETITION = "Đề nghị Ủy ban niêm yết thêm mẫu tờ khai đăng ký khai sinh tại Bộ phận Một cửa."
ANSWER = "Ủy ban đã niêm yết mẫu tờ khai tại Bộ phận Một cửa từ ngày 06/08/2026. Trân trọng cảm ơn ông."
DECISION = "Bổ sung 01 công chức tư pháp - hộ tịch dự phòng khi nghỉ phép, để không còn hồ sơ trễ hạn"
CONCLUSION = "Hệ thống quản lý chất lượng phù hợp, đầy đủ và có hiệu lực; tiếp tục cải tiến việc giải quyết đúng hạn."


# --- The browser ----------------------------------------------------------------------------------------------


def live_value(page, metric: str) -> str:
    """The live value of the objective's indicator computing `metric`, as shown ("—": nothing to measure)."""
    return page.locator(f"section[data-metric='{metric}'] .live-value").inner_text().strip()


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def lines_of(page, key: str) -> list[tuple[str, str]]:
    """The (label, value) lines of one input of the management review, as shown."""
    rows = page.locator(f"article#input-{key} table tr")
    return [(row.locator("th").inner_text().strip(), row.locator("td").inner_text().strip()) for row in rows.all()]


# --- The world ------------------------------------------------------------------------------------------------


@pytest.fixture
def clock():
    """The application's clock, frozen from before the demo is loaded until the end of the story."""
    clock = Clock()
    clock.set("2025-12-01 09:00")
    with mock.patch("django.utils.timezone.now", new=clock):
        yield clock


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def commune(clock, demo):
    """The demo commune as it enters 2026: its QMS built in December 2025 with the birth-registration process
    (1.001193, three steps, 1 working day) in force; the one-stop officer (staff) also trained as an internal
    auditor; and the 2025 management review held, one of its actions still open."""
    from eiso.accounts.models import User
    from eiso.core.permissions import Role
    from eiso.organizations.models import Agency, OrgUnit, RoleAssignment
    from eiso.processes.bootstrap import qms_bootstrap
    from eiso.processes.models import Process
    from eiso.processes.services import process_steps_replace, process_transition
    from eiso.reviews import services as reviews
    from eiso.reviews.models import ReviewInput

    agency = Agency.objects.get(name=demo["demo_commune"])
    people = {name: User.objects.get(username=name) for name in
              ("coordinator", "head", "staff", "staff2", "auditor", "supervisor")}
    coordinator, head = people["coordinator"], people["head"]
    qms_bootstrap(actor=coordinator, agency=agency)
    process = Process.objects.get(agency=agency, procedures__code="1.001193")
    process_steps_replace(actor=coordinator, process=process, steps=STEPS)
    for actor, action in ((coordinator, "submit"), (head, "approve"), (head, "publish")):
        process_transition(actor=actor, process=process, action=action)
    RoleAssignment.objects.create(user=people["staff"], agency=agency, role=Role.AUDITOR)

    clock.set("2025-12-15 10:00")
    review = reviews.review_create(
        actor=coordinator, agency=agency, title="Xem xét của lãnh đạo năm 2025", year=2025,
        period_start=dt.date(2025, 7, 1), period_end=dt.date(2025, 12, 15), meeting_at=at("2025-12-15 08:00"),
        place="Hội trường UBND", chair=head, secretary=coordinator)
    reviews.review_inputs_assemble(actor=coordinator, review=review)
    reviews.review_input_comment(actor=coordinator, review_input=ReviewInput.objects.get(review=review,
                                                                                         key="improvement"),
                                 comment="Hệ thống mới xây dựng sau sắp xếp đơn vị hành chính.")
    reviews.review_hold(actor=coordinator, review=review)
    reviews.review_action_add(actor=coordinator, review=review, kind="qms_change", owner=coordinator,
                              description="Đào tạo chuyên gia đánh giá nội bộ", due_on=dt.date(2026, 12, 31))
    reviews.review_close(actor=coordinator, review=review, conclusion="Hệ thống bước đầu vận hành.")
    return SimpleNamespace(agency=agency, process=process, procedure=process.procedures.get(),
                           desk=OrgUnit.objects.get(agency=agency, name="Bộ phận Một cửa"), **people)


def birth_registration(clock, commune, *, applicant: str, phone: str, received: str, hand_overs: list[str],
                       returned: str, rating: int):
    """One dossier through eiso.dossiers.services: received at the desk, its three steps handed over at the
    given moments, the result returned and rated by the applicant."""
    from eiso.dossiers import services as dossiers

    clock.set(received)
    dossier = dossiers.dossier_receive(actor=commune.staff, agency=commune.agency, procedure=commune.procedure,
                                       applicant={"name": applicant, "phone": phone})
    for moment in hand_overs:
        clock.set(moment)
        step = dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)
        dossier = dossiers.dossier_step_complete(actor=commune.head, step=step)
    clock.set(returned)
    dossier = dossiers.dossier_notify(actor=commune.staff, dossier=dossier)
    dossier = dossiers.dossier_return(actor=commune.staff, dossier=dossier, method="desk")
    return dossiers.dossier_rate(dossier=dossier, rating=rating)


# --- The year -------------------------------------------------------------------------------------------------


def test_a_year_of_the_quality_management_system(clock, commune, page, browser, live_server, sign_in, settings):
    from eiso.audits import services as audits
    from eiso.audits.models import AuditProgramme, InternalAudit
    from eiso.improvement.models import Feedback
    from eiso.legal import services as legal
    from eiso.objectives.models import Measurement, QualityObjective
    from eiso.reviews.inputs import SOURCES
    from eiso.reviews.models import ManagementReview
    from eiso.risks import services as risks

    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 400  # one sign-in may span weeks of frozen time
    base = live_server.url
    agency, coordinator, head, auditor = commune.agency, commune.coordinator, commune.head, commune.auditor

    def as_user(username: str) -> None:
        page.context.clear_cookies()
        sign_in(username)
        if username != "supervisor":
            assert page.locator("#agency-switcher").input_value() == str(agency.pk)

    # === January: the year is opened, the objective set and approved ===========================================
    clock.set("2026-01-05 08:00")
    as_user("coordinator")
    page.goto(f"{base}/compliance/?year=2026")
    submit(page, page.locator("form[action$='/compliance/2026/start/'] button"))
    assert status(page, "item-objectives_set") == "due_soon"  # due 31/01

    page.goto(f"{base}/objectives/new/?year=2026")
    send(page, edit_form(page), year="2026", title=OBJECTIVE, owner=str(coordinator.pk),
         description="Mục tiêu chất lượng năm 2026 theo chính sách chất lượng của UBND.")
    assert re.search(r"/objectives/[0-9a-f-]{36}/$", page.url)
    objective_url = page.url
    objective = QualityObjective.objects.get(agency=agency, year=2026)
    for name, metric, target in ((ON_TIME, "dossier_on_time_rate", "98"), (SATISFIED, "satisfaction_rate", "90")):
        page.goto(f"{objective_url}indicators/new/")
        send(page, edit_form(page), name=name, value_source="computed", metric=metric, comparison="gte",
             target=target, frequency="monthly", owner=str(coordinator.pk))
        assert page.url == objective_url
    assert status(page, "objective-status") == "draft"

    # Two context facts the coordinator records in the register along the way (eiso.risks, no page needed).
    clock.set("2026-01-06 09:00")
    risks.context_issue_create(actor=coordinator, agency=agency, kind="external",
                               description="Sau sắp xếp đơn vị hành chính, địa bàn phường rộng gấp ba",
                               identified_on=dt.date(2026, 1, 6))
    risks.risk_create(actor=coordinator, agency=agency, process=commune.process, likelihood=3, consequence=3,
                      description="Hồ sơ hộ tịch trễ hạn khi công chức tư pháp - hộ tịch nghỉ phép",
                      identified_on=dt.date(2026, 1, 6))

    clock.set("2026-01-06 10:00")
    as_user("head")
    page.goto(objective_url)
    submit(page, page.locator("form[action$='/approve/'] button"))
    assert status(page, "objective-status") == "approved"
    # Approved, measured live: nothing resolved and nothing rated in January yet.
    assert live_value(page, "dossier_on_time_rate") == "—" and live_value(page, "satisfaction_rate") == "—"

    # Monday 12/01: a birth registration resolved early, the applicant very satisfied: both indicators at 100 %.
    birth_registration(clock, commune, applicant="Nguyễn Văn An", phone="0912000001", received="2026-01-12 08:00",
                       hand_overs=["2026-01-12 09:00", "2026-01-12 10:00", "2026-01-12 11:00"],
                       returned="2026-01-12 14:00", rating=3)
    clock.set("2026-01-12 15:30")
    page.reload()
    assert live_value(page, "dossier_on_time_rate") == "100 %"
    assert live_value(page, "satisfaction_rate") == "100 %"

    # 13/01 to 16/01: another one, returned three days late; the applicant is not satisfied: both fall to 50 %.
    birth_registration(clock, commune, applicant="Lò Thị Bình", phone="0912000002", received="2026-01-13 08:00",
                       hand_overs=["2026-01-15 09:00", "2026-01-16 09:00", "2026-01-16 10:00"],
                       returned="2026-01-16 14:00", rating=1)
    clock.set("2026-01-16 15:30")
    page.reload()
    assert live_value(page, "dossier_on_time_rate") == "50 %"
    assert live_value(page, "satisfaction_rate") == "50 %"

    # End of January: the coordinator records the month's values (below target, both).
    clock.set("2026-01-30 16:00")
    as_user("coordinator")
    page.goto(objective_url)
    for metric in ("dossier_on_time_rate", "satisfaction_rate"):
        submit(page, page.locator(f"section[data-metric='{metric}'] form[action$='/compute/'] button"))
    measured = Measurement.objects.filter(indicator__objective=objective, period_start=dt.date(2026, 1, 1))
    assert sorted((m.value, m.result) for m in measured) == [(50, "below"), (50, "below")]
    page.goto(f"{base}/compliance/?year=2026")
    assert status(page, "item-objectives_set") == "done"

    # === February: the internal audit programme ================================================================
    clock.set("2026-02-02 09:00")
    page.goto(f"{base}/audits/programmes/new/")
    send(page, edit_form(page), year="2026", title="Chương trình đánh giá nội bộ năm 2026",
         objectives="Đánh giá sự phù hợp và hiệu lực của HTQLCL trước khi xem xét của lãnh đạo.")
    programme = AuditProgramme.objects.get(agency=agency, year=2026)
    assert page.url.endswith(programme.get_absolute_url())
    send(page, page.locator("form[action$='/entries/']"), process=str(commune.process.pk),
         org_unit=str(commune.desk.pk), clauses="8.5.1, 9.1.2", planned_month="6", auditor=str(auditor.pk))
    assert status(page, "programme-status") == "draft"

    clock.set("2026-02-03 09:00")
    as_user("head")
    page.goto(f"{base}{programme.get_absolute_url()}")
    submit(page, page.locator("form[action$='/approve/'] button"))
    assert status(page, "programme-status") == "approved"

    # March: the procedure changed in the national catalogue; April: the coordinator finds the process unaffected.
    clock.set("2026-03-02 08:00")
    tasks = legal.update_tasks_for_procedure_changes(actor=None, procedures=[commune.procedure])
    (task,) = [t for t in tasks if t.agency_id == agency.pk]
    clock.set("2026-04-01 09:00")
    legal.update_task_dismiss(actor=coordinator, task=task,
                              justification="Chỉ sửa tên cơ quan tiếp nhận, quy trình không phải cập nhật.")

    # === June: the internal audit ===============================================================================
    clock.set("2026-06-01 09:00")
    as_user("coordinator")
    page.goto(f"{base}/audits/programmes/{programme.pk}/audits/new/")
    send(page, edit_form(page), title="Đánh giá Bộ phận Một cửa và quy trình đăng ký khai sinh",
         objectives="Sự phù hợp của việc tiếp nhận, giải quyết và trả kết quả.", processes=[str(commune.process.pk)],
         org_units=[str(commune.desk.pk)], clauses="8.5.1, 9.1.2", auditees="Công chức Bộ phận Một cửa",
         start_on="2026-06-15", end_on="2026-06-16")
    audit = InternalAudit.objects.get(programme=programme)
    assert page.url.endswith(audit.get_absolute_url()) and audit.number == "ĐGNB-2026-01"

    # Independence: the one-stop officer is an internal auditor too, but may not audit her own desk.
    team = page.locator("form[action$='/team/']")
    send(page, team, ok=False, lead_auditor=str(commune.staff.pk))
    assert commune.staff.full_name in page.locator(".msg-error").inner_text()
    audit.refresh_from_db()
    assert audit.lead_auditor is None
    send(page, page.locator("form[action$='/team/']"), lead_auditor=str(auditor.pk))
    audit.refresh_from_db()
    assert audit.lead_auditor == auditor

    # The checklist: the library's questions of clauses 8.5.1 and 9.1.2, then the process's own steps.
    submit(page, page.locator("form[action$='/checklist/build/'] button"))
    assert page.url.endswith(f"/audits/{audit.pk}/checklist/")
    items = list(audit.checklist.order_by("order"))
    assert {i.source for i in items} == {"library", "process"} and page.locator("tbody tr").count() == len(items)
    assert {i.clause for i in items if i.source == "library"} == {"8.5.1", "9.1.2"}

    clock.set("2026-06-15 08:00")
    page.goto(f"{base}{audit.get_absolute_url()}")
    submit(page, page.locator("button[name=action][value=start]"))
    assert status(page, "audit-status") == "in_progress"

    # The lead auditor answers the checklist in the page (the first questions; the rest the same way, faster).
    clock.set("2026-06-15 09:00")
    as_user("auditor")
    page.goto(f"{base}/audits/{audit.pk}/checklist/")
    answers = [("conforming", "Sổ đăng ký khai sinh năm 2026, đủ chữ ký"), ("nonconformity", FINDINGS[0][2]),
               ("not_applicable", "")]
    for item, (result, evidence) in zip(items, answers, strict=False):
        send(page, page.locator(f"tr#item-{item.pk} form"), result=result, evidence=evidence)
    for item in items[len(answers):]:
        audits.checklist_item_record(actor=auditor, item=item, result="conforming", evidence="Đã kiểm tra")
    recorded = {i.pk: (i.result, i.recorded_by) for i in audit.checklist.all()}
    assert [recorded[i.pk] for i in items[:3]] == [(r, auditor) for r, _e in answers]
    assert all(result for result, _by in recorded.values())

    # Two findings, minor nonconformities: each raised at once as a nonconformity of the improvement app.
    page.goto(f"{base}{audit.get_absolute_url()}")
    for clause, description, evidence in FINDINGS:
        send(page, page.locator("form[action$='/findings/']"), grade="minor", clause=clause,
             process=str(commune.process.pk), description=description, evidence=evidence)
    findings = list(audit.findings.order_by("sequence").select_related("nonconformity"))
    assert [f.nonconformity.source for f in findings] == ["audit_finding", "audit_finding"]
    links = page.locator("#findings tr[id^='finding-'] a[href^='/improvement/']")
    assert links.count() == 2

    clock.set("2026-06-16 16:00")
    page.reload()
    page.locator("#id_conclusions").fill("HTQLCL được áp dụng phù hợp; 02 điểm không phù hợp nhỏ cần khắc phục.")
    submit(page, page.locator("button[name=action][value=complete]"))
    assert status(page, "audit-status") == "completed"

    # The audit report, downloaded from the page and read back: both findings and their nonconformities.
    report = docx_text(download(page, page.locator("a[href$='/report.docx']")))
    assert audit.number in report
    for finding in findings:
        assert finding.description in report and finding.nonconformity.number in report

    # === July–August: the first nonconformity corrected, verified and closed; the second stays open ===========
    first, second = (f.nonconformity for f in findings)
    clock.set("2026-07-01 09:00")
    as_user("coordinator")
    page.goto(f"{base}{first.get_absolute_url()}")
    send(page, page.locator("form[action$='/analysis/']"), method="five_whys",
         analysis="Vì sao thiếu ngày? Phiếu cũ không có cột ngày. Vì sao dùng phiếu cũ? Chưa thu hồi mẫu cũ.",
         root_cause="Mẫu phiếu kiểm soát cũ chưa được thu hồi")
    assert status(page, "nonconformity-status") == "analysed"
    send(page, page.locator("form[action$='/actions/']"), owner=str(commune.staff.pk), due_on="2026-07-31",
         description="Thu hồi mẫu phiếu cũ, hướng dẫn ghi đủ ngày chuyển hồ sơ")
    submit(page, page.locator("form:has(input[name=action][value=start_actions]) button"))
    assert status(page, "nonconformity-status") == "actions"

    clock.set("2026-07-20 10:00")
    page.reload()
    send(page, page.locator("form[action$='/done/']"), evidence="Biên bản thu hồi mẫu phiếu ngày 20/07/2026")
    submit(page, page.locator("form:has(input[name=action][value=submit_verification]) button"))
    assert status(page, "nonconformity-status") == "verification"

    clock.set("2026-08-28 10:00")
    page.reload()
    send(page, page.locator("form[action$='/verify/']"), is_effective="yes",
         comment="Kiểm tra 10 phiếu kiểm soát tháng 8: đủ ngày chuyển hồ sơ")
    submit(page, page.locator("form:has(input[name=action][value=close]) button"))
    assert status(page, "nonconformity-status") == "closed"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.is_effective, second.status) == ("closed", True, "raised")

    # === August: a citizen's petition through the public form ==================================================
    clock.set("2026-08-03 10:00")
    citizen = browser.new_context(locale="vi-VN")
    try:
        public = citizen.new_page()
        public.goto(f"{base}/public/feedback/")
        search = public.locator("#agency-search")
        fill(search, q="Cam Đường")
        submit(public, search.locator("button[type=submit]"))
        submit(public, public.locator(f"#agencies a[href*='agency={agency.code}']"))
        question = public.locator("#challenge strong").inner_text()
        left, right = (int(n) for n in re.findall(r"\d+", question))
        send(public, public.locator("#feedback-form"), kind="petition", procedure=str(commune.procedure.pk),
             content=PETITION, submitter_name="Hoàng Văn Công", phone="0987 123 456",
             challenge_answer=str(left + right))
        tracking = public.locator("#tracking-code").inner_text().strip()
        feedback = Feedback.objects.get(number=tracking)
        assert (feedback.agency, feedback.kind, feedback.status) == (agency, "petition", "received")

        clock.set("2026-08-04 09:00")
        page.goto(f"{base}{feedback.get_absolute_url()}")
        send(page, page.locator("form[action$='/assign/']"), handler=str(commune.staff2.pk))
        assert status(page, "feedback-status") == "assigned"
        clock.set("2026-08-06 15:00")
        page.reload()
        send(page, page.locator("form[action$='/respond/']"), response=ANSWER)
        submit(page, page.locator("form[action$='/close/'] button"))
        assert status(page, "feedback-status") == "closed"

        # The citizen follows it with the tracking code and the last 4 digits of the phone.
        clock.set("2026-08-07 08:00")
        public.goto(f"{base}/public/feedback/status/?code={tracking}")
        send(public, public.locator("#status-form"), digits="3456")
        assert public.locator("#feedback-response").inner_text().strip() == ANSWER
    finally:
        citizen.close()

    # === October: the management review ========================================================================
    clock.set("2026-10-12 09:00")
    page.goto(f"{base}/reviews/new/")
    send(page, edit_form(page), title="Xem xét của lãnh đạo năm 2026", year="2026", period_start="2026-01-01",
         period_end="2026-10-15", meeting_at="2026-10-20T08:00", place="Hội trường UBND phường",
         chair=str(head.pk), secretary=str(coordinator.pk),
         attendees="Trần Văn Thủ Trưởng - Chủ tịch UBND\nLê Thị Thư Ký - Thư ký ISO")
    review = ManagementReview.objects.get(agency=agency, year=2026)
    assert page.url.endswith(review.get_absolute_url())

    clock.set("2026-10-19 14:00")
    page.reload()
    submit(page, page.locator("form[action$='/assemble/'] button"))
    assert status(page, "review-status") == "inputs_assembled"

    # Every input of 9.3.2 is there, each with lines assembled from the year's data.
    inputs = {source.key: lines_of(page, source.key) for source in SOURCES}
    assert all(inputs.values()), [key for key, lines in inputs.items() if not lines]
    values = {key: " | ".join(f"{label}: {value}" for label, value in lines) for key, lines in inputs.items()}
    # a) the open action of the 2025 review
    assert "Đào tạo chuyên gia đánh giá nội bộ" in values["previous_actions"]
    # b, e) the context issue and the risk of January; b) the catalogue change and its dismissed update task
    assert "Sau sắp xếp đơn vị hành chính" in values["context_and_risks"]
    legal_values = [value for _label, value in inputs["legal_changes"]]
    assert legal_values[-4] == "1" and legal_values[-2] == "1" and numbers(legal_values[-1]) == [0, 0]
    # c1) the petition
    assert numbers(inputs["satisfaction"][0][1]) == [1, 0, 1]
    # c2) one line per indicator: 50 % against 98 % and 90 %, not reached
    objectives = inputs["objectives"]
    assert [label for label, _v in objectives] == [f"{OBJECTIVE} — {ON_TIME}", f"{OBJECTIVE} — {SATISFIED}"]
    assert objectives[0][1].startswith("50 %") and "98 %" in objectives[0][1]
    assert objectives[1][1].startswith("50 %") and "90 %" in objectives[1][1]
    # c3) two dossiers received and resolved, one late: 50,0 % on time; the birth registration named as late
    dossier_values = [value for _label, value in inputs["dossier_performance"]]
    resolved, early, on_time, late = numbers(dossier_values[1])
    assert dossier_values[0] == "2" and (resolved, early + on_time, late) == (2, 1, 1) and dossier_values[2] == "50,0 %"
    assert "1.001193" in values["process_performance"]
    # c4) two nonconformities raised (both from the audit), one closed and effective, one still open
    nonconformities = [value for _label, value in inputs["nonconformities"]]
    assert numbers(nonconformities[0]) == [2, 2] and numbers(nonconformities[1]) == [1, 1]
    assert nonconformities[2] == "1" and nonconformities[3] == "0"
    # c5) the two measurements of January, below target
    assert numbers(inputs["monitoring"][0][1]) == [2, 0]
    # c6) one audit, completed, two minor nonconformities found, raised: 1 closed, 1 open
    audit_values = [value for _label, value in inputs["audits"]]
    assert numbers(audit_values[0])[:2] == [1, 1] and audit.number in audit_values[0]
    assert numbers(audit_values[1]) == [0, 2, 0, 0] and numbers(audit_values[2]) == [2, 1, 1]  # by grade
    # c7) the steps of the dossiers by the unit the process names; d) the people; f) the petition
    assert "Bộ phận Một cửa" in values["external_providers"]
    assert tracking in values["improvement"] and PETITION in values["improvement"]

    # Tuesday 20/10: the meeting took place; its decision; the minutes issued.
    clock.set("2026-10-20 11:00")
    page.reload()
    submit(page, page.locator("form[action$='/hold/'] button"))
    assert status(page, "review-status") == "held"
    send(page, page.locator("form[action$='/actions/']"), kind="resource", description=DECISION,
         owner=str(head.pk), due_on="2026-12-31")
    send(page, page.locator("form[action$='/close/']"), conclusion=CONCLUSION)
    assert status(page, "review-status") == "closed"

    minutes = docx_text(download(page, page.locator("a[href$='/minutes.docx']")))
    for text in (OBJECTIVE, ON_TIME, audit.number, tracking, "Đào tạo chuyên gia đánh giá nội bộ", DECISION,
                 CONCLUSION, "Sau sắp xếp đơn vị hành chính", "50,0 %"):
        assert text in minutes, text

    # Wednesday 21/10: the head confirms the effectiveness of the QMS on the basis of the review.
    clock.set("2026-10-21 09:00")
    as_user("head")
    page.goto(f"{base}{review.get_absolute_url()}")
    submit(page, page.locator("form[action$='/confirm/'] button"))
    assert head.full_name in page.locator("#confirmation").inner_text()
    review.refresh_from_db()
    assert review.effectiveness_confirmed_by == head

    # === November–December: the compliance calendar and the supervising authority ==============================
    clock.set("2026-11-20 09:00")
    as_user("coordinator")
    page.goto(f"{base}/compliance/?year=2026")
    calendar = {key: status(page, f"item-{key}") for key in (
        "objectives_set", "internal_audit", "management_review", "effectiveness_confirmed", "legal_updates",
        "supervisor_report")}
    assert calendar == {"objectives_set": "done", "internal_audit": "done", "management_review": "done",
                        "effectiveness_confirmed": "done", "legal_updates": "done", "supervisor_report": "due_soon"}
    for key, day in (("objectives_set", "06/01/2026"), ("internal_audit", "16/06/2026"),
                     ("management_review", "20/10/2026"), ("effectiveness_confirmed", "21/10/2026")):
        assert day in page.locator(f"#item-{key}").inner_text(), key

    # Thursday 03/12: the yearly report (due 30/11) has not been sent: the Department sees it overdue.
    clock.set("2026-12-03 09:00")
    overview = f"{base}/compliance/province/?year=2026&overdue=on"
    as_user("supervisor")
    page.goto(overview)
    row = page.locator(f"tr[data-agency='{agency.pk}']")
    assert [e.get_attribute("data-obligation") for e in row.locator("[data-obligation]").all()] == \
        ["supervisor_report"]

    # Friday 04/12: the coordinator records the report; the Department's overview no longer lists the commune.
    clock.set("2026-12-04 10:00")
    as_user("coordinator")
    page.goto(f"{base}/compliance/?year=2026")
    page.locator("#item-supervisor_report details:has(form[action$='/done/']) summary").click()
    send(page, page.locator("#item-supervisor_report form[action$='/done/']"),
         evidence="Báo cáo số 112/BC-UBND ngày 04/12/2026 gửi Sở Khoa học và Công nghệ")
    assert status(page, "item-supervisor_report") == "done"
    as_user("supervisor")
    page.goto(overview)
    assert page.locator(f"tr[data-agency='{agency.pk}']").count() == 0
    assert page.locator("tr[data-agency]").count() > 0  # the other agencies of the province are still overdue
