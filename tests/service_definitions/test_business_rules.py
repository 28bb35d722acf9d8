"""The business services' rules, table-tested: fees, what each answer shows, dates."""

from __future__ import annotations

import copy

import pytest

from app.service_definitions import compute_fees, validate_answers

from .support import TODAY, codes
from .test_builtin_services import COMPLETE

TRADE_NOTIFICATIONS = ("business_registration", "business_change", "business_deregistration")


def _answers(service: str, **changes) -> dict:
    answers = copy.deepcopy(COMPLETE[service])
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def _validate(builtin, service: str, **changes):
    return validate_answers(builtin[service], _answers(service, **changes), today=TODAY)


def test_the_trade_notifications_need_the_eid_and_share_the_field_set(builtin):
    shared = {
        "persons",
        "person_family_name",
        "person_given_names",
        "person_birth_date",
        "person_role",
        "legal_form",
        "company_name",
        "register_court",
        "register_number",
        "trade_name",
        "business_address",
        "establishment_type",
        "activity",
        "email",
        "truthful",
    }
    for service in TRADE_NOTIFICATIONS:
        assert builtin[service].trust_level == "high", service
        assert shared <= set(builtin[service].fields), service
    assert {"branches", "activity_kind"} <= set(builtin["business_change"].fields)
    assert builtin["business_registration"].data["version"] == 8
    assert builtin["business_registration"].data["leika"] == "99050035001000"


@pytest.mark.parametrize(
    ("service", "changes", "total"),
    [
        ("business_registration", {}, 2600),
        ("business_registration", {"legal_form": "sole_proprietor"}, 2600),
        ("business_change", {}, 2000),
        (
            "business_change",
            {"change_kind": "activity_change", "new_activity": "Handel mit Büchern"},
            2000,
        ),
        ("business_deregistration", {}, 1500),
        (
            "business_deregistration",
            {"closing_reason": "closure", "closure_cause": "economic", "new_owner": None},
            1500,
        ),
        (
            "business_deregistration",
            {"closing_reason": "closure", "closure_cause": "insolvency", "new_owner": None},
            0,
        ),
        # The cause is hidden for any other reason: a stale answer waives nothing.
        ("business_deregistration", {"closure_cause": "insolvency"}, 1500),
        ("business_information_simple", {}, 1000),
        ("business_information_extended", {}, 1500),
    ],
    ids=[
        "registration",
        "registration sole proprietor",
        "change",
        "change of activity",
        "closing by transfer",
        "closing for economic reasons",
        "closing in insolvency is free",
        "hidden cause waives nothing",
        "simple information",
        "extended information",
    ],
)
def test_fees(builtin, service, changes, total):
    result = _validate(builtin, service, **changes)
    assert result.errors == []
    assert compute_fees(builtin[service], result.answers, today=TODAY).total_cents == total


@pytest.mark.parametrize(
    ("service", "changes", "shown", "hidden"),
    [
        (
            "business_registration",
            {"legal_form": "sole_proprietor"},
            set(),
            {"company_name", "register_court", "register_number"},
        ),
        ("business_registration", {"legal_form": "gbr"}, set(), {"register_number"}),
        ("business_registration", {"legal_form": "other"}, {"company_name"}, {"register_court"}),
        ("business_registration", {"registration_reason": "takeover"}, {"previous_owner"}, set()),
        (
            "business_registration",
            {"registration_reason": "new_establishment"},
            set(),
            {"previous_owner"},
        ),
        ("business_change", {"change_kind": "relocation"}, {"new_business_address"}, set()),
        (
            "business_change",
            {"change_kind": "activity_reduction"},
            {"new_activity"},
            {"new_business_address"},
        ),
        ("business_deregistration", {"closing_reason": "transfer"}, {"new_owner"}, set()),
        (
            "business_deregistration",
            {"closing_reason": "relocation_out"},
            {"new_municipality"},
            {"new_owner", "closure_cause"},
        ),
        ("business_deregistration", {"closing_reason": "closure"}, {"closure_cause"}, set()),
    ],
)
def test_what_each_answer_shows(builtin, service, changes, shown, hidden):
    # Shown fields are required (an empty answer is an error); hidden ones are dropped.
    answers = _answers(service, **changes)
    for field in shown | hidden:
        answers[field] = COMPLETE[service].get(field) or "x"
    for field in shown:
        answers.pop(field)
    result = validate_answers(builtin[service], answers, today=TODAY)
    errors = codes(result)
    for field in shown:
        # An address reports its parts; any other field itself.
        assert errors.get(field) == "required" or errors.get(f"{field}.street") == "required", (
            field,
            errors,
        )
    for field in hidden:
        assert field not in errors and field not in result.answers, field


