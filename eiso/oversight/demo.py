"""Demo data of provincial oversight, for `eiso load_demo` (after eiso.organizations.demo.demo_load): Lào Cai's
plan to roll TCVN ISO 9001:2015 out to every commune People's Committee, over five months around today, with its
milestones (those already past marked done), budget and two consultants assigned to some communes; the stages the
Department's supervisor confirmed for a few agencies that announced before eISO; and the agencies that converted
from a TCVN ISO 9001:2008 system.

Everything goes through the services. Idempotent: the plan (same number) and an agency's stage record that exist
already are left as they are; consultants are those the Department registered (the trainings demo registers the
same ones by name), created only when it has none.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from eiso.core.permissions import today as local_today

AUTHORITY_CODE = "LCI-SKHCN"
PLAN_NUMBER = "125/KH-UBND"
PLAN_TITLE = "Kế hoạch triển khai áp dụng HTQLCL theo TCVN ISO 9001:2015 tại UBND cấp xã"
ISSUER = "UBND tỉnh Lào Cai"

CONSULTANTS = (  # the same names and licences as the trainings demo
    {"name": "Công ty TNHH Tư vấn và Đào tạo Quản lý Chất lượng Tây Bắc", "licence_number": "15/2023/GCN-TV",
     "licence_issuer": "Bộ Khoa học và Công nghệ", "licence_issued_on": dt.date(2023, 5, 10),
     "licence_valid_until": dt.date(2028, 5, 9), "phone": "0214 3823 456", "address": "Phường Cốc Lếu, tỉnh Lào Cai",
     "experts": "Nguyễn Văn Tư, chuyên gia đánh giá trưởng ISO 9001\nTrần Thị Hằng, chuyên gia tư vấn HTQLCL"},
    {"name": "Viện Năng suất Việt Nam", "licence_number": "02/2022/GCN-TV",
     "licence_issuer": "Bộ Khoa học và Công nghệ", "licence_issued_on": dt.date(2022, 3, 1),
     "licence_valid_until": dt.date(2027, 2, 28), "phone": "024 3791 0000", "address": "Hà Nội",
     "experts": "Phạm Thu Trang, chuyên gia năng suất chất lượng\nĐỗ Minh Khôi, chuyên gia đánh giá ISO 9001"},
)

# (kind, days after the start of the period, description)
MILESTONES = (
    ("survey", 9, "Khảo sát thực trạng giải quyết TTHC, phân công cán bộ đầu mối ISO"),
    ("training", 34, "Tập huấn nhận thức chung và xây dựng tài liệu theo TCVN ISO 9001:2015"),
    ("documents", 60, "Ban hành chính sách, mục tiêu chất lượng và các quy trình giải quyết TTHC"),
    ("application", 75, "Áp dụng các quy trình vào giải quyết TTHC tại Bộ phận Một cửa"),
    ("internal_audit", 105, "Đánh giá nội bộ, khắc phục điểm không phù hợp"),
    ("management_review", 130, "Họp xem xét của lãnh đạo; Chủ tịch UBND xác nhận hiệu lực HTQLCL"),
    ("announcement", 150, "Công bố HTQLCL phù hợp TCVN ISO 9001:2015, thông báo Sở KH&CN"),
)
BUDGET = (
    ("Khảo sát, đánh giá thực trạng tại các xã, phường", 45_000_000, "Ngân sách tỉnh", ""),
    ("Tập huấn TCVN ISO 9001:2015 cho công chức cấp xã (3 lớp)", 180_000_000, "Ngân sách tỉnh", ""),
    ("Thuê đơn vị tư vấn xây dựng, áp dụng HTQLCL", 990_000_000, "Ngân sách tỉnh", "10 triệu đồng/xã"),
    ("Kiểm tra, hướng dẫn việc áp dụng HTQLCL", 60_000_000, "Ngân sách tỉnh", ""),
    ("Văn phòng phẩm, in ấn tài liệu", 25_000_000, "Ngân sách xã", ""),
)
# Agencies (by code) that announced before eISO: the stage the supervisor confirmed and what it rests on.
CONFIRMATIONS = (
    ("LCI-UBND", "maintaining", "Công bố HTQLCL theo Quyết định số 2519/QĐ-UBND ngày 15/8/2019; đánh giá nội bộ và "
                                "xem xét của lãnh đạo hằng năm (báo cáo năm 2025)."),
    ("LCI-VP-UBND", "maintaining", "Áp dụng chung HTQLCL với UBND tỉnh (Quyết định số 2519/QĐ-UBND ngày "
                                   "15/8/2019)."),
    ("LCI-SKHCN", "maintaining", "Công bố HTQLCL năm 2018; duy trì, cải tiến hằng năm."),
    ("LCI-STP", "announced", "Quyết định công bố số 87/QĐ-STP ngày 20/10/2019 (kiểm tra ngày 12/3/2025)."),
    ("LCI-SNV", "announced", "Quyết định công bố số 112/QĐ-SNV ngày 05/11/2019."),
)
# (code, had a 2008 system, converted on)
CONVERSIONS = (
    ("LCI-UBND", True, dt.date(2018, 6, 20)),
    ("LCI-VP-UBND", True, dt.date(2018, 6, 20)),
    ("LCI-STP", True, dt.date(2018, 9, 14)),
    ("LCI-SNV", True, dt.date(2019, 3, 1)),
    ("LCI-STC", True, None),
)


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _consultants(authority, today: dt.date) -> list:
    """Two of the Department's active consultants whose licence is valid today (created when it has none)."""
    from django.db.models import Q

    from eiso.core.audit import audit_record
    from eiso.core.models import AuditAction
    from eiso.trainings.models import Consultant

    existing = list(Consultant.objects.filter(agency=authority, is_active=True)
                    .filter(Q(licence_valid_until__isnull=True) | Q(licence_valid_until__gte=today)).order_by("name"))
    if existing:
        return existing[:2]
    result = []
    for values in CONSULTANTS:
        consultant = Consultant.objects.create(agency=authority, **values)
        audit_record(actor=None, instance=consultant, action=AuditAction.CREATE)
        result.append(consultant)
    return result


