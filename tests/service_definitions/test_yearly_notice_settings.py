"""A definition's yearly-notice settings (pro rata, direct debit from the form, the end
of a tax) are checked when it loads: every field they read must exist."""

from __future__ import annotations

import copy

import pytest

from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.loader import BUILTIN_DIR
from app.service_definitions.yaml_io import read_yaml

REGISTRATION = read_yaml(BUILTIN_DIR / "dog_tax_registration.yaml")
DEREGISTRATION = read_yaml(BUILTIN_DIR / "dog_tax_deregistration.yaml")


def test_the_builtin_dog_tax_definitions_load_with_their_settings():
    registration = parse_definition(copy.deepcopy(REGISTRATION), "registration.yaml")
    assert registration.data["payment"]["pro_rata"] == {"starts_field": "intake_date"}
    assert registration.data["payment"]["direct_debit"]["iban_field"] == "iban"
    deregistration = parse_definition(copy.deepcopy(DEREGISTRATION), "deregistration.yaml")
    assert deregistration.data["payment"]["ends_notice"]["ends_field"] == "event_date"


def _set(data, key, value):
    data["payment"][key] = value


CASES = [
    (
        REGISTRATION,
        "pro_rata",
        {"starts_field": "taken_in"},
        "payment.pro_rata.starts_field: unknown field 'taken_in'",
    ),
    (
        REGISTRATION,
        "direct_debit",
        {"consent_field": "sepa_mandate", "account_holder_field": "holder", "iban_field": "iban"},
        "payment.direct_debit.account_holder_field: unknown field 'holder'",
    ),
    (
        DEREGISTRATION,
        "ends_notice",
        {"service": "x", "ends_field": "died_on"},
        "payment.ends_notice.ends_field: unknown field 'died_on'",
    ),
    (
        REGISTRATION,
        "pro_rata",
        {"starts_field": "intake_date", "by": "week"},
        "payment.pro_rata.by: Additional properties",
    ),
]


@pytest.mark.parametrize(("source", "key", "value", "problem"), CASES)
def test_unknown_fields_fail_loading_with_the_path(source, key, value, problem):
    data = copy.deepcopy(source)
    _set(data, key, value)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="dog.yaml")
    assert f"dog.yaml: {problem}" in str(caught.value)


def test_pro_rata_needs_due_dates():
    data = copy.deepcopy(REGISTRATION)
    del data["payment"]["instalments"]
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="dog.yaml")
    assert "payment.pro_rata: needs yearly instalments" in str(caught.value)
