"""Pages, API and DOCX of internal audits: the happy path through the pages, refusals shown and nothing changed,
tenancy (another agency: 404), the documents read back with python-docx."""

import io

import pytest
from django.urls import reverse
from docx import Document

from eiso.audits import services
from eiso.audits.models import AuditFinding, AuditProgramme, InternalAudit
from eiso.improvement.models import Nonconformity
from tests.audits.conftest import started
from tests.conftest import login
from tests.factories import user_with_role


def docx_text(response) -> str:
    document = Document(io.BytesIO(b"".join(response) if hasattr(response, "streaming_content")
                                   else response.content))
    parts = []
    for block in document.iter_inner_content():  # paragraphs and tables in document order
        if hasattr(block, "rows"):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    return "\n".join(parts)


@pytest.mark.django_db
def test_plan_execute_and_report_through_the_pages(client, world, setup):
    coordinator, audit = world.users["iso_coordinator"], setup.audit
    login(client, coordinator)
    # given the coordinator chooses the team and a schedule line, and builds the checklist
    client.post(reverse("audits:audit_team", args=[audit.pk]), {"lead_auditor": setup.auditor.pk})
    client.post(reverse("audits:schedule_add", args=[audit.pk]), {
        "on": "2026-05-12", "start_time": "08:00", "end_time": "10:00", "process": str(setup.birth.pk),
        "clauses": "8.5.1, 7.5.3", "auditors": [setup.auditor.pk]})
    client.post(reverse("audits:checklist_build", args=[audit.pk]))
    client.post(reverse("audits:audit_transition", args=[audit.pk]), {"action": "start"})
    audit.refresh_from_db()
    assert audit.status == "in_progress" and audit.schedule.count() == 1
    # when the lead auditor records every result and a minor finding
    login(client, setup.auditor)
    for item in audit.checklist.all():
        client.post(reverse("audits:checklist_record", args=[item.pk]), {"result": "conforming", "evidence": "Sổ"})
    client.post(reverse("audits:finding_add", args=[audit.pk]), {
        "grade": "minor", "clause": "8.5.1", "process": str(setup.birth.pk),
        "description": "Bước B2 trễ hạn", "evidence": "Hồ sơ 0001 trễ 1 ngày"})
    response = client.post(reverse("audits:audit_transition", args=[audit.pk]),
                           {"action": "complete", "conclusions": "Hệ thống phù hợp, cần khắc phục 1 điểm"})
    # then
    audit.refresh_from_db()
    assert response.status_code == 302 and audit.status == "completed"
    finding = AuditFinding.objects.get()
    assert finding.nonconformity.source == "audit_finding"
    page = client.get(audit.get_absolute_url()).content.decode()
    assert finding.nonconformity.number in page and "Bước B2 trễ hạn" in page
    checklist = client.get(reverse("audits:checklist", args=[audit.pk])).content.decode()
    assert "Thẩm định hồ sơ" in checklist
    # and the plan and the report are real Word files with the statutory content
    plan = docx_text(client.get(reverse("audits:audit_plan_docx", args=[audit.pk])))
    assert "KẾ HOẠCH ĐÁNH GIÁ NỘI BỘ" in plan and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in plan
    assert "ỦY BAN NHÂN DÂN PHƯỜNG CAM ĐƯỜNG" in plan
    assert f"Trưởng đoàn: {setup.auditor.full_name}" in plan
    assert "QT-01 Quy trình QT-01" in plan and "9.2 Đánh giá nội bộ" in plan and "12/05/2026" in plan
    report = docx_text(client.get(reverse("audits:audit_report_docx", args=[audit.pk])))
    assert "BÁO CÁO ĐÁNH GIÁ NỘI BỘ" in report
    assert "Không phù hợp nhẹ (1)" in report and "Không phù hợp nặng (0)" in report
    assert "Bước B2 trễ hạn" in report and finding.nonconformity.number in report
    assert "Hệ thống phù hợp, cần khắc phục 1 điểm" in report and setup.auditor.full_name in report


