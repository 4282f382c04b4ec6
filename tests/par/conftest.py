"""PAR-index fixtures: the province's criteria, and real records of an agency's year (a completed internal audit,
a held management review with the head's confirmation, legal update tasks). Messages are read in English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from eiso.audits.models import InternalAudit
from eiso.audits.services import audit_create, programme_create
from eiso.core.permissions import Role
from eiso.documents.models import Document
from eiso.legal.models import UpdateTask
from eiso.organizations.models import QMS, OrgUnit
from eiso.par.services import criterion_create
from eiso.reviews.models import ManagementReview
from eiso.reviews.services import review_create
from tests.factories import AgencyFactory, supervising, user_with_role

YEAR = 2026


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def criterion(world, code="6.3", rule="internal_audit_done", points="1", scoring="all_or_nothing", year=YEAR,
              name=None):
    return criterion_create(actor=None, province=world.province, data={
        "year": year, "code": code, "name": name or f"Tiêu chí {code}", "max_points": Decimal(points), "rule": rule,
        "scoring": scoring, "note": ""})


def completed_audit(agency, year=YEAR, on=dt.date(2026, 5, 20)) -> InternalAudit:
    programme = programme_create(actor=None, agency=agency, year=year)
    unit = OrgUnit.objects.filter(agency=agency).first() or OrgUnit.objects.create(agency=agency, name="Văn phòng")
    audit = audit_create(actor=None, programme=programme, title="Đánh giá nội bộ đợt 1", start_on=on,
                         end_on=on, org_units=[unit], clauses=["9.2"], auditees="Bộ phận Một cửa")
    InternalAudit.objects.filter(pk=audit.pk).update(status="completed", completed_on=on,
                                                     conclusions="HTQLCL phù hợp và được duy trì.")
    return InternalAudit.objects.get(pk=audit.pk)


def held_review(agency, year=YEAR, on=dt.date(2026, 6, 10), confirmed=True) -> ManagementReview:
    meeting = timezone.make_aware(dt.datetime.combine(on, dt.time(8, 0)))
    review = review_create(actor=None, agency=agency, title=f"Xem xét của lãnh đạo năm {year}", year=year,
                           period_start=dt.date(year, 1, 1), period_end=on, meeting_at=meeting,
                           place="Phòng họp UBND")
    changes = {"status": "closed", "held_at": meeting, "closed_at": meeting, "conclusion": "HTQLCL có hiệu lực."}
    if confirmed:
        changes |= {"effectiveness_confirmed_at": meeting + dt.timedelta(hours=2),
                    "effectiveness_statement": "Hệ thống quản lý chất lượng được duy trì có hiệu lực."}
    ManagementReview.objects.filter(pk=review.pk).update(**changes)
    return ManagementReview.objects.get(pk=review.pk)


def update_task(agency, *, due_on: dt.date, closed_on: dt.date | None = None, code="QT-01") -> UpdateTask:
    qms = QMS.objects.filter(agency=agency).first()
    document = Document.objects.filter(qms=qms, code=code).first() or Document.objects.create(
        agency=agency, qms=qms, kind="process", code=code, title=f"Quy trình {code}")
    closed_at = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(9, 0))) if closed_on else None
    return UpdateTask.objects.create(
        agency=agency, document=document, reason="legal_change", starts_on=due_on - dt.timedelta(days=91),
        due_on=due_on, status="done" if closed_on else "open", closed_at=closed_at, summary="Thông tư mới thay thế")


@pytest.fixture
def national(world):
    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind="ministry", admin_unit=world.other_province)
    return user_with_role(Role.NATIONAL_SUPERVISOR, ministry)


@pytest.fixture
def other_supervisor(world):
    """The supervisor of the other province (Hà Nội's Department of Science and Technology)."""
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ Hà Nội", kind="department", admin_unit=world.other_province)
    supervising(dost)
    return user_with_role(Role.SUPERVISOR, dost)