def _plan(authority, supervisor, today: dt.date):
    from eiso.organizations.models import Agency
    from eiso.oversight import services
    from eiso.oversight.levels import level_condition
    from eiso.oversight.models import RolloutPlan

    start = _months_before(today, 3)
    end = _months_before(start, -5) - dt.timedelta(days=1)
    plan = services.rollout_plan_create(actor=supervisor, province=authority.province, data={
        "number": PLAN_NUMBER, "issued_on": start - dt.timedelta(days=20), "issuer": ISSUER, "title": PLAN_TITLE,
        "period_start": start, "period_end": end,
        "notes": "Thực hiện Quyết định số 19/2014/QĐ-TTg và Thông tư số 26/2014/TT-BKHCN; Sở Khoa học và Công nghệ "
                 "chủ trì, theo dõi, tổng hợp báo cáo UBND tỉnh."})
    for kind, days, title in MILESTONES:
        planned_on = min(start + dt.timedelta(days=days), end)
        milestone = services.rollout_milestone_add(actor=supervisor, plan=plan, kind=kind, planned_on=planned_on,
                                                   title=title, today=today)
        if planned_on + dt.timedelta(days=2) <= today and kind in ("survey", "training"):
            services.rollout_milestone_update(actor=supervisor, milestone=milestone, today=today, data={
                "done_on": planned_on + dt.timedelta(days=2), "done_notes": "Hoàn thành theo kế hoạch."})
    for item, amount, source, note in BUDGET:
        services.rollout_budget_line_add(actor=supervisor, plan=plan, item=item, amount=amount, source=source,
                                         note=note)
    communes = list(Agency.objects.filter(province_id=authority.province_id).valid_on(today)
                    .filter(level_condition("commune")).order_by("code"))
    consultants = _consultants(authority, today)
    assigned = 0
    for consultant, group in zip(consultants, (communes[:20], communes[20:35]), strict=False):
        if group:
            assigned += len(services.rollout_targets_add(actor=supervisor, plan=plan, agencies=group,
                                                         consultant=consultant, note="Hợp đồng tư vấn năm "
                                                                                     f"{start.year}", today=today))
    services.rollout_targets_add(actor=supervisor, plan=plan, level="commune", today=today)
    return RolloutPlan.objects.get(pk=plan.pk), assigned


def _stages(supervisor, today: dt.date) -> tuple[int, int]:
    from eiso.organizations.models import Agency
    from eiso.oversight import services
    from eiso.oversight.models import AgencyStage

    agencies = {a.code: a for a in Agency.objects.filter(code__in={c for c, *_ in CONFIRMATIONS + CONVERSIONS})}
    fresh = {code for code, agency in agencies.items() if not AgencyStage.objects.filter(agency=agency).exists()}
    confirmed = converted = 0
    for code, stage, note in CONFIRMATIONS:
        if code in fresh:
            services.stage_confirm(actor=supervisor, agency=agencies[code], stage=stage, note=note)
            confirmed += 1
    for code, had, on in CONVERSIONS:
        if code in fresh:
            services.stage_conversion_record(actor=supervisor, agency=agencies[code], had_2008_system=had,
                                             converted_on=on, today=today)
            converted += 1 if on else 0
    return confirmed, converted


@transaction.atomic
def demo_load(today: dt.date | None = None) -> str:
    """Load the demo oversight records of Lào Cai; a one-line summary of what was added."""
    from eiso.accounts.models import User
    from eiso.organizations.models import Agency
    from eiso.oversight.models import RolloutPlan
    from eiso.oversight.selectors import plan_budget_total

    today = today or local_today()
    authority = Agency.objects.select_related("province").get(code=AUTHORITY_CODE)
    supervisor = User.objects.filter(username="supervisor").first()
    parts = []
    if not RolloutPlan.objects.filter(agency=authority, number=PLAN_NUMBER).exists():
        plan, assigned = _plan(authority, supervisor, today)
        parts.append(f"rollout plan {plan.number}: {plan.targets.count()} target agencies ({assigned} with a "
                     f"consultant), {plan.milestones.count()} milestones, budget {plan_budget_total(plan):,} đ")
    confirmed, converted = _stages(supervisor, today)
    if confirmed or converted:
        parts.append(f"{confirmed} stages confirmed, {converted} conversions from TCVN ISO 9001:2008")
    return "; ".join(parts) if parts else "oversight: nothing new"