@pytest.mark.django_db
def test_a_refused_team_is_shown_and_changes_nothing(client, world, setup):
    login(client, world.users["iso_coordinator"])
    response = client.post(reverse("audits:audit_team", args=[setup.audit.pk]),
                           {"lead_auditor": setup.justice_auditor.pk}, follow=True)
    assert "Trần Văn Tư Pháp may not audit process QT-01" in response.content.decode()
    assert InternalAudit.objects.get(pk=setup.audit.pk).lead_auditor is None


@pytest.mark.django_db
def test_programme_pages(client, world, setup):
    login(client, world.users["iso_coordinator"])
    response = client.post(reverse("audits:programme_add"), {"year": 2027, "title": "", "objectives": "Mục tiêu"})
    programme = AuditProgramme.objects.get(year=2027)
    assert response["Location"] == programme.get_absolute_url()
    client.post(reverse("audits:entry_add", args=[programme.pk]),
                {"org_unit": str(setup.one_stop.pk), "clauses": "8.2, 9.1.2", "planned_month": 3})
    assert list(programme.entries.values_list("clauses", flat=True)) == [["8.2", "9.1.2"]]
    # the coordinator cannot approve: 403
    assert client.post(reverse("audits:programme_approve", args=[programme.pk])).status_code == 403
    login(client, world.users["agency_head"])
    client.post(reverse("audits:programme_approve", args=[programme.pk]))
    assert AuditProgramme.objects.get(pk=programme.pk).status == "approved"
    listing = client.get(reverse("audits:programme_list")).content.decode()
    assert "2026" in listing and "2027" in listing
    table = docx_text(client.get(reverse("audits:programme_docx", args=[programme.pk])))
    assert "CHƯƠNG TRÌNH ĐÁNH GIÁ NỘI BỘ" in table and "03/2027" in table and "Bộ phận Một cửa" in table
    response = client.post(reverse("audits:programme_copy", args=[programme.pk]))
    copy = AuditProgramme.objects.get(year=2028)
    assert response["Location"] == copy.get_absolute_url() and copy.entries.count() == 1


@pytest.mark.django_db
def test_pages_per_role(client, world, setup):
    url = setup.audit.get_absolute_url()
    for role, status in (("agency_head", 200), ("iso_coordinator", 200), ("staff", 200), ("auditor", 200),
                         ("supervisor", 200), ("consultant", 404)):
        login(client, world.users[role])
        assert client.get(url).status_code == status, role
    login(client, world.users["staff"])
    assert client.get(reverse("audits:programme_add")).status_code == 403
    assert client.post(reverse("audits:audit_team", args=[setup.audit.pk]),
                       {"lead_auditor": setup.auditor.pk}).status_code == 403


@pytest.mark.django_db
def test_another_agency_gets_404(client, api_client, world, setup):
    outsider = user_with_role("agency_head", world.sibling)
    login(client, outsider)
    assert client.get(setup.audit.get_absolute_url()).status_code == 404
    assert client.get(reverse("audits:audit_plan_docx", args=[setup.audit.pk])).status_code == 404
    assert client.post(reverse("audits:programme_approve", args=[setup.programme.pk])).status_code == 404
    api_client.force_authenticate(outsider)
    assert api_client.get(reverse("internalaudit-detail", args=[setup.audit.pk])).status_code == 404
    assert api_client.get(reverse("auditprogramme-list")).json()["count"] == 0


