"""The inputs of a review are assembled from the agency's real data: dossier tallies, nonconformities, legal changes,
the actions of earlier reviews; assembling again refreshes the figures and keeps the comments."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from eiso.catalog.models import Procedure
from eiso.dossiers.models import DossierTally
from eiso.improvement.services import nonconformity_raise
from eiso.legal.models import LegalDocument, UpdateTask
from eiso.legal.services import legal_document_record
from eiso.organizations.models import QMS
from eiso.processes.services import process_create
from eiso.reviews import inputs, services
from eiso.reviews.models import ReviewInput
from tests.reviews.conftest import plan

pytestmark = pytest.mark.django_db


def lines(review, key) -> dict:
    return dict(map(tuple, ReviewInput.objects.get(review=review, key=key).lines))


def tally(agency, procedure, month, **counts):
    return DossierTally.objects.create(agency=agency, procedure=procedure, month=month, **counts)


@pytest.fixture
def birth():
    return Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", is_commune_level=True)


def test_dossier_figures_come_from_the_tallies_of_the_period_and_agency(world, planned, birth):
    death = Procedure.objects.create(code="1.000656", name="Đăng ký khai tử", is_commune_level=True)
    tally(world.own, birth, dt.date(2025, 3, 1), received=40, early=10, on_time=27, late=3, ratings=20, satisfied=18)
    tally(world.own, death, dt.date(2025, 11, 1), received=10, early=0, on_time=10, late=0, cancelled=1)
    # not counted: another year, another agency
    tally(world.own, birth, dt.date(2024, 12, 1), received=99, late=99)
    tally(world.sibling, birth, dt.date(2025, 3, 1), received=77, late=77)
    # when
    services.review_inputs_assemble(actor=world.users["iso_coordinator"], review=planned)
    # then
    figures = lines(planned, "dossier_performance")
    assert figures["Dossiers received"] == "50"
    assert figures["Dossiers resolved"] == "50: 10 early, 37 on time, 3 late"
    assert figures["Share of dossiers resolved on time"] == "94,0 %"
    assert figures["Stopped or withdrawn"] == "1"
    process = lines(planned, "process_performance")
    assert process["Procedures with late dossiers"] == "1"
    assert process["1.001193 – Đăng ký khai sinh"] == "3 late of 40 resolved (on time: 92,5 %)"
    satisfaction = lines(planned, "satisfaction")
    assert any("18" in value and "20" in value for value in satisfaction.values()), satisfaction


def test_nonconformities_of_the_period_are_counted(world, planned):
    for description in ("Sổ theo dõi thiếu ngày trả", "Thiếu biên bản họp"):
        nonconformity_raise(actor=None, agency=world.own, description=description, source="audit_finding",
                            raised_at=timezone.make_aware(dt.datetime(2025, 5, 2, 9)))
    nonconformity_raise(actor=None, agency=world.own, description="Năm trước", source="other",
                        raised_at=timezone.make_aware(dt.datetime(2024, 5, 2, 9)))
    nonconformity_raise(actor=None, agency=world.sibling, description="Cơ quan khác", source="other",
                        raised_at=timezone.make_aware(dt.datetime(2025, 5, 2, 9)))
    services.review_inputs_assemble(actor=world.users["iso_coordinator"], review=planned)
    figures = lines(planned, "nonconformities")
    assert figures["Nonconformities raised"] == "2 (internal audit finding: 2)"
    assert figures["Nonconformities still open"] == "3"  # the one of 2024 is still open too
    assert figures["Nonconformities closed"] == "0, verified effective: 0"


def test_legal_changes_that_touch_the_agency_are_listed_with_its_update_tasks(world, planned, birth):
    basis = LegalDocument.objects.create(doc_type="circular", number="01/2022/TT-BTP", key="1/2022/TT-BTP",
                                         title="Quy định chi tiết hộ tịch")
    basis.procedures.add(birth)
    process_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="procedure", code="QT-01",
                   title="Quy trình khai sinh", procedures=[birth])
    new = legal_document_record(actor=None, number="05/2025/TT-BTP", title="Sửa đổi hộ tịch",
                                effective_on=dt.date(2025, 6, 1), relations=[("replaces", basis)])
    # a document that took effect in the period but touches no process of the agency
    legal_document_record(actor=None, number="09/2025/TT-BTC", title="Phí", effective_on=dt.date(2025, 6, 1))
    assert UpdateTask.objects.filter(agency=world.own).count() == 1
    services.review_inputs_assemble(actor=world.users["iso_coordinator"], review=planned)
    figures = lines(planned, "legal_changes")
    assert figures["Legal documents that took effect"] == "1"
    assert figures[new.number] == "Sửa đổi hộ tịch – effective 01/06/2025"
    assert "09/2025/TT-BTC" not in figures
    assert figures["Documents to update after a legal or catalogue change"] == "1"
    assert figures["Still to update"].startswith("1, of which")


def test_actions_of_a_previous_review_appear_and_reassembling_keeps_the_comments(world, planned):
    coordinator = world.users["iso_coordinator"]
    # given last year's review, held, with two decisions, one done
    previous = plan(world, year=2024, period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
    services.review_inputs_assemble(actor=coordinator, review=previous)
    services.review_input_comment(actor=coordinator, review_input=previous.inputs.get(key="resources"),
                                  comment="Thiếu máy scan")
    services.review_hold(actor=coordinator, review=previous)
    scanner = services.review_action_add(actor=coordinator, review=previous, kind="resource",
                                         description="Mua máy scan", owner=world.users["staff"],
                                         due_on=dt.date(2025, 3, 31))
    services.review_action_add(actor=coordinator, review=previous, kind="qms_change",
                               description="Sửa quy trình lưu trữ", owner=world.users["staff"],
                               due_on=dt.date(2099, 1, 1))
    services.review_action_done(actor=world.users["staff"], action=scanner, evidence="Phiếu nhập kho số 12")
    # when this year's inputs are assembled
    services.review_inputs_assemble(actor=coordinator, review=planned)
    figures = lines(planned, "previous_actions")
    # then
    assert figures["Actions from previous reviews"] == "2: 1 done, 1 open (0 overdue)"
    assert figures["01/2024: Mua máy scan"].endswith("Phiếu nhập kho số 12")
    assert figures["01/2024: Sửa quy trình lưu trữ"].startswith("open, due 01/01/2099")
    # and a comment survives a second assembly, whose figures are refreshed
    row = planned.inputs.get(key="previous_actions")
    services.review_input_comment(actor=coordinator, review_input=row, comment="Tiếp tục theo dõi")
    services.review_action_done(actor=coordinator, action=previous.actions.get(kind="qms_change"), evidence="QT sửa")
    services.review_inputs_assemble(actor=coordinator, review=planned)
    row.refresh_from_db()
    assert row.comment == "Tiếp tục theo dõi"
    assert dict(map(tuple, row.lines))["Actions from previous reviews"] == "2: 2 done, 0 open (0 overdue)"
    assert planned.inputs.count() == len(inputs.SOURCES)


def test_an_empty_period_gives_empty_inputs_and_manual_ones_carry_a_hint(world, planned):
    services.review_inputs_assemble(actor=world.users["agency_head"], review=planned)
    planned.refresh_from_db()
    assert planned.status == "inputs_assembled"
    for key in ("dossier_performance", "nonconformities", "legal_changes", "previous_actions", "monitoring",
                "external_providers", "improvement"):
        assert ReviewInput.objects.get(review=planned, key=key).lines == []
    # the resources describe the agency as it stands: its people by role
    assert lines(planned, "resources")["Agency head"] == "1"
    # what eISO cannot know is asked for in the hint under the input
    assert "inspections" in str(inputs.SOURCES_BY_KEY["monitoring"].hint)


def test_every_provider_can_be_imported():
    """Each provider must be importable under the name the contract gives (the list is data: a renamed selector
    would otherwise fail only at the meeting)."""
    for source in inputs.SOURCES:
        if source.provider:
            assert callable(import_string(source.provider)), source.provider


def test_the_providers_of_other_apps_answer_the_contract(world):
    """The providers that exist by now are called with the contract's arguments and give (label, value) lines."""
    for source in inputs.SOURCES:
        provider = services.provider_for(source)
        if provider is None:
            continue
        result = provider(agency=world.own, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
        assert isinstance(result, list), source.key
        assert all(len(line) == 2 for line in result), source.key


def test_monitoring_resources_cooperating_units_and_improvement_are_prefilled_from_the_data(world, birth):
    """The inputs the coordinator once wrote by hand start from the records: indicator measurements, the units'
    steps and consultations, the agency's people, and the opportunities found by audits, risks and petitions."""
    from eiso.dossiers.models import Dossier, DossierEvent, DossierStep
    from eiso.improvement.feedback_services import feedback_receive
    from eiso.objectives.services import indicator_add, measurement_enter, objective_approve, objective_create
    from eiso.risks.services import risk_create

    coordinator = world.users["iso_coordinator"]
    in_2025 = timezone.make_aware(dt.datetime(2025, 6, 10, 9, 0))
    # an indicator measured below its target in June
    objective = objective_create(actor=coordinator, agency=world.own, year=2025, title="Giải quyết hồ sơ đúng hạn")
    indicator = indicator_add(actor=coordinator, objective=objective, name="Tỷ lệ hồ sơ đúng hạn",
                              value_source="entered", unit="%", comparison="gte", target=98, frequency="monthly")
    objective_approve(actor=world.users["agency_head"], objective=objective)
    measurement_enter(actor=coordinator, indicator=indicator, period_start=dt.date(2025, 6, 1), value=91,
                       evidence="Sổ theo dõi hồ sơ tháng 6")
    # a dossier whose second step, at the civil-status officer, was handed over late; and a consultation
    dossier = Dossier.objects.create(agency=world.own, procedure=birth, code="X-250610-0001", applicant_name="An",
                                     submitted_at=in_2025, received_at=in_2025, due_at=in_2025)
    for order, (responsible, result) in enumerate((("Bộ phận Một cửa", "on_time"), ("Công chức hộ tịch", "late")), 1):
        DossierStep.objects.create(agency=world.own, dossier=dossier, order=order, action="Bước", result=result,
                                   responsible=responsible, started_at=in_2025, finished_at=in_2025)
    DossierEvent.objects.create(agency=world.own, dossier=dossier, action="consult", at=in_2025, public=False,
                                comment="UBND xã Bảo Hà: xác minh nơi cư trú")
    # an opportunity in the risk register and a citizen's petition
    risk_create(actor=coordinator, agency=world.own, kind="opportunity", likelihood=3, consequence=3,
                description="Tiếp nhận hồ sơ qua dịch vụ công trực tuyến", identified_on=dt.date(2025, 3, 1))
    feedback_receive(actor=coordinator, agency=world.own, kind="petition", channel="desk", phone="0912345678",
                     content="Đề nghị bố trí thêm ghế chờ", submitter_name="Bình", received_at=in_2025)
    review = plan(world)
    # when
    services.review_inputs_assemble(actor=coordinator, review=review)
    # then
    monitoring = lines(review, "monitoring")
    assert monitoring["Measurements of the objectives' indicators"] == "1 recorded, 0 reached the target"
    assert monitoring["Tỷ lệ hồ sơ đúng hạn"].startswith("01/06/2025–30/06/2025: 91")
    units = lines(review, "external_providers")
    assert units["Công chức hộ tịch"] == "1 steps handed over, 1 late (on time: 0,0 %)"
    assert units["Bộ phận Một cửa"] == "1 steps handed over, 0 late (on time: 100,0 %)"
    assert units["Consultations of other units or agencies on dossiers"] == "1"
    assert lines(review, "resources")["ISO coordinator"] == "1"
    improvement = ReviewInput.objects.get(review=review, key="improvement").lines
    assert ["Opportunity of the risk register", "Tiếp nhận hồ sơ qua dịch vụ công trực tuyến"] in improvement
    assert any(label.startswith("Petition ") and value == "Đề nghị bố trí thêm ghế chờ" for label, value in improvement)


def test_the_resources_alone_do_not_make_a_review_to_hold(world, planned):
    """The resources describe the agency as it stands: with nothing else assembled and no comment, holding is
    refused as for a review without inputs."""
    from eiso.core.errors import ApplicationError

    services.review_inputs_assemble(actor=world.users["iso_coordinator"], review=planned)
    assert lines(planned, "resources")
    with pytest.raises(ApplicationError, match="Every input is empty"):
        services.review_hold(actor=world.users["iso_coordinator"], review=planned)
    planned.refresh_from_db()
    assert planned.status == "inputs_assembled"
