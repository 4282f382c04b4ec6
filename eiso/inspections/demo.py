"""The demo province's inspections, for `eiso load_demo`: Lào Cai's 2026 inspection plan with every agency of the
province (by documents) and a third of them on site, approved; three departments inspected on site — Sở Tư pháp
closed with its findings closed, Sở Nội vụ waiting for its corrective-action report, Sở Tài chính with its report
overdue — and the Forest Protection Sub-department with its decision issued. The demo commune stays in the plan,
by documents and planned. Everything goes through the services, as the supervisor and the agencies would do it.
Idempotent: a province whose authority already has the demo plan is left as it is."""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction

PLAN_TITLE = "Kế hoạch kiểm tra việc áp dụng, duy trì và cải tiến HTQLCL theo TCVN ISO 9001:2015 năm {year}"
TEAM = ("Nguyễn Thị Giám Sát – Chuyên viên Chi cục TCĐLCL – Trưởng đoàn\n"
        "Trần Văn Kiểm – Chuyên viên Phòng Quản lý chuyên ngành – Thành viên\n"
        "Lê Thị Tra – Chuyên viên Văn phòng Sở – Thư ký")
SIGNER = ("Hoàng Văn Giám Đốc", "Giám đốc")
FINDINGS = (
    ("legal_changes_within_3_months", "02 quy trình chưa cập nhật theo văn bản pháp luật mới quá 3 tháng.",
     "Rà soát, cập nhật các quy trình và ban hành lại trong tháng."),
    ("documents_disseminated", "Một số công chức mới chưa được phổ biến tài liệu HTQLCL.",
     "Phổ biến tài liệu cho toàn bộ công chức, có xác nhận đã đọc."),
)


def _people():
    from eiso.accounts.models import User

    return User.objects.filter(username="supervisor").first()


def _run(inspection, *, supervisor, state: str, today: dt.date) -> None:
    """Take one on-site inspection to `state`: decided, waiting (minutes signed 20 days ago), overdue (minutes signed
    3 months ago, no report) or closed (report on time, findings closed)."""
    from eiso.inspections import services

    signed_days = {"decided": None, "waiting": 20, "overdue": 95, "closed": 150}[state]
    decided_on = today - dt.timedelta(days=(signed_days or 0) + 14)
    visit = today + dt.timedelta(days=10) if state == "decided" else today - dt.timedelta(days=signed_days)
    inspection = services.inspection_decide(
        actor=supervisor, inspection=inspection, decision_on=decided_on, team=TEAM, decision_signer=SIGNER[0],
        decision_signer_position=SIGNER[1], on_site_on=visit)
    if state == "decided":
        return
    findings = FINDINGS if state != "waiting" else FINDINGS[:1]
    bad = {key for key, _description, _action in findings}
    services.checklist_record(actor=supervisor, inspection=inspection, results={
        item.key: {"result": "not_conform" if item.key in bad else "conform",
                   "evidence": "Đã kiểm tra hồ sơ, tài liệu tại cơ quan."}
        for item in inspection.checklist.all()})
    for key, description, action in findings:
        services.finding_add(actor=supervisor, inspection=inspection, point_key=key, description=description,
                             required_action=action)
    inspection = services.minutes_sign(
        actor=supervisor, inspection=inspection, signed_on=visit, place=inspection.agency.name,
        participants="Đại diện lãnh đạo cơ quan – Phó Giám đốc\nCông chức đầu mối ISO – Chuyên viên Văn phòng",
        conclusion="Cơ quan đã áp dụng, duy trì HTQLCL theo TCVN ISO 9001:2015; còn một số tồn tại cần khắc phục.",
        agency_representative="Đại diện lãnh đạo cơ quan", agency_representative_position="Giám đốc")
    if state != "closed":
        return
    for finding in inspection.findings.all():
        services.finding_action_record(actor=None, finding=finding, action_taken="Đã khắc phục theo yêu cầu.",
                                       evidence="Quyết định ban hành lại tài liệu; danh sách xác nhận đã đọc.")
    inspection = services.report_submit(actor=None, inspection=inspection, summary="Đã khắc phục toàn bộ tồn tại.",
                                        on=visit + dt.timedelta(days=40))
    for finding in inspection.findings.all():
        services.finding_review(actor=supervisor, finding=finding, closed=True, comment="Đạt yêu cầu.")
    services.inspection_close(actor=supervisor, inspection=inspection)


@transaction.atomic
def demo_load(today: dt.date | None = None) -> str:
    """Load the demo inspections of Lào Cai (after eiso.organizations.demo.demo_load)."""
    from eiso.core.permissions import today as local_today
    from eiso.inspections import plans
    from eiso.inspections.models import InspectionPlan
    from eiso.organizations.demo import DEMO_COMMUNE_CODENAME, DEMO_PROVINCE_CODE
    from eiso.organizations.models import AdminUnit, Agency
    from eiso.organizations.selectors import authority_of

    today = today or local_today()
    year = 2026
    province = AdminUnit.objects.filter(level="province", code=DEMO_PROVINCE_CODE, valid_to__isnull=True).first()
    authority = authority_of(province) if province else None
    if authority is None:
        return "Inspections: the demo province is not loaded."
    title = PLAN_TITLE.format(year=year)
    existing = InspectionPlan.objects.filter(agency=authority, year=year, title=title).first()
    if existing is not None:
        return f"Inspections: plan {existing.label} already loaded ({existing.inspections.count()} agencies)."
    supervisor = _people()
    plan = plans.plan_create(actor=supervisor, province=province, year=year, title=title,
                                issued_on=dt.date(year, 1, 15), min_on_site_share="1/3",
                                notes="Kiểm tra qua hồ sơ tất cả cơ quan; kiểm tra trực tiếp ít nhất 1/3 số cơ quan.")
    plans.plan_add_all(actor=supervisor, plan=plan, planned_month=10)
    stateful = {"LCI-STP": "closed", "LCI-SNV": "waiting", "LCI-STC": "overdue", "LCI-SNNMT-CCKL": "decided"}
    demo_commune = Agency.objects.filter(province=province, admin_unit__codename=DEMO_COMMUNE_CODENAME).first()
    lines = list(plan.inspections.select_related("agency").order_by("agency__code"))
    needed = math.ceil(plan.on_site_share * len(lines))
    on_site = [line for line in lines if line.agency.code in stateful]
    on_site += [line for line in lines if line not in on_site and (demo_commune is None
                                                                    or line.agency_id != demo_commune.pk)]
    for month, line in enumerate(on_site[:needed]):
        plans.inspection_plan_update(actor=supervisor, inspection=line, method="on_site",
                                        planned_month=4 + month % 7)
    plan = plans.plan_approve(actor=supervisor, plan=plan)
    states = []
    for line in plan.inspections.select_related("agency").filter(agency__code__in=stateful):
        _run(line, supervisor=supervisor, state=stateful[line.agency.code], today=today)
        states.append(f"{line.agency.code} {stateful[line.agency.code]}")
    return (f"Inspections: plan {plan.label} of {authority} approved with {needed}/{len(lines)} on site; "
            f"{', '.join(sorted(states))}.")