@pytest.mark.parametrize(
    ("service", "field", "value", "error"),
    [
        ("business_registration", "start_date", "2024-05-13", None),  # 30 days back
        ("business_registration", "start_date", "2024-05-12", "date.too_early"),
        ("business_registration", "start_date", "2024-09-10", None),  # 90 days ahead
        ("business_registration", "start_date", "2024-09-11", "date.too_late"),
        ("business_change", "change_date", "2023-06-12", None),  # a year back
        ("business_change", "change_date", "2023-06-11", "date.too_early"),
        ("business_change", "change_date", "2024-09-11", "date.too_late"),
        ("business_deregistration", "end_date", "2023-06-12", None),
        ("business_deregistration", "end_date", "2023-06-11", "date.too_early"),
        ("business_deregistration", "end_date", "2024-09-10", None),
        ("business_deregistration", "end_date", "2024-09-11", "date.too_late"),
    ],
)
def test_date_bounds(builtin, service, field, value, error):
    errors = codes(_validate(builtin, service, **{field: value}))
    assert errors.get(field) == error


@pytest.mark.parametrize(
    ("service", "field", "value", "warned"),
    [
        ("business_change", "change_date", "2024-05-13", False),
        ("business_change", "change_date", "2024-05-12", True),
        ("business_deregistration", "end_date", "2024-05-13", False),
        ("business_deregistration", "end_date", "2024-05-12", True),
    ],
)
def test_late_notifications_warn_without_blocking(builtin, service, field, value, warned):
    result = _validate(builtin, service, **{field: value})
    assert result.errors == []
    assert [w.path for w in result.warnings] == ([field] if warned else [])
    if warned:
        assert result.warnings[0].params == {"days": 30}
        assert "30 Tage" in result.warnings[0].render("de")
        assert "30 days" in result.warnings[0].render("en")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("G-2024-00017", None),
        ("G-2024-0017", "text.pattern"),
        ("2024-00017", "text.pattern"),
        ("g-2024-00017", "text.pattern"),
    ],
)
def test_register_number_format(builtin, value, error):
    errors = codes(_validate(builtin, "business_change", business_entry_number=value))
    assert errors.get("business_entry_number") == error


@pytest.mark.parametrize(
    ("persons", "error_path", "error"),
    [
        ([], "persons", "repeat.too_few"),
        (
            [
                {
                    **COMPLETE["business_registration"]["persons"][0],
                    "person_birth_date": "2010-01-01",
                }
            ],
            "persons[0].person_birth_date",
            "date.too_late",
        ),
    ],
)
def test_persons_in_charge(builtin, persons, error_path, error):
    errors = codes(_validate(builtin, "business_registration", persons=persons))
    assert errors.get(error_path) == error, errors


@pytest.mark.parametrize("kind", [None, "anzeige"])
def test_a_wrong_xgewerbeanzeige_kind_fails_at_load(kind):
    from app.service_definitions import DefinitionError, parse_definition
    from app.service_definitions.loader import BUILTIN_DIR
    from app.service_definitions.yaml_io import read_yaml

    data = read_yaml(BUILTIN_DIR / "business_deregistration.yaml")
    data["plugin_options"]["xgewerbeanzeige"] = {} if kind is None else {"kind": kind}
    with pytest.raises(DefinitionError, match=r"plugin_options\.xgewerbeanzeige"):
        parse_definition(data, "business_deregistration.yaml")
