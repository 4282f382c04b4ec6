"""Policy versions, objectives, indicators, measurements, plans and the year copy: guards, refusals that change
nothing, rights and tenancy."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import today
from eiso.objectives import selectors, services
from eiso.objectives.models import Indicator, Measurement, ObjectivePlan, QualityObjective, QualityPolicy
from tests.objectives.conftest import entered_indicator

pytestmark = pytest.mark.django_db


def counts():
    return (QualityPolicy.objects.count(), QualityObjective.objects.count(), Indicator.objects.count(),
            Measurement.objects.count(), ObjectivePlan.objects.count(), AuditLogEntry.objects.count())


def refused(call, text, error=ApplicationError):
    before = counts()
    with pytest.raises(error) as exc:
        call()
    assert text in str(exc.value.message)
    assert counts() == before
    return exc.value


# --- Policy ---------------------------------------------------------------------------------------------------


def test_policy_versions_supersede_and_an_approved_one_never_changes(world):
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    # given a first version approved
    first = services.policy_draft_save(actor=coordinator, agency=world.own, text="Chất lượng là uy tín")
    first = services.policy_approve(actor=head, policy=first)
    assert (first.version, first.status, first.approved_by) == (1, "approved", head)
    # when a second draft is written (twice: the same draft is edited) and approved
    second = services.policy_draft_save(actor=coordinator, agency=world.own, text="Bản nháp")
    again = services.policy_draft_save(actor=coordinator, agency=world.own, text="Phục vụ nhân dân tận tâm")
    assert again.pk == second.pk and again.version == 2
    services.policy_approve(actor=head, policy=again)
    # then the first is superseded, untouched, and the second is in force
    first.refresh_from_db()
    assert (first.status, first.text) == ("superseded", "Chất lượng là uy tín")
    assert selectors.current_policy(world.own).text == "Phục vụ nhân dân tận tâm"
    # and approving an approved version again is refused, nothing changes
    error = refused(lambda: services.policy_approve(actor=head, policy=first), "never changes")
    assert error.code == "not_draft"


def test_only_the_head_approves_the_policy_and_only_managers_write_it(world):
    draft = services.policy_draft_save(actor=world.users["iso_coordinator"], agency=world.own, text="Nháp")
    refused(lambda: services.policy_approve(actor=world.users["iso_coordinator"], policy=draft), "agency head",
            PermissionDeniedError)
    for role in ("staff", "auditor", "consultant", "supervisor"):
        refused(lambda role=role: services.policy_draft_save(actor=world.users[role], agency=world.own, text="x"),
                "agency head", PermissionDeniedError)
    refused(lambda: services.policy_draft_save(actor=world.users["iso_coordinator"], agency=world.sibling,
                                               text="x"), "agency head", PermissionDeniedError)
    refused(lambda: services.policy_draft_save(actor=world.users["iso_coordinator"], agency=world.own, text="  "),
            "Write the text")


# --- Objectives and indicators --------------------------------------------------------------------------------


def test_a_formula_that_references_nothing_is_refused(world, objective):
    coordinator = world.users["iso_coordinator"]
    blank = refused(lambda: services.indicator_add(actor=coordinator, objective=objective, name="Không công thức",
                                                   value_source="computed", metric="", target=Decimal(90)),
                    "references nothing")
    assert blank.code == "formula_references_nothing" and "metric" in blank.errors
    unknown = refused(lambda: services.indicator_add(actor=coordinator, objective=objective, name="Sai",
                                                     value_source="computed", metric="dossier_magic", target=1),
                      "dossier_magic")
    assert unknown.code == "formula_references_nothing"
    no_unit = refused(lambda: entered_indicator(world, objective, unit=""), "unit and its target")
    assert "unit" in no_unit.errors
    no_target = refused(lambda: entered_indicator(world, objective, target=None), "unit and its target")
    assert "target" in no_target.errors
    refused(lambda: entered_indicator(world, objective, target="nhiều"), "not a number")


def test_a_computed_indicator_takes_its_unit_from_the_metric(world, objective):
    indicator = objective.indicators.get()
    assert (indicator.unit, indicator.metric, indicator.target) == ("%", "dossier_on_time_rate", Decimal(98))


def test_approval_needs_an_indicator_and_the_head_and_freezes_the_objective(world):
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    empty = services.objective_create(actor=coordinator, agency=world.own, year=2026, title="Chưa có chỉ số")
    error = refused(lambda: services.objective_approve(actor=head, objective=empty), "at least one indicator")
    assert error.code == "no_indicator"
    entered_indicator(world, empty)
    refused(lambda: services.objective_approve(actor=coordinator, objective=empty), "agency head",
            PermissionDeniedError)
    approved = services.objective_approve(actor=head, objective=empty)
    assert approved.status == "approved" and approved.approved_by == head and approved.approved_at
    # then nothing of it is edited any more
    refused(lambda: services.objective_update(actor=coordinator, objective=approved, title="Đổi"), "only while draft")
    refused(lambda: entered_indicator(world, approved, name="Thêm"), "only while draft")
    indicator = approved.indicators.get()
    refused(lambda: services.indicator_update(actor=coordinator, indicator=indicator, name="Đổi",
                                              value_source="entered", unit="người", target=5, frequency="yearly"),
            "only while draft")
    assert QualityObjective.objects.get(pk=approved.pk).title == "Chưa có chỉ số"


def test_objectives_are_closed_only_at_the_year_end(world, approved, monkeypatch):
    coordinator = world.users["iso_coordinator"]
    monkeypatch.setattr(services, "today", lambda: dt.date(approved.year, 11, 30))
    refused(lambda: services.objective_close(actor=coordinator, objective=approved), "from 01/12")
    monkeypatch.setattr(services, "today", lambda: dt.date(approved.year, 12, 1))
    closed = services.objective_close(actor=coordinator, objective=approved)
    assert closed.status == "closed" and closed.closed_at
    refused(lambda: services.plan_action_add(actor=coordinator, objective=closed, description="Muộn",
                                             owner=world.users["staff"], due_on=today()), "closed")


def test_owners_belong_to_the_agency_and_other_agencies_are_out_of_reach(world):
    from tests.factories import UserFactory

    coordinator = world.users["iso_coordinator"]
    refused(lambda: services.objective_create(actor=coordinator, agency=world.own, year=2026, title="T",
                                              owner=UserFactory()), "holds no role")
    refused(lambda: services.objective_create(actor=coordinator, agency=world.sibling, year=2026, title="T"),
            "agency head", PermissionDeniedError)
    refused(lambda: services.objective_create(actor=coordinator, agency=world.own, year=1990, title="T"),
            "between 2000 and 2100")


# --- Measurements ---------------------------------------------------------------------------------------------


def test_an_entered_measurement_needs_evidence_and_is_judged_against_the_target(world, objective):
    coordinator, head = world.users["iso_coordinator"], world.users["agency_head"]
    indicator = entered_indicator(world, objective, comparison="lte", target=Decimal(2), unit="lần")
    day = dt.date(objective.year, 5, 10)
    # while draft: refused
    refused(lambda: services.measurement_enter(actor=coordinator, indicator=indicator, period_start=day, value=1,
                                               evidence="Sổ theo dõi"), "Approve the objective")
    services.objective_approve(actor=head, objective=objective)
    # without evidence: refused, nothing stored
    error = refused(lambda: services.measurement_enter(actor=coordinator, indicator=indicator, period_start=day,
                                                       value=1), "evidence")
    assert error.code == "evidence_required"
    refused(lambda: services.measurement_enter(actor=world.users["staff"], indicator=indicator, period_start=day,
                                               value=1, evidence="x"), "agency head", PermissionDeniedError)
    # with evidence: the quarter holding the day, "at most 2": 1 is above target (better)
    measurement = services.measurement_enter(actor=coordinator, indicator=indicator, period_start=day, value="1",
                                             evidence="Biên bản kiểm tra số 5")
    assert (measurement.period_start, measurement.period_end) == (dt.date(objective.year, 4, 1),
                                                                  dt.date(objective.year, 6, 30))
    assert (measurement.value, measurement.result, measurement.is_computed) == (Decimal(1), "above", False)
    # entering the quarter again corrects it (one row per period)
    again = services.measurement_enter(actor=coordinator, indicator=indicator, period_start=dt.date(objective.year, 6,
                                                                                                   1),
                                       value=3, evidence="Sửa số liệu")
    assert again.pk == measurement.pk and again.result == "below"
    assert Measurement.objects.count() == 1
    equal = services.measurement_enter(actor=coordinator, indicator=indicator, period_start=dt.date(objective.year, 1,
                                                                                                   5),
                                       value=2, evidence="Đúng mục tiêu")
    assert equal.result == "on_target"


def test_the_evidence_file_is_checked_by_its_content(world, objective, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicator = entered_indicator(world, objective)
    services.objective_approve(actor=world.users["agency_head"], objective=objective)
    coordinator, day = world.users["iso_coordinator"], dt.date(objective.year, 2, 1)
    fake = SimpleUploadedFile("bao-cao.pdf", b"not a pdf at all", content_type="application/pdf")
    refused(lambda: services.measurement_enter(actor=coordinator, indicator=indicator, period_start=day, value=12,
                                               file=fake), "not a PDF")
    real = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    measurement = services.measurement_enter(actor=coordinator, indicator=indicator, period_start=day, value=12,
                                             file=real)
    assert measurement.evidence_kind == "pdf" and measurement.evidence_name == "bao-cao.pdf"
    assert measurement.evidence_file.read().startswith(b"%PDF")


def test_a_period_outside_the_year_and_a_hand_value_on_a_computed_indicator_are_refused(world, approved):
    coordinator = world.users["iso_coordinator"]
    computed = approved.indicators.get()
    refused(lambda: services.measurement_enter(actor=coordinator, indicator=computed, period_start=today(), value=99,
                                               evidence="x"), "computed by eISO")
    indicator_year = approved.year
    refused(lambda: services.measurement_compute(actor=coordinator, indicator=computed,
                                                 on=dt.date(indicator_year + 1, 1, 5)), "objective's year")


# --- Plan -----------------------------------------------------------------------------------------------------


def test_plan_actions_are_done_with_evidence_by_their_owner_or_the_managers(world, objective):
    coordinator, staff, auditor = world.users["iso_coordinator"], world.users["staff"], world.users["auditor"]
    refused(lambda: services.plan_action_add(actor=staff, objective=objective, description="x", owner=staff,
                                             due_on=today()), "agency head", PermissionDeniedError)
    refused(lambda: services.plan_action_add(actor=coordinator, objective=objective, description=" ", owner=staff,
                                             due_on=today()), "Describe")
    action = services.plan_action_add(actor=coordinator, objective=objective, description="Tập huấn một cửa",
                                      owner=staff, due_on=today() + dt.timedelta(days=30))
    refused(lambda: services.plan_action_done(actor=auditor, action=action, evidence="x"), "owner",
            PermissionDeniedError)
    refused(lambda: services.plan_action_done(actor=staff, action=action, evidence=""), "what shows")
    done = services.plan_action_done(actor=staff, action=action, evidence="Danh sách ký tham dự")
    assert (done.status, done.evidence) == ("done", "Danh sách ký tham dự") and done.done_at
    refused(lambda: services.plan_action_done(actor=coordinator, action=done, evidence="y"), "already done")


# --- A new year -----------------------------------------------------------------------------------------------


def test_the_year_is_copied_as_drafts_and_never_twice(world, approved):
    coordinator = world.users["iso_coordinator"]
    entered = approved.indicators.get()
    services.plan_action_add(actor=coordinator, objective=approved, description="Rà soát quy trình",
                             owner=world.users["staff"], due_on=dt.date(approved.year, 3, 31))
    year, next_year = approved.year, approved.year + 1
    # when
    copied = services.objectives_copy_year(actor=coordinator, agency=world.own, from_year=year, to_year=next_year)
    # then
    assert copied == 1
    new = QualityObjective.objects.get(agency=world.own, year=next_year)
    assert (new.status, new.title, new.approved_at) == ("draft", approved.title, None)
    indicator = new.indicators.get()
    assert (indicator.metric, indicator.target, indicator.pk != entered.pk) == ("dossier_on_time_rate", Decimal(98),
                                                                               True)
    assert list(new.plan.values_list("due_on", "status")) == [(dt.date(next_year, 3, 31), "open")]
    # and a second copy is refused, nothing changes
    error = refused(lambda: services.objectives_copy_year(actor=coordinator, agency=world.own, from_year=year,
                                                          to_year=next_year), "already has objectives")
    assert error.code == "year_not_empty"
    refused(lambda: services.objectives_copy_year(actor=coordinator, agency=world.own, from_year=1999 + 10,
                                                  to_year=2012), "no objectives to copy")
    refused(lambda: services.objectives_copy_year(actor=world.users["staff"], agency=world.own, from_year=year,
                                                  to_year=next_year + 1), "agency head", PermissionDeniedError)


# --- Contracts ------------------------------------------------------------------------------------------------


def test_objectives_set_on_is_the_last_approval_once_none_is_draft(world, objective):
    year = objective.year
    assert selectors.objectives_set_on(agency=world.own, year=year) is None
    services.objective_approve(actor=world.users["agency_head"], objective=objective)
    assert selectors.objectives_set_on(agency=world.own, year=year) == timezone.localdate()
    services.objective_create(actor=world.users["iso_coordinator"], agency=world.own, year=year, title="Nháp")
    assert selectors.objectives_set_on(agency=world.own, year=year) is None
    assert selectors.objectives_set_on(agency=world.sibling, year=year) is None


def test_evidence_records_list_the_policy_and_the_approved_objectives(world, approved):
    policy = services.policy_draft_save(actor=world.users["iso_coordinator"], agency=world.own, text="Chính sách")
    services.policy_approve(actor=world.users["agency_head"], policy=policy)
    records = selectors.evidence_records(agency=world.own, year=approved.year)
    assert [r["url"] for r in records] == [policy.get_absolute_url(), approved.get_absolute_url()]
    assert all(r["on"] == timezone.localdate() and r["title"] for r in records)
    assert selectors.evidence_records(agency=world.sibling, year=approved.year) == []


def test_review_input_lines_for_entered_indicators(world, objective):
    indicator = entered_indicator(world, objective, name="Đào tạo", unit="người", target=Decimal(10))
    services.objective_approve(actor=world.users["agency_head"], objective=objective)
    start, end = dt.date(objective.year, 1, 1), dt.date(objective.year, 12, 31)
    services.measurement_enter(actor=None, indicator=indicator, period_start=dt.date(objective.year, 2, 1),
                               value="7.5", evidence="Danh sách")
    lines = dict(selectors.review_input(agency=world.own, start=start, end=end))
    assert lines[f"{objective.title} — Đào tạo"] == "7.5 người — target ≥ 10 người: not reached"
    assert lines[f"{objective.title} — Tỷ lệ hồ sơ đúng hạn"] == "not measured — target ≥ 98 %"
    assert selectors.review_input(agency=world.sibling, start=start, end=end) == []
