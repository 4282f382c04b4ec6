"""The PAR-index criteria: set by the province's supervising authority, copied from one year to the next, read by
the supervisors; refused to everyone else with nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.par.models import ParCriterion
from eiso.par.services import criteria_copy_year, criterion_create, criterion_delete, criterion_update
from tests.conftest import login
from tests.par.conftest import YEAR, criterion

pytestmark = pytest.mark.django_db

DATA = {"year": YEAR, "code": "6.3", "name": "Áp dụng HTQLCL theo TCVN ISO 9001", "max_points": "1.5",
        "rule": "all", "scoring": "proportional", "note": "Bộ chỉ số 2026"}


def test_the_supervisor_sets_a_criterion_of_the_province(world):
    # when
    made = criterion_create(actor=world.users["supervisor"], province=world.province, data=DATA)
    # then: it belongs to the province's supervising authority, with every field as given, audited
    made.refresh_from_db()
    assert made.agency == world.dost
    assert (made.year, made.code, made.name, made.max_points, made.rule, made.scoring) == (
        YEAR, "6.3", "Áp dụng HTQLCL theo TCVN ISO 9001", Decimal("1.50"), "all", "proportional")
    assert AuditLogEntry.objects.filter(object_id=str(made.pk), action="create").count() == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"), ({"code": ""}, "code"), ({"max_points": "0"}, "max_points"),
    ({"max_points": "abc"}, "max_points"), ({"rule": "no_such_rule"}, "rule"), ({"scoring": "best"}, "scoring"),
    ({"year": 1999}, "year"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(world, changes, field):
    with pytest.raises(ApplicationError) as exc:
        criterion_create(actor=world.users["supervisor"], province=world.province, data={**DATA, **changes})
    assert field in exc.value.errors
    assert not ParCriterion.objects.exists()


def test_a_number_is_used_once_a_year(world):
    criterion(world, code="6.3")
    with pytest.raises(ApplicationError) as exc:
        criterion_create(actor=world.users["supervisor"], province=world.province, data=DATA)
    assert exc.value.code == "duplicate_criterion"
    assert ParCriterion.objects.count() == 1
    criterion(world, code="6.3", year=YEAR + 1)  # another year may reuse it
    assert ParCriterion.objects.count() == 2


@pytest.mark.parametrize("who", ["agency_head", "iso_coordinator", "national", "other_supervisor"])
def test_only_the_province_supervising_authority_writes_criteria(world, national, other_supervisor, who):
    user = {"national": national, "other_supervisor": other_supervisor}.get(who) or world.users[who]
    existing = criterion(world, code="6.1")
    with pytest.raises(PermissionDeniedError):
        criterion_create(actor=user, province=world.province, data=DATA)
    with pytest.raises(PermissionDeniedError):
        criterion_update(actor=user, criterion=existing, data={"name": "Đổi tên"})
    with pytest.raises(PermissionDeniedError):
        criterion_delete(actor=user, criterion=existing)
    with pytest.raises(PermissionDeniedError):
        criteria_copy_year(actor=user, province=world.province, from_year=YEAR, to_year=YEAR + 1)
    assert list(ParCriterion.objects.values_list("code", "name")) == [("6.1", "Tiêu chí 6.1")]


def test_change_and_delete_are_audited(world):
    supervisor = world.users["supervisor"]
    made = criterion(world, code="6.3", points="1")
    changed = criterion_update(actor=supervisor, criterion=made, data={"name": "Tên mới", "max_points": "2"})
    assert (changed.name, changed.max_points) == ("Tên mới", Decimal("2.00"))
    entry = AuditLogEntry.objects.get(object_id=str(made.pk), action="update")
    assert entry.changes["name"] == ["Tiêu chí 6.3", "Tên mới"]
    criterion_delete(actor=supervisor, criterion=changed)
    assert not ParCriterion.objects.exists()
    assert AuditLogEntry.objects.filter(object_id=str(made.pk), action="delete").exists()


def test_copy_last_years_criteria(world):
    # given 2025's methodology of two criteria
    criterion(world, code="6.3.1", year=2025, rule="announcement_in_force", points="0.5")
    criterion(world, code="6.3.2", year=2025, rule="all", points="1", scoring="proportional")
    # when 2026 is started from it
    copies = criteria_copy_year(actor=world.users["supervisor"], province=world.province, from_year=2025,
                                to_year=2026)
    # then the same criteria exist for 2026, and 2025 is unchanged
    assert sorted((c.code, c.rule, c.max_points, c.scoring) for c in copies) == [
        ("6.3.1", "announcement_in_force", Decimal("0.50"), "all_or_nothing"),
        ("6.3.2", "all", Decimal("1.00"), "proportional")]
    assert ParCriterion.objects.filter(year=2025).count() == 2
    assert ParCriterion.objects.filter(year=2026, agency=world.dost).count() == 2
    # a second copy, an empty source and the same year are refused without change
    for from_year, to_year, code in ((2025, 2026, "year_not_empty"), (2020, 2027, "nothing_to_copy"),
                                     (2025, 2025, "same_year")):
        with pytest.raises(ApplicationError) as exc:
            criteria_copy_year(actor=world.users["supervisor"], province=world.province, from_year=from_year,
                               to_year=to_year)
        assert exc.value.code == code
    assert ParCriterion.objects.count() == 4


def test_a_province_without_supervising_authority_is_explained(world):
    with pytest.raises(ApplicationError) as exc:
        criterion_create(actor=world.users["admin"], province=world.other_province, data=DATA)
    assert exc.value.code == "no_authority"


# --- Pages and API ---------------------------------------------------------------------------------------------


def test_the_supervisor_manages_criteria_on_the_pages(client, world):
    login(client, world.users["supervisor"])
    add = client.post(f"{reverse('par:criterion_add')}?year={YEAR}", {**DATA, "max_points": "1"})
    assert add.status_code == 302
    made = ParCriterion.objects.get()
    page = client.get(reverse("par:criterion_list"), {"year": YEAR}).content.decode()
    assert "Áp dụng HTQLCL theo TCVN ISO 9001" in page and reverse("par:criterion_edit", args=[made.pk]) in page
    # a duplicate number is shown on the form, nothing is added
    again = client.post(f"{reverse('par:criterion_add')}?year={YEAR}", {**DATA, "max_points": "1"})
    assert again.status_code == 200 and "already has a criterion 6.3" in again.content.decode()
    assert ParCriterion.objects.count() == 1
    # copy to the next year
    copy = client.post(f"{reverse('par:criteria_copy')}?province={world.province.pk}",
                       {"from_year": YEAR, "to_year": YEAR + 1})
    assert copy.status_code == 302 and ParCriterion.objects.filter(year=YEAR + 1).count() == 1
    edit = client.post(reverse("par:criterion_edit", args=[made.pk]), {**DATA, "name": "Tên 2026", "max_points": "2"})
    assert edit.status_code == 302
    assert ParCriterion.objects.get(pk=made.pk).name == "Tên 2026"


def test_national_supervisor_reads_the_criteria_and_changes_nothing(client, world, national):
    made = criterion(world)
    login(client, national)
    page = client.get(reverse("par:criterion_list"), {"province": world.province.pk, "year": YEAR})
    assert page.status_code == 200 and made.name in page.content.decode()
    assert "Add a criterion" not in page.content.decode()
    assert client.get(reverse("par:criterion_edit", args=[made.pk])).status_code == 403
    assert client.post(reverse("par:criterion_delete", args=[made.pk])).status_code == 403
    assert ParCriterion.objects.filter(pk=made.pk).exists()


def test_agency_people_do_not_see_criteria(client, world):
    made = criterion(world)
    login(client, world.users["agency_head"])
    assert client.get(reverse("par:criterion_list")).status_code == 403
    assert client.get(reverse("par:criterion_edit", args=[made.pk])).status_code == 404


def test_the_api_lists_creates_and_copies(api_client, world, other_supervisor):
    api_client.force_login(world.users["supervisor"])
    created = api_client.post("/api/v1/par-criteria/", {**DATA, "province": world.province.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["rule"] == "all" and created.json()["max_points"] == "1.50"
    copied = api_client.post("/api/v1/par-criteria/copy-year/", {"province": world.province.pk, "from_year": YEAR,
                                                                 "to_year": YEAR + 1}, format="json")
    assert copied.status_code == 201 and [c["year"] for c in copied.json()] == [YEAR + 1]
    listed = api_client.get("/api/v1/par-criteria/", {"year": YEAR}).json()
    assert [row["code"] for row in listed["results"]] == ["6.3"]
    # the other province's supervisor sees none of them and cannot write in this province
    api_client.force_login(other_supervisor)
    assert api_client.get("/api/v1/par-criteria/").json()["results"] == []
    refused = api_client.post("/api/v1/par-criteria/", {**DATA, "code": "9", "province": world.province.pk},
                              format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_province"
    assert ParCriterion.objects.count() == 2
