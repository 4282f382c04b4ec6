"""The demo announcements: a realistic share of Lào Cai's agencies announced (departments re-announced after the 2025
reorganisation), the demo commune left un-announced, the supervisor's inbox partly read; loaded once."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from eiso.announcements.demo import demo_load
from eiso.announcements.models import ConformityAnnouncement
from eiso.announcements.selectors import announced_on_by_agency, current_announcement
from eiso.organizations.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    from eiso.organizations.demo import demo_load as organizations_demo_load
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    organizations_demo_load()


def test_the_demo_announces_most_agencies_once(demo_world):
    summary = demo_load()
    count = ConformityAnnouncement.objects.count()
    assert "re-announcements" in summary and count > 0
    lao_cai = Agency.objects.filter(province__code="15")
    communes = lao_cai.filter(admin_unit__level="commune")
    announced = announced_on_by_agency(lao_cai.values_list("pk", flat=True))
    share = sum(1 for a in communes if a.pk in announced) / communes.count()
    assert 0.45 <= share <= 0.75, share
    departments = lao_cai.filter(kind="department")
    assert sum(1 for a in departments if a.pk in announced) >= departments.count() - 1
    # the demo commune stays for the QMS-year story
    cam_duong = communes.get(admin_unit__codename="phuong_cam_duong")
    assert cam_duong.pk not in announced and current_announcement(cam_duong) is None
    # re-announcements after the 2025 merger supersede the first ones
    again = ConformityAnnouncement.objects.filter(kind="reannouncement")
    assert again.count() >= 3 and all(a.replaces.status == "superseded" for a in again)
    assert all(a.reason == "merger" and a.signed_on.year == 2025 for a in again)
    assert not ConformityAnnouncement.objects.values("agency").annotate(n=Count("pk")).filter(n__gt=2).exists()
    # consistent records: numbered, dated 2024-2026, notified; the showcase commune lists its published processes
    assert not ConformityAnnouncement.objects.exclude(status__in=("signed", "superseded")).exists()
    assert {a.signed_on.year for a in ConformityAnnouncement.objects.all()} <= {2024, 2025, 2026}
    assert not ConformityAnnouncement.objects.filter(notified_at__isnull=True).exists()
    with_processes = [a for a in ConformityAnnouncement.objects.filter(status="signed") if a.procedures]
    assert all("Chưa có quy trình" not in a.scope for a in with_processes)
    assert all("Chưa có quy trình" in a.scope for a in ConformityAnnouncement.objects.filter(procedures=[]))
    assert any(a.procedures for a in with_processes)  # the showcase commune, with its published processes
    # the supervisor acknowledged those older than a month, not the newer ones
    month_ago = timezone.localdate() - dt.timedelta(days=30)
    assert ConformityAnnouncement.objects.filter(acknowledged_by__username="supervisor").exists()
    assert not ConformityAnnouncement.objects.filter(signed_on__lte=month_ago, acknowledged_at__isnull=True).exists()
    assert not ConformityAnnouncement.objects.filter(signed_on__gt=month_ago, acknowledged_at__isnull=False).exists()
    # idempotent
    demo_load()
    assert ConformityAnnouncement.objects.count() == count
