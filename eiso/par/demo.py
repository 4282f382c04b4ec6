"""Demo data of the PAR-index evidence and of mergers, for `eiso load_demo` (after eiso.organizations.demo):

* Lào Cai's 2026 PAR-index criteria on the application of the QMS (set by its Department of Science and
  Technology);
* one merger: the People's Committees of two Lào Cai communes merged into a new People's Committee, created on the
  first commune's unit under a distinct code and name. The demo commune (phuong_cam_duong) and the showcase second
  commune of eiso.organizations.demo are never touched: the two communes are the last two by code. The first one's
  QMS is built (draft documents and processes) before the merger, so that the successor has a QMS to read and start
  from. A demo user `head_merged` is the new committee's head, to open its "Predecessor agencies" page.

Idempotent: criteria already set for 2026 and a merger already recorded are left as they are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from eiso.core.permissions import Role

YEAR = 2026
CRITERIA = (
    ("6.3.1", "Công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015 còn hiệu lực", Decimal("0.5"),
     "announcement_in_force", "all_or_nothing"),
    ("6.3.2", "Duy trì Hệ thống quản lý chất lượng: đánh giá nội bộ, xem xét của lãnh đạo, xác nhận hiệu lực",
     Decimal("1.0"), "all", "proportional"),
    ("6.3.3", "Cập nhật Hệ thống quản lý chất lượng trong 3 tháng khi văn bản pháp luật thay đổi", Decimal("0.5"),
     "legal_updates_on_time", "all_or_nothing"),
    ("6.3.4", "Báo cáo định kỳ tình hình áp dụng Hệ thống quản lý chất lượng gửi Sở Khoa học và Công nghệ",
     Decimal("0.25"), "periodic_report_submitted", "all_or_nothing"),
)
MERGER_ON = dt.date(2026, 3, 1)
LEGAL_BASIS = "Nghị quyết 1670/NQ-UBTVQH15 (dữ liệu minh họa)"
SUCCESSOR_SUFFIX = "-SN2026"


def _criteria(province) -> int:
    from eiso.organizations.selectors import authority_of
    from eiso.par.models import ParCriterion
    from eiso.par.services import criterion_create

    authority = authority_of(province)
    if authority is None or ParCriterion.objects.filter(agency=authority, year=YEAR).exists():
        return 0
    for code, name, points, rule, scoring in CRITERIA:
        criterion_create(actor=None, province=province, data={
            "year": YEAR, "code": code, "name": name, "max_points": points, "rule": rule, "scoring": scoring,
            "note": "Theo Bộ chỉ số cải cách hành chính của tỉnh năm 2026 (dữ liệu minh họa)."})
    return len(CRITERIA)


def _merged_communes(province):
    """The two commune People's Committees merged in the demo: the last two in force by code, never the demo
    commune nor the showcase commune of eiso.organizations.demo."""
    from eiso.organizations.demo import DEMO_COMMUNE_CODENAME
    from eiso.organizations.models import Agency

    communes = list(Agency.objects.filter(province=province, admin_unit__level="commune", kind="peoples_committee",
                                          valid_to__isnull=True, code__startswith="LCI-")
                    .exclude(code__endswith=SUCCESSOR_SUFFIX).select_related("admin_unit").order_by("code"))
    demo = next((a for a in communes if a.admin_unit.codename == DEMO_COMMUNE_CODENAME), None)
    by_codename = sorted((a for a in communes if a is not demo), key=lambda a: a.admin_unit.codename)
    showcase = by_codename[0] if by_codename else None
    candidates = [a for a in communes if a is not demo and a is not showcase]
    return candidates[-2:]


def _merger(province) -> str:
    from eiso.organizations.demo import _role, _user
    from eiso.organizations.mergers import merger_record
    from eiso.organizations.models import Agency

    existing = Agency.objects.filter(province=province, code__endswith=SUCCESSOR_SUFFIX).first()
    if existing is not None:
        return f"{existing.name} (already recorded)"
    pair = _merged_communes(province)
    if len(pair) < 2:
        return "no merger (fewer than two communes)"
    first, second = pair
    from eiso.processes.bootstrap import qms_bootstrap

    qms_bootstrap(actor=None, agency=first)  # a predecessor whose QMS the successor can read and start from
    unit = first.admin_unit
    merger = merger_record(actor=None, predecessors=pair, effective_on=MERGER_ON, legal_basis=LEGAL_BASIS,
                           new_successor={"code": f"{first.code}{SUCCESSOR_SUFFIX}",
                                          "name": f"{first.name} (sau sắp xếp năm 2026)",
                                          "kind": "peoples_committee", "admin_unit": unit,
                                          "parent": first.parent})
    _role(_user("head_merged", "Đặng Văn Sáp Nhập", "Chủ tịch UBND"), merger.successor, Role.AGENCY_HEAD)
    return f"{first.name} + {second.name} → {merger.successor.name}"


@transaction.atomic
def demo_load() -> str:
    """Load the demo's PAR-index criteria and merger; a one-line summary."""
    from eiso.organizations.demo import DEMO_PROVINCE_CODE
    from eiso.organizations.models import AdminUnit

    province = AdminUnit.objects.get(level="province", code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
    criteria = _criteria(province)
    merger = _merger(province)
    return f"PAR index {YEAR}: {criteria} criteria added in {province.name}; merger: {merger}"
