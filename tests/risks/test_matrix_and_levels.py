"""The risk matrix: defaults on first use, validation of a configuration, level computation, and levels
recomputed when the matrix changes. Refusals change nothing."""

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.risks.models import Risk, RiskMatrix
from eiso.risks.selectors import default_matrix, matrix_of
from eiso.risks.services import risk_create, risk_matrix_update

GOOD = {"likelihood_size": 4, "consequence_size": 3, "likelihood_labels": ["Hiếm", "Ít", "Có thể", "Thường"],
        "consequence_labels": ["Nhẹ", "Vừa", "Nặng"], "low_max": 3, "medium_max": 6}


@pytest.mark.parametrize(("likelihood", "consequence", "level"), [
    (1, 1, "low"), (1, 4, "low"), (2, 2, "low"), (1, 5, "medium"), (3, 4, "medium"), (2, 5, "medium"),
    (4, 4, "high"), (3, 5, "high"), (5, 5, "high"),
])
def test_default_levels_by_score(likelihood, consequence, level):
    # given the default 5×5 matrix: low ≤ 4, medium ≤ 12, high above
    matrix = default_matrix(None)
    # then
    assert (matrix.likelihood_size, matrix.consequence_size, matrix.low_max, matrix.medium_max) == (5, 5, 4, 12)
    assert matrix.level_for(likelihood, consequence) == level


@pytest.mark.django_db
def test_the_matrix_is_created_with_the_defaults_on_first_use(world):
    # given no matrix yet: reading gives the defaults and stores nothing
    assert matrix_of(agency=world.own)._state.adding and not RiskMatrix.objects.exists()
    # when the first risk is recorded
    risk = risk_create(actor=world.users["agency_head"], agency=world.own, description="Mất dữ liệu", likelihood=2,
                       consequence=5)
    # then the defaults are stored, and the level computed and stored
    matrix = RiskMatrix.objects.get(agency=world.own)
    assert (matrix.likelihood_size, matrix.consequence_size, matrix.low_max, matrix.medium_max) == (5, 5, 4, 12)
    assert matrix.likelihood_labels[-1] == "Almost certain"
    assert Risk.objects.get(pk=risk.pk).level == "medium"


@pytest.mark.django_db
def test_a_configured_matrix_recomputes_the_levels(world, risk):
    # given a risk 4 × 4 = 16, high on the defaults
    assert risk.level == "high"
    # when the coordinator configures a 4 × 4 matrix where high starts above 15
    matrix = risk_matrix_update(actor=world.users["iso_coordinator"], agency=world.own, likelihood_size=4,
                                consequence_size=4, likelihood_labels="A\nB\nC\nD", consequence_labels=["a", "b", "c",
                                                                                                       "d"],
                                low_max=6, medium_max=15)
    # then
    assert (matrix.likelihood_size, matrix.likelihood_labels, matrix.low_max) == (4, ["A", "B", "C", "D"], 6)
    assert Risk.objects.get(pk=risk.pk).level == "high"
    risk_matrix_update(actor=world.users["iso_coordinator"], agency=world.own, likelihood_size=5, consequence_size=5,
                       likelihood_labels=list("abcde"), consequence_labels=list("abcde"), low_max=8, medium_max=16)
    assert Risk.objects.get(pk=risk.pk).level == "medium"


def _stored(world):
    return list(RiskMatrix.objects.filter(agency=world.own).values()), list(Risk.objects.values("level"))


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field"), [
    ({"likelihood_size": 2, "likelihood_labels": ["a", "b"]}, "likelihood_size"),
    ({"consequence_size": 6, "consequence_labels": list("abcdef")}, "consequence_size"),
    ({"likelihood_labels": ["a", "b", ""]}, "likelihood_labels"),
    ({"consequence_labels": ["a", "b", "c", "d"]}, "consequence_labels"),
    ({"low_max": 0}, "low_max"),
    ({"low_max": 6, "medium_max": 6}, "medium_max"),
    ({"low_max": 6, "medium_max": 4}, "medium_max"),
    ({"medium_max": 12}, "medium_max"),  # 4 × 3 = 12: no score could be high
])
def test_a_bad_configuration_is_refused_and_changes_nothing(world, risk, changes, field):
    # given a stored matrix and a risk
    before = _stored(world)
    # when
    with pytest.raises(ApplicationError) as refused:
        risk_matrix_update(actor=world.users["agency_head"], agency=world.own, **{**GOOD, **changes})
    # then
    assert refused.value.code == "invalid_matrix"
    assert field in refused.value.errors
    assert _stored(world) == before


@pytest.mark.django_db
def test_scales_that_no_longer_hold_a_risk_are_refused(world, risk):
    # given a risk with likelihood 4
    before = _stored(world)
    # when the scales shrink to 3 steps
    with pytest.raises(ApplicationError) as refused:
        risk_matrix_update(actor=world.users["agency_head"], agency=world.own, likelihood_size=3, consequence_size=3,
                           likelihood_labels="a\nb\nc", consequence_labels="a\nb\nc", low_max=2, medium_max=5)
    # then
    assert refused.value.code == "risks_beyond_scale"
    assert "reassess them first" in refused.value.message
    assert _stored(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "auditor", "consultant", "supervisor"])
def test_only_the_managers_configure_the_matrix(world, role):
    entries = AuditLogEntry.objects.count()
    with pytest.raises(PermissionDeniedError):
        risk_matrix_update(actor=world.users[role], agency=world.own, **GOOD)
    assert not RiskMatrix.objects.exists() and AuditLogEntry.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize(("likelihood", "consequence", "field"), [(6, 1, "likelihood"), (0, 2, "likelihood"),
                                                                   (3, 9, "consequence")])
def test_scores_outside_the_matrix_are_refused(world, likelihood, consequence, field):
    with pytest.raises(ApplicationError) as refused:
        risk_create(actor=world.users["agency_head"], agency=world.own, description="X", likelihood=likelihood,
                    consequence=consequence)
    assert refused.value.code == "outside_matrix" and field in refused.value.errors
    assert "likelihood 1 to 5, consequence 1 to 5" in refused.value.message
    assert not Risk.objects.exists() and not RiskMatrix.objects.exists()


@pytest.mark.django_db
def test_a_treatment_must_suit_the_kind(world):
    with pytest.raises(ApplicationError) as refused:
        risk_create(actor=world.users["agency_head"], agency=world.own, kind="opportunity", description="Số hóa",
                    likelihood=3, consequence=3, treatment="avoid")
    assert refused.value.code == "invalid_treatment"
    assert not Risk.objects.exists()
    opportunity = risk_create(actor=world.users["agency_head"], agency=world.own, kind="opportunity",
                              description="Số hóa", likelihood=3, consequence=3, treatment="pursue")
    assert (opportunity.kind, opportunity.treatment, opportunity.level) == ("opportunity", "pursue", "medium")
