"""Demo data: a real province (Lào Cai) with its People's Committee and Office (sharing one QMS), the
Department of Science and Technology as supervising authority, a few departments, a People's Committee
for every one of its communes, and demo users for every role. Plus Hà Nội, for a second province.

Idempotent: running it again creates nothing twice.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from eiso.core.permissions import Role, today
from eiso.core.text import lower_first
from eiso.organizations.choices import AdminUnitLevel, AgencyKind
from eiso.organizations.models import QMS, AdminUnit, Agency, OrgUnit, RoleAssignment
from eiso.organizations.services import agency_create, supervising_authority_set

DEMO_PROVINCE_CODE = "15"  # Lào Cai
OTHER_PROVINCE_CODE = "01"  # Hà Nội
DEMO_COMMUNE_CODENAME = "phuong_cam_duong"

DEPARTMENTS = [
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("STP", "Sở Tư pháp"),
    ("SNV", "Sở Nội vụ"),
    ("STC", "Sở Tài chính"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
]
COMMUNE_UNITS = ["Bộ phận Một cửa", "Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]



def _agency(code, name, kind, unit, parent=None, short_name=""):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        agency = agency_create(actor=None, data={
            "code": code, "name": name, "kind": kind, "admin_unit": unit, "parent": parent,
            "short_name": short_name, "valid_from": dt.date(2025, 7, 1),
        })
    return agency


def _qms(agency, *, shared_with=()):
    qms, _created = QMS.objects.get_or_create(
        agency=agency, code="HTQLCL",
        defaults={"name": f"HTQLCL — {agency.name}", "scope": "Toàn bộ thủ tục hành chính thuộc thẩm quyền."},
    )
    qms.agencies.add(agency, *shared_with)
    return qms


def _user(username, full_name, position, *, superuser=False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, position=position,
                    is_superuser=superuser, is_staff=superuser, email=f"{username}@demo.eiso.local")
        user.set_password(settings.EISO["DEMO_PASSWORD"])
        user.save()
    return user


def _role(user, agency, role, org_unit=None, valid_until=None, is_recursive=True):
    RoleAssignment.objects.get_or_create(
        user=user, agency=agency, role=role, org_unit=org_unit,
        defaults={"valid_until": valid_until, "is_recursive": is_recursive},
    )


def _province_label(province: AdminUnit) -> str:
    """"tỉnh Lào Cai", "thành phố Hà Nội"."""
    if province.name.startswith("Thành phố"):
        return lower_first(province.name)
    return f"{province.division_type} {province.name}"


def province_agencies(province: AdminUnit, prefix: str, *, all_communes: bool):
    label = _province_label(province)
    ubnd = _agency(f"{prefix}-UBND", f"Ủy ban nhân dân {label}", AgencyKind.PEOPLES_COMMITTEE, province,
                   short_name="UBND")
    office = _agency(f"{prefix}-VP-UBND", f"Văn phòng {ubnd.name}", AgencyKind.OTHER, province, parent=ubnd)
    _qms(ubnd, shared_with=[office])
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code] = _agency(f"{prefix}-{code}", f"{name} {label}", AgencyKind.DEPARTMENT,
                                    province, parent=ubnd)
        _qms(departments[code])
    supervising_authority_set(actor=None, province=province, agency=departments["SKHCN"])
    sub = _agency(f"{prefix}-SNNMT-CCKL", f"Chi cục Kiểm lâm {label}", AgencyKind.SUB_DEPARTMENT,
                  province, parent=departments["SNNMT"])
    _qms(sub)
    communes = AdminUnit.objects.filter(
        parent=province, level=AdminUnitLevel.COMMUNE, valid_to__isnull=True
    ).order_by("code")
    if not all_communes:
        communes = communes[:3]
    commune_agencies = {}
    for unit in communes:
        agency = _agency(f"{prefix}-{unit.code}", f"Ủy ban nhân dân {lower_first(unit.name)}",
                         AgencyKind.PEOPLES_COMMITTEE, unit, parent=ubnd)
        _qms(agency)
        commune_agencies[unit.codename] = agency
    return departments, commune_agencies


@transaction.atomic
def demo_load() -> dict:
    """Create the demo province, agencies and users. Requires the administrative units."""
    demo_catalog_load()
    province = AdminUnit.objects.get(level=AdminUnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
    departments, communes = province_agencies(province, "LCI", all_communes=True)
    commune = communes.get(DEMO_COMMUNE_CODENAME) or next(iter(communes.values()))
    second = next(a for k, a in sorted(communes.items()) if a.pk != commune.pk)
    units = {}
    for name in COMMUNE_UNITS:
        units[name], _c = OrgUnit.objects.get_or_create(agency=commune, name=name)

    other = AdminUnit.objects.get(level=AdminUnitLevel.PROVINCE, code=OTHER_PROVINCE_CODE, valid_to__isnull=True)
    _other_departments, other_communes = province_agencies(other, "HNI", all_communes=False)
    other_commune = next(iter(other_communes.values()))

    _user("admin", "Quản trị hệ thống", "Quản trị viên", superuser=True)
    _role(_user("supervisor", "Nguyễn Thị Giám Sát", "Chuyên viên Chi cục TCĐLCL"), departments["SKHCN"],
          Role.SUPERVISOR)
    _role(_user("head", "Trần Văn Thủ Trưởng", "Chủ tịch UBND"), commune, Role.AGENCY_HEAD)
    coordinator = _user("coordinator", "Lê Thị Thư Ký", "Công chức Văn phòng - Thống kê")
    _role(coordinator, commune, Role.ISO_COORDINATOR)
    _role(coordinator, second, Role.AUDITOR)
    _role(_user("staff", "Phạm Văn Một Cửa", "Công chức Bộ phận Một cửa"), commune, Role.STAFF,
          org_unit=units["Bộ phận Một cửa"])
    _role(_user("staff2", "Hoàng Thị Kinh Tế", "Công chức Phòng Kinh tế"), commune, Role.STAFF,
          org_unit=units["Phòng Kinh tế"])
    _role(_user("auditor", "Đỗ Văn Đánh Giá", "Chuyên gia đánh giá nội bộ"), commune, Role.AUDITOR)
    _role(_user("consultant", "Công ty Tư vấn ISO", "Chuyên gia tư vấn"), commune, Role.CONSULTANT,
          valid_until=today() + dt.timedelta(days=180))
    _role(_user("hanoi", "Vũ Thị Hà Nội", "Thư ký ISO"), other_commune, Role.ISO_COORDINATOR)
    # the Ministry of Science and Technology, whose national supervisor reads every province (read-only)
    ministry = _agency("BKHCN", "Bộ Khoa học và Công nghệ", AgencyKind.MINISTRY, other, short_name="Bộ KH&CN")
    _role(_user("ministry", "Đặng Văn Toàn Quốc", "Chuyên viên Bộ Khoa học và Công nghệ"), ministry,
          Role.NATIONAL_SUPERVISOR)
    showcase = _showcase_qms(second, head_user=_user("head2", "Ngô Văn Chủ Tịch", "Chủ tịch UBND"),
                             coordinator=_user("coordinator2", "Bùi Thị Thư Ký", "Thư ký ISO"))
    return {
        "showcase": f"{second.name} ({showcase} published processes)",
        "province": province.name, "agencies": Agency.objects.filter(province=province).count(),
        "demo_commune": commune.name, "other_province": other.name,
    }


CATALOG_DATA = Path(__file__).resolve().parent.parent / "catalog" / "data"
SHOWCASE_PUBLISHED = 5


def demo_catalog_load() -> int:
    """Import the national procedure data shipped with eISO when the catalogue is empty."""
    from eiso.catalog.models import Procedure
    from eiso.catalog.services import catalog_import

    if Procedure.objects.exists():
        return 0
    run = catalog_import(paths=[CATALOG_DATA / "catalog.jsonl.gz", CATALOG_DATA / "procedures-sample.jsonl.gz"])
    return run.created


def _showcase_qms(agency, *, head_user, coordinator) -> int:
    """A second commune whose QMS is built and a few processes published, so that the public posting
    page has content. The demo commune itself is left for the bootstrap wizard."""
    from eiso.processes.bootstrap import qms_bootstrap
    from eiso.processes.models import Process
    from eiso.processes.services import process_transition

    _role(head_user, agency, Role.AGENCY_HEAD)
    _role(coordinator, agency, Role.ISO_COORDINATOR)
    qms_bootstrap(actor=None, agency=agency)
    published = Process.objects.filter(agency=agency, document__current_revision__isnull=False).count()
    candidates = Process.objects.filter(agency=agency, kind="procedure", document__current_revision__isnull=True,
                                        cases__duration__isnull=False).distinct().order_by("code")
    for process in candidates[: max(0, SHOWCASE_PUBLISHED - published)]:
        process_transition(actor=coordinator, process=process, action="submit")
        process_transition(actor=head_user, process=process, action="approve")
        process_transition(actor=coordinator, process=process, action="publish")
        published += 1
    return published
