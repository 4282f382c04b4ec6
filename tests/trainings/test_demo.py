"""The demo trainings and consultants of Lào Cai: loaded through the services on top of the demo province, once."""

import datetime as dt

import pytest

from eiso.organizations.models import Agency
from eiso.trainings.demo import demo_load
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue, Participant, Training
from eiso.trainings.selectors import consultant_licensed, training_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_province():
    from eiso.organizations.demo import demo_load as organizations_demo_load
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    organizations_demo_load()
    return Agency.objects.get(code="LCI-SKHCN")


def counts():
    return (Training.objects.count(), Participant.objects.count(), Consultant.objects.count(),
            ConsultantEngagement.objects.count(), ConsultantIssue.objects.count(),
            Participant.objects.filter(certificate_sequence__isnull=False).count())


def test_the_demo_is_loaded_once_with_courses_participants_certificates_and_consultants(demo_province):
    # when
    summary = demo_load()
    # then four courses of 2025-2026 with a few hundred people from many agencies, most certified
    trainings = Training.objects.filter(agency=demo_province)
    assert sorted(trainings.values_list("year", "number")) == [(2025, 1), (2025, 2), (2026, 1), (2026, 2)]
    people = Participant.objects.filter(training__agency=demo_province)
    assert 300 <= people.count() <= 500
    assert people.values("agency").distinct().count() >= 80
    assert people.filter(certificate_sequence__isnull=False).count() >= 150
    assert not people.exclude(agency__province=demo_province.province).exists()
    # the demo commune's coordinator is certified as an internal auditor, with her account
    coordinator = people.get(user__username="coordinator")
    assert coordinator.training.kind == "internal_auditor" and coordinator.certificate_number.endswith("/2025/GCN")
    # three consultants, one licence expired; the communes it serves fail the inspection point
    consultants = Consultant.objects.filter(agency=demo_province)
    assert consultants.count() == 3
    today = dt.date(2026, 11, 24)
    assert sorted(c.licence_state(today) for c in consultants) == ["expired", "valid", "valid"]
    expired = next(c for c in consultants if c.licence_state(today) == "expired")
    served = [e.agency for e in expired.engagements.all()]
    assert served and all(consultant_licensed(agency=a, on=today) is False for a in served)
    assert ConsultantIssue.objects.filter(consultant=expired, status="open").count() == 1
    commune = Agency.objects.get(admin_unit__codename="phuong_cam_duong", province=demo_province.province)
    assert consultant_licensed(agency=commune, on=today) is True
    # the totals add up
    table = training_totals(province=demo_province.province)
    assert table[-1].people == people.filter(attended=True).count()
    assert "participants" in summary and "certificates" in summary
    # when loaded again: nothing added
    before = counts()
    demo_load()
    assert counts() == before