@pytest.mark.django_db
def test_api_happy_path(api_client, world, setup):
    coordinator = world.users["iso_coordinator"]
    api_client.force_authenticate(coordinator)
    created = api_client.post(reverse("internalaudit-list"), {
        "programme": str(setup.programme.pk), "title": "Đợt 2", "processes": [str(setup.land.pk)],
        "clauses": ["8.2", "9.1.2"], "start_on": "2026-10-05", "end_on": "2026-10-06"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    detail = lambda name: reverse(f"internalaudit-{name}", args=[pk])  # noqa: E731
    refusal = api_client.post(detail("team"), {"lead_auditor": world.users["staff"].pk}, format="json")
    assert refusal.status_code == 400 and refusal.json()["code"] == "not_an_auditor"
    assert api_client.post(detail("team"), {"lead_auditor": setup.auditor.pk}, format="json").status_code == 200
    schedule = api_client.post(detail("schedule"), {"on": "2026-10-05", "start_time": "08:00", "end_time": "09:00",
                                                    "activity": "Họp mở đầu", "auditors": [setup.auditor.pk]},
                               format="json")
    assert schedule.status_code == 201 and len(schedule.json()["schedule"]) == 1
    count = api_client.post(detail("checklist")).json()["count"]
    assert api_client.post(detail("transition"), {"action": "start"}, format="json").json()["status"] == "in_progress"
    items = api_client.get(reverse("auditchecklistitem-list") + f"?audit={pk}").json()
    assert items["count"] == count
    # the coordinator is not on the team: 403
    item_url = reverse("auditchecklistitem-record", args=[items["results"][0]["id"]])
    assert api_client.post(item_url, {"result": "conforming"}, format="json").status_code == 403
    api_client.force_authenticate(setup.auditor)
    assert api_client.post(item_url, {"result": "conforming"}, format="json").json()["result"] == "conforming"
    finding = api_client.post(reverse("auditfinding-list"), {
        "audit": pk, "grade": "observation", "clause": "9.1.2", "description": "Chưa khảo sát",
        "evidence": "Không có phiếu"}, format="json")
    assert finding.status_code == 201 and finding.json()["nonconformity"] is None
    raised = api_client.post(reverse("auditfinding-raise-nonconformity", args=[finding.json()["id"]]))
    assert raised.status_code == 201 and raised.json()["nonconformity_number"].startswith("NC-")
    assert Nonconformity.objects.get().grade == "observation"
    plan = api_client.get(detail("plan-docx"))
    assert "Họp mở đầu" in docx_text(plan)


@pytest.mark.django_db
def test_api_programme_create_entries_approve_copy(api_client, world, setup):
    api_client.force_authenticate(world.users["agency_head"])
    created = api_client.post(reverse("auditprogramme-list"), {"agency": str(world.own.pk), "year": 2030},
                              format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = api_client.post(reverse("auditprogramme-entries", args=[pk]),
                          {"process": str(setup.birth.pk), "planned_month": 2, "auditor": setup.justice_auditor.pk},
                          format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "not_independent"
    ok = api_client.post(reverse("auditprogramme-entries", args=[pk]),
                         {"process": str(setup.birth.pk), "planned_month": 2, "clauses": ["8.5"]}, format="json")
    assert ok.status_code == 201 and len(ok.json()["entries"]) == 1
    assert api_client.post(reverse("auditprogramme-approve", args=[pk])).json()["status"] == "approved"
    copy = api_client.post(reverse("auditprogramme-copy", args=[pk]), {"to_year": 2031}, format="json")
    assert copy.status_code == 201 and copy.json()["status"] == "draft" and copy.json()["year"] == 2031


@pytest.mark.django_db
def test_report_docx_groups_findings_by_grade(client, world, setup):
    audit = started(setup)
    for grade, text in (("major", "Không có quy trình"), ("improvement", "Nên số hóa"), ("minor", "Thiếu chữ ký")):
        services.finding_record(actor=setup.auditor, audit=audit, grade=grade, clause="7.5.3", description=text,
                                evidence="Bằng chứng")
    login(client, world.users["auditor"])
    report = docx_text(client.get(reverse("audits:audit_report_docx", args=[audit.pk])))
    assert report.index("Không phù hợp nặng (1)") < report.index("Không có quy trình") < report.index(
        "Không phù hợp nhẹ (1)") < report.index("Thiếu chữ ký") < report.index("Cơ hội cải tiến (1)") < report.index(
        "Nên số hóa")
    assert "Điểm lưu ý (0)" in report
