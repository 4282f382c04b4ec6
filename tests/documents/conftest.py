"""A published document of `own` and the people around it: members of a unit and of its sub-unit,
someone in another unit, someone of the sibling agency, a former member and a deactivated account."""

import datetime as dt
from dataclasses import dataclass

import pytest

from eiso.core.permissions import Role
from eiso.documents.services import document_create, revision_transition
from eiso.organizations.models import QMS
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory


def publish(document, effective_on: dt.date | None = None):
    revision = document.revisions.order_by("-number").first()
    for action in ("submit", "approve"):
        revision = revision_transition(actor=None, revision=revision, action=action)
    return revision_transition(actor=None, revision=revision, action="publish", effective_on=effective_on)


def new_document(agency, code: str, title: str = "", kind: str = "policy"):
    return document_create(actor=None, qms=QMS.objects.get(agency=agency), kind=kind, code=code,
                           title=title or f"Tài liệu {code}")


def member(agency, unit=None, role=Role.STAFF, email: str = "", **kwargs):
    user_kwargs = {k: kwargs.pop(k) for k in ("is_active", "full_name") if k in kwargs}
    user = UserFactory(email=email, **user_kwargs)
    RoleAssignmentFactory(user=user, agency=agency, role=role, org_unit=unit, **kwargs)
    return user


@dataclass
class Cast:
    unit: object  # world.own_unit
    sub_unit: object  # below `unit`
    other_unit: object  # another unit of own
    alice: object  # staff in `unit`
    bob: object  # staff in `sub_unit`, no e-mail address
    carol: object  # staff in `other_unit`
    dave: object  # staff of the sibling agency
    erin: object  # her role in `unit` ended
    frank: object  # deactivated account in `unit`


@pytest.fixture
def cast(world) -> Cast:
    sub_unit = OrgUnitFactory(agency=world.own, name="Tổ tiếp nhận", parent=world.own_unit)
    other_unit = OrgUnitFactory(agency=world.own, name="Văn phòng")
    return Cast(
        unit=world.own_unit, sub_unit=sub_unit, other_unit=other_unit,
        alice=member(world.own, world.own_unit, email="alice@example.gov.vn", full_name="Nguyễn Thị An"),
        bob=member(world.own, sub_unit, full_name="Trần Văn Bình"),
        carol=member(world.own, other_unit, email="carol@example.gov.vn", full_name="Lê Thị Cúc"),
        dave=member(world.sibling, world.sibling_unit, email="dave@example.gov.vn", full_name="Phạm Văn Dũng"),
        erin=member(world.own, world.own_unit, email="erin@example.gov.vn", full_name="Hoàng Thị Én",
                    valid_until=dt.date.today() - dt.timedelta(days=1)),
        frank=member(world.own, world.own_unit, email="frank@example.gov.vn", full_name="Vũ Văn Phúc",
                     is_active=False),
    )


@pytest.fixture
def policy(world):
    """The quality policy of `own`, issue 1 published."""
    document = new_document(world.own, "CSCL", "Chính sách chất lượng")
    publish(document)
    document.refresh_from_db()
    return document
