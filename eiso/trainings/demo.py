"""Demo trainings and consultants of Lào Cai, for `eiso load_demo` (after eiso.organizations.demo.demo_load):

* four courses of the Department of Science and Technology in 2025–2026 (awareness, internal auditors, documents
  after the 2025 reorganisation, awareness again) with a few hundred participants from many of the province's
  agencies (the demo commune's head and ISO coordinator among them, linked to their accounts), results recorded and
  certificates issued;
* three consultants with licences (one expired, still engaged with two communes: the inspection point on licensed
  consultants is not met there), engaged with some agencies, and one open issue.

Everything goes through the services. Idempotent: a course (same topic and first day), a consultant (same name,
possibly created by the oversight demo), an engagement (same consultant, agency and first day) or an issue (same
description) that exists already is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

AUTHORITY_CODE = "LCI-SKHCN"

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò",
            "Giàng", "Sùng", "Vàng", "Hà")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Xuân")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến")
COMMUNE_POSITIONS = ("Phó Chủ tịch UBND", "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch",
                     "Công chức Địa chính - Xây dựng", "Công chức Văn hóa - Xã hội", "Công chức Bộ phận Một cửa")
DEPARTMENT_POSITIONS = ("Phó Giám đốc", "Chánh Văn phòng", "Chuyên viên Văn phòng", "Chuyên viên phụ trách ISO",
                        "Phó Trưởng phòng")

CONSULTANTS = (
    {"name": "Công ty TNHH Tư vấn và Đào tạo Quản lý Chất lượng Tây Bắc", "licence_number": "15/2023/GCN-TV",
     "licence_issuer": "Bộ Khoa học và Công nghệ", "licence_issued_on": dt.date(2023, 5, 10),
     "licence_valid_until": dt.date(2028, 5, 9), "contact_person": "Nguyễn Văn Tư", "phone": "0214 3823 456",
     "email": "tuvan@taybac-iso.vn", "address": "Phường Cốc Lếu, tỉnh Lào Cai",
     "experts": "Nguyễn Văn Tư, chuyên gia đánh giá trưởng ISO 9001\nTrần Thị Hằng, chuyên gia tư vấn HTQLCL"},
    {"name": "Công ty Cổ phần Tư vấn ISO Hoàng Liên", "licence_number": "07/2020/GCN-TV",
     "licence_issuer": "Bộ Khoa học và Công nghệ", "licence_issued_on": dt.date(2020, 7, 1),
     "licence_valid_until": dt.date(2025, 6, 30), "contact_person": "Lê Quang Huy", "phone": "0214 3840 111",
     "address": "Phường Sa Pa, tỉnh Lào Cai", "experts": "Lê Quang Huy, chuyên gia tư vấn HTQLCL",
     "notes": "Giấy chứng nhận hết hiệu lực, chưa gia hạn."},
    {"name": "Viện Năng suất Việt Nam", "licence_number": "02/2022/GCN-TV",
     "licence_issuer": "Bộ Khoa học và Công nghệ",
     "licence_issued_on": dt.date(2022, 3, 1), "licence_valid_until": dt.date(2027, 2, 28),
     "contact_person": "Phạm Thu Trang", "phone": "024 3791 0000", "address": "Hà Nội",
     "experts": "Phạm Thu Trang, chuyên gia năng suất chất lượng\nĐỗ Minh Khôi, chuyên gia đánh giá ISO 9001"},
)

HALL = "Hội trường Sở Khoa học và Công nghệ"
COURSES = (
    {"topic": "Nhận thức chung về TCVN ISO 9001:2015 cho cán bộ, công chức cấp xã", "kind": "awareness",
     "start_on": dt.date(2025, 3, 18), "end_on": dt.date(2025, 3, 20), "location": HALL,
     "trainer": "ThS. Nguyễn Văn Tư", "consultant": 0, "communes": (0, 60, 2), "departments": 0, "pass_every": 1},
    {"topic": "Đánh giá viên nội bộ hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "kind": "internal_auditor",
     "start_on": dt.date(2025, 8, 12), "end_on": dt.date(2025, 8, 14), "location": HALL,
     "trainer": "Viện Năng suất Việt Nam", "consultant": 2, "communes": (10, 40, 1), "departments": 2, "pass_every": 7},
    {"topic": "Cập nhật hệ thống tài liệu quản lý chất lượng sau sắp xếp đơn vị hành chính", "kind": "documentation",
     "start_on": dt.date(2026, 4, 7), "end_on": dt.date(2026, 4, 8), "location": "Trung tâm Hội nghị tỉnh Lào Cai",
     "trainer": "ThS. Trần Thị Hằng", "consultant": 0, "communes": (30, 90, 1), "departments": 2, "pass_every": 0},
    {"topic": "Nhận thức chung về TCVN ISO 9001:2015 và vận hành ISO điện tử", "kind": "awareness",
     "start_on": dt.date(2026, 10, 20), "end_on": dt.date(2026, 10, 22), "location": "Hội trường UBND tỉnh Lào Cai",
     "trainer": "Sở Khoa học và Công nghệ tỉnh Lào Cai", "consultant": None, "communes": (50, 110, 2),
     "departments": 1, "pass_every": 1},
)

ISSUE = ("Chuyên gia tư vấn không có mặt theo lịch đã thống nhất; bộ tài liệu chưa được cập nhật sau sắp xếp đơn "
         "vị hành chính. Giấy chứng nhận đủ điều kiện hoạt động tư vấn đã hết hiệu lực từ 30/6/2025.")


def _name(index: int) -> str:
    return (f"{SURNAMES[index % len(SURNAMES)]} {MIDDLE[(index // len(SURNAMES)) % len(MIDDLE)]} "
            f"{GIVEN[(index * 11 + index // len(SURNAMES)) % len(GIVEN)]}")


def _consultants(authority) -> list:
    from eiso.trainings.consultant_services import consultant_create
    from eiso.trainings.models import Consultant

    result = []
    for values in CONSULTANTS:
        existing = Consultant.objects.filter(agency=authority, name=values["name"]).first()
        result.append(existing or consultant_create(actor=None, authority=authority, **values))
    return result


def _engage(consultant, agency, started_on, ended_on=None, scope_note=""):
    from eiso.trainings.consultant_services import engagement_add
    from eiso.trainings.models import ConsultantEngagement

    existing = ConsultantEngagement.objects.filter(consultant=consultant, agency=agency, started_on=started_on).first()
    return existing or engagement_add(actor=None, consultant=consultant, agency=agency, started_on=started_on,
                                      ended_on=ended_on, scope_note=scope_note)


def _course(authority, spec, consultants, communes, departments, people) -> tuple[int, int]:
    """Create one course with its participants and certificates; (participants, certificates), or (0, 0) when the
    course exists already."""
    from eiso.trainings.models import Training
    from eiso.trainings.services import certificates_issue, participant_add, participant_update, training_create

    if Training.objects.filter(agency=authority, topic=spec["topic"], start_on=spec["start_on"]).exists():
        return 0, 0
    consultant = consultants[spec["consultant"]] if spec["consultant"] is not None else None
    training = training_create(actor=None, authority=authority, topic=spec["topic"], kind=spec["kind"],
                               start_on=spec["start_on"], end_on=spec["end_on"], location=spec["location"],
                               trainer=spec["trainer"], consultant=consultant)
    start, stop, per_commune = spec["communes"]
    seats = []
    for agency in communes[start:stop]:
        seats += [(agency, COMMUNE_POSITIONS[(len(seats) + n) % len(COMMUNE_POSITIONS)]) for n in range(per_commune)]
    for agency in departments:
        seats += [(agency, DEPARTMENT_POSITIONS[(len(seats) + n) % len(DEPARTMENT_POSITIONS)])
                  for n in range(spec["departments"])]
    added = []
    offset = int(training.start_on.strftime("%j")) * 13
    for index, (agency, position) in enumerate(seats):
        added.append(participant_add(actor=None, training=training, agency=agency, full_name=_name(offset + index),
                                     position=position))
    for agency, user, position in people.get(spec["kind"], ()):
        added.append(participant_add(actor=None, training=training, agency=agency, full_name=user.full_name,
                                     position=position, user=user))
    pass_every = spec["pass_every"]
    for index, participant in enumerate(added):
        absent = index % 17 == 16
        passed = bool(pass_every) and not absent and (pass_every == 1 or index % pass_every != pass_every - 1)
        if absent or passed:
            participant_update(actor=None, participant=participant, attended=not absent, passed=passed)
    issued = certificates_issue(actor=None, training=training, on=training.end_on) if pass_every else []
    return len(added), len(issued)


@transaction.atomic
def demo_load() -> str:
    """Load the demo trainings and consultants of Lào Cai; a one-line summary of what was added."""
    from eiso.accounts.models import User
    from eiso.organizations.demo import DEMO_COMMUNE_CODENAME
    from eiso.organizations.models import Agency
    from eiso.trainings.consultant_services import issue_report
    from eiso.trainings.models import ConsultantIssue, Participant

    authority = Agency.objects.get(code=AUTHORITY_CODE)
    province_agencies = Agency.objects.filter(province_id=authority.province_id, valid_to__isnull=True)
    communes = list(province_agencies.filter(kind="peoples_committee").exclude(admin_unit_id=authority.province_id)
                    .order_by("code"))
    departments = list(province_agencies.filter(kind__in=("department", "sub_department")).exclude(pk=authority.pk)
                       .order_by("code"))
    demo_commune = province_agencies.filter(admin_unit__codename=DEMO_COMMUNE_CODENAME).first() or communes[0]
    users = {u.username: u for u in User.objects.filter(username__in=("head", "coordinator", "supervisor"))}
    people = {}
    if "head" in users and "coordinator" in users:
        people = {"awareness": [(demo_commune, users["head"], "Chủ tịch UBND")],
                  "internal_auditor": [(demo_commune, users["coordinator"], "Thư ký ISO")]}
    before = Participant.objects.filter(training__agency=authority).count()

    consultants = _consultants(authority)
    others = [c for c in communes if c.pk != demo_commune.pk]
    certificates = 0
    for spec in COURSES:
        _added, issued = _course(authority, spec, consultants, others, departments, people)
        certificates += issued

    taybac, hoanglien, vnpi = consultants
    _engage(taybac, demo_commune, dt.date(2025, 9, 1), scope_note="Xây dựng lại HTQLCL sau sắp xếp đơn vị hành chính")
    for agency in departments[:2]:
        _engage(taybac, agency, dt.date(2025, 10, 1), scope_note="Rà soát, cập nhật tài liệu HTQLCL")
    expired = [_engage(hoanglien, agency, dt.date(2024, 10, 1), scope_note="Tư vấn áp dụng, duy trì HTQLCL")
               for agency in others[1:3]]
    if departments:
        _engage(vnpi, departments[-1], dt.date(2025, 1, 15), dt.date(2025, 12, 31),
                scope_note="Tư vấn chuyển đổi sang TCVN ISO 9001:2015")
    if expired and not ConsultantIssue.objects.filter(consultant=hoanglien, description=ISSUE).exists():
        issue_report(actor=users.get("supervisor"), engagement=expired[0], description=ISSUE,
                     reported_on=dt.date(2026, 3, 5))
    total = Participant.objects.filter(training__agency=authority).count()
    return (f"Trainings: {total} participants ({total - before} added, {certificates} certificates) in "
            f"{len(COURSES)} courses; consultants: {', '.join(c.name for c in consultants)}.")
