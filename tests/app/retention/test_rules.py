"""The ``retention`` section of a definition: checked at load time, defaults by kind."""

from __future__ import annotations

import copy

import pytest

from app.retention import rules
from app.service_definitions import DefinitionError, load_builtin, parse_definition


def _with(retention) -> dict:
    data = load_builtin()["waste_bins"].as_dict()
    data["retention"] = retention
    return data


def _problems(data) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="waste_bins.yaml")
    return [(found.path, found.code) for found in caught.value.problems]


def test_every_builtin_service_states_its_retention():
    for service_id, definition in load_builtin().items():
        retention = definition.data["retention"]
        assert set(retention) == {"drafts_days", "closed_days"}, service_id
        assert rules.rule_of(definition).defaulted == ()


def test_a_municipal_tax_is_kept_ten_years_and_a_waste_bin_order_three():
    builtin = load_builtin()
    assert rules.rule_of(builtin["dog_tax_registration"]).closed_days == 3650
    assert rules.rule_of(builtin["waste_bins"]).closed_days == 1095
    assert rules.rule_of(builtin["waste_bins"]).drafts_days == 90


def test_without_a_section_the_defaults_follow_the_kind_of_service():
    for service_id, kind, closed in (
        ("dog_tax_registration", "tax", 3650),
        ("waste_bins", "other", 1095),
        ("civil_status_certificate", "other", 1095),
    ):
        data = load_builtin()[service_id].as_dict()
        del data["retention"]
        definition = parse_definition(data)
        assert rules.kind_of(definition) == kind
        rule = rules.rule_of(definition)
        assert (rule.drafts_days, rule.closed_days) == (90, closed)
        assert rule.defaulted == ("drafts_days", "closed_days")


def test_one_period_given_the_other_defaulted():
    rule = rules.rule_of(parse_definition(_with({"closed_days": 30})))
    assert (rule.drafts_days, rule.closed_days, rule.defaulted) == (90, 30, ("drafts_days",))


@pytest.mark.parametrize(
    "retention, expected",
    [
        ({"drafts_days": 0}, ("retention.drafts_days", "schema.minimum")),
        ({"drafts_days": -5}, ("retention.drafts_days", "schema.minimum")),
        ({"drafts_days": 3651}, ("retention.drafts_days", "schema.maximum")),
        ({"closed_days": 10951}, ("retention.closed_days", "schema.maximum")),
        ({"closed_days": 1.5}, ("retention.closed_days", "schema.type")),
        ({"closed_days": "90"}, ("retention.closed_days", "schema.type")),
        ({"closed_days": True}, ("retention.closed_days", "schema.type")),
        ({"keep_days": 5}, ("retention.keep_days", "schema.unexpected")),
        ([90], ("retention", "schema.type")),
    ],
)
def test_bad_periods_are_refused_at_their_field(retention, expected):
    assert _problems(_with(retention)) == [expected]


def test_upper_bounds_are_allowed():
    rule = rules.rule_of(parse_definition(_with({"drafts_days": 3650, "closed_days": 10950})))
    assert (rule.drafts_days, rule.closed_days) == (3650, 10950)


def test_a_survey_has_no_retention_section():
    from tests.surveys.support import SURVEY

    data = copy.deepcopy(SURVEY)
    data["retention"] = {"drafts_days": 10}
    assert ("retention", "survey_forbids") in _problems(data)
