"""Issue 7, "Done when": the demo province (Lào Cai: every commune of the national list and the departments), its
supervisor's dashboard counts agencies per level and stage correctly, and the counts move when an agency announces.

The expected figures are counted here from the national list and the announcements table, not from the selector
the dashboard uses."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model

from eiso.announcements.choices import ISSUED_STATUSES
from eiso.announcements.models import ConformityAnnouncement
from eiso.organizations.models import AdminUnit, Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db):
    from eiso.announcements.demo import demo_load as announcements_demo
    from eiso.organizations.demo import demo_load
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    demo_load()
    announcements_demo()
    return AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)


def announced_cell(page: str, level: str) -> tuple[int, int]:
    match = re.search(rf'<tr data-level="{level}">.*?data-announced>(\d+)/(\d+)<', page, re.S)
    assert match, f"no row for {level}"
    return int(match[1]), int(match[2])


def stage_cell(page: str, level: str, stage: str) -> int:
    row = re.search(rf'<tr data-level="{level}">(.*?)</tr>', page, re.S)[1]
    return int(re.search(rf'data-stage="{stage}">(\d+)<', row)[1])


def test_the_demo_province_dashboard_counts_and_moves_when_a_commune_announces(client, province):
    client.force_login(get_user_model().objects.get(username="supervisor"))
    communes = AdminUnit.objects.filter(parent=province, level="commune", valid_to__isnull=True)
    commune_agencies = Agency.objects.filter(admin_unit__in=communes, kind="peoples_committee", valid_to__isnull=True)
    announced = set(ConformityAnnouncement.objects.filter(status__in=ISSUED_STATUSES, agency__in=commune_agencies)
                    .values_list("agency_id", flat=True))
    departments = Agency.objects.filter(province=province, kind="department", valid_to__isnull=True)
    # every commune of the national list has its People's Committee in the demo
    assert communes.count() == commune_agencies.count() > 90
    page = client.get("/oversight/").content.decode()
    assert announced_cell(page, "commune") == (len(announced), communes.count())
    assert announced_cell(page, "department")[1] == departments.count() == 5
    announced_communes_before = stage_cell(page, "commune", "announced") + stage_cell(page, "commune", "maintaining")
    assert announced_communes_before == len(announced)

    # when one more commune announces (a decision signed on paper, entered by the system)
    from eiso.announcements.services import announcement_record

    newcomer = commune_agencies.exclude(pk__in=announced).exclude(admin_unit__codename="phuong_cam_duong").first()
    announcement_record(actor=None, agency=newcomer, signed_on=dt.date.today(), number=7,
                        signer_name="Nguyễn Văn Chủ Tịch", signer_position="Chủ tịch")
    page = client.get("/oversight/").content.decode()
    assert announced_cell(page, "commune") == (len(announced) + 1, communes.count())
    assert stage_cell(page, "commune", "announced") + stage_cell(page, "commune", "maintaining") == \
        announced_communes_before + 1
