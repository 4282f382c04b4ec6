"""Demo conformity announcements for `eiso load_demo`: Lào Cai's People's Committee and most of its departments
announced in 2024 and re-announced after the 2025 reorganisation, the forest protection sub-department in 2026,
and about six communes in ten (the showcase commune with its published processes among them) between
September 2025 and today. They are entered as decisions
signed on paper (`announcement_record`, no user), each notified to the Department of Science and Technology, whose
demo supervisor has acknowledged receipt of those older than a month. The demo commune (phuong_cam_duong) stays
un-announced: the QMS-year story announces it. Agencies without published processes are announced with an empty
list of procedures (the scope says so). Idempotent: an agency that has an announcement is left as it is; dates after
today are skipped."""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import transaction

from eiso.core.permissions import today as local_today

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Lò", "Giàng", "Vàng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn", "Thắng",
         "Tuấn", "Vinh")
PROVINCE_MERGER = ("Sắp xếp tỉnh Lào Cai và tỉnh Yên Bái thành tỉnh Lào Cai từ ngày 01/7/2025 (Nghị quyết số "
                   "202/2025/QH15): rà soát, bổ sung các thủ tục hành chính trên địa bàn tỉnh mới.")
DEPARTMENT_MERGER = ("Hợp nhất Sở Nông nghiệp và Phát triển nông thôn và Sở Tài nguyên và Môi trường thành Sở Nông "
                     "nghiệp và Môi trường từ ngày 01/3/2025.")
# (agency code suffix, first announcement, re-announcement or None, reason, what changed)
PROVINCIAL = (
    ("UBND", dt.date(2024, 3, 12), dt.date(2025, 9, 18), "merger", PROVINCE_MERGER),
    ("SKHCN", dt.date(2024, 2, 26), dt.date(2025, 8, 27), "merger", PROVINCE_MERGER),
    ("STP", dt.date(2024, 4, 9), dt.date(2025, 10, 6), "merger", PROVINCE_MERGER),
    ("SNV", dt.date(2024, 5, 21), None, "", ""),
    ("SNNMT", dt.date(2024, 6, 3), dt.date(2025, 4, 15), "merger", DEPARTMENT_MERGER),
    ("SNNMT-CCKL", dt.date(2026, 3, 17), None, "", ""),
)
COMMUNE_SHARE = 60  # per cent of the communes announced
COMMUNES_FROM = dt.date(2025, 9, 1)  # spread from September 2025 until today
ACKNOWLEDGED_AFTER_DAYS = 30


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _name(seed: str) -> str:
    h = _hash(seed)
    return f"{SURNAMES[h % len(SURNAMES)]} {MIDDLE[(h // 13) % len(MIDDLE)]} {GIVEN[(h // 101) % len(GIVEN)]}"


def _number(agency, on: dt.date) -> int:
    """A plausible number in the agency's register of decisions of the year (they number every decision)."""
    return max(1, on.timetuple().tm_yday // 2 + _hash(agency.code) % 17)


@transaction.atomic
def demo_load() -> str:
    """Load the demo announcements; returns a one-line summary."""
    from eiso.announcements.models import ConformityAnnouncement
    from eiso.announcements.selectors import hosted_qms, published_procedure_processes
    from eiso.announcements.services import announcement_acknowledge, announcement_record
    from eiso.organizations.choices import AdminUnitLevel
    from eiso.organizations.demo import DEMO_COMMUNE_CODENAME, DEMO_PROVINCE_CODE
    from eiso.organizations.models import AdminUnit, Agency

    today = local_today()
    province = AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE,
                                        valid_to__isnull=True).first()
    if province is None:
        return "Conformity announcements: no demo province (load the organisations first)."
    announced = set(ConformityAnnouncement.objects.values_list("agency_id", flat=True))
    made = []

    def record(agency, on, *, reason="", detail=""):
        if on > today:
            return None
        signed = announcement_record(actor=None, agency=agency, signed_on=on, number=_number(agency, on),
                                     signer_name=_name(f"{agency.code}-{on.year}"), reason=reason,
                                     reason_detail=detail, posted_on=min(on + dt.timedelta(days=3), today))
        made.append(signed)
        return signed

    for suffix, first, again, reason, detail in PROVINCIAL:
        agency = Agency.objects.filter(code=f"LCI-{suffix}").first()
        if agency is None or agency.pk in announced or hosted_qms(agency) is None:
            continue
        record(agency, first)
        if again is not None:
            record(agency, again, reason=reason, detail=detail)

    communes = (Agency.objects.filter(province=province, admin_unit__level=AdminUnitLevel.COMMUNE)
                .exclude(admin_unit__codename=DEMO_COMMUNE_CODENAME).exclude(pk__in=announced).order_by("code"))
    span = max(1, (today - COMMUNES_FROM).days + 1)
    for agency in communes:
        qms = hosted_qms(agency)
        if qms is None:
            continue
        # a commune with published processes (the showcase) is always announced, with them in scope
        if _hash(agency.code) % 100 < COMMUNE_SHARE or published_procedure_processes(qms).exists():
            record(agency, COMMUNES_FROM + dt.timedelta(days=_hash(agency.name) % span))

    _acknowledge(made, today, announcement_acknowledge)
    again = sum(1 for a in made if a.replaces_id)
    return (f"Conformity announcements: {len(made)} recorded ({again} re-announcements) in {province.name}; "
            f"{ConformityAnnouncement.objects.filter(agency__province=province, status='signed').count()} in force.")


def _acknowledge(made, today, acknowledge) -> None:
    """The demo supervisor acknowledged the older ones; the last month's are still to be read."""
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.filter(username="supervisor").first()
    if supervisor is None:
        return
    for announcement in made:
        if announcement.signed_on <= today - dt.timedelta(days=ACKNOWLEDGED_AFTER_DAYS):
            announcement.refresh_from_db()
            acknowledge(actor=supervisor, announcement=announcement)
