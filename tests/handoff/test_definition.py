"""A definition's ``handoff`` targets: checked against the registered backends at load."""

from __future__ import annotations

import copy

import pytest

from app.handoff.base import REGISTRY, Backend
from app.service_definitions import DefinitionError, parse_definition
from tests.service_definitions.support import sample_data
from tests.surveys.support import SURVEY


class _Strict(Backend):
    """Wants an https ``url`` and nothing else."""

    def check_target(self, settings, definition=None):
        problems = []
        if not str(settings.get("url", "")).startswith("https://"):
            problems.append("url: must be an https:// address")
        problems += [f"{key}: unknown setting" for key in settings if key != "url"]
        if not settings:
            problems.append("the target needs settings")
        return problems


def _with(*targets):
    data = sample_data()
    data["handoff"] = list(targets)
    return data


def _target(**changes):
    return {
        "id": "steueramt",
        "backend": "strict_test",
        "on": "submitted",
        "label": {"de": "Steueramt", "en": "Tax office"},
        "settings": {"url": "https://fach.example/antraege"},
    } | changes


def _problems(data):
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, "sample.yaml")
    return raised.value.problems


def test_a_definition_without_handoff_loads():
    assert "handoff" not in parse_definition(sample_data()).data


def test_a_good_target_loads():
    with REGISTRY.replaced("strict_test", _Strict):
        definition = parse_definition(_with(_target()))
    assert definition.data["handoff"][0]["backend"] == "strict_test"


def test_an_unknown_backend_names_the_registered_ones():
    [found] = _problems(_with(_target(backend="fax")))
    assert found.path == "handoff[0].backend"
    assert found.code == "unknown_backend"
    assert found.params["registered"] == REGISTRY.names()
    assert "unknown hand-off backend 'fax'" in found.text
    assert "nicht registriert" in found.render("de")


def test_a_target_id_used_twice_fails():
    with REGISTRY.replaced("strict_test", _Strict):
        problems = _problems(_with(_target(), _target(on="decided")))
    assert [(p.path, p.code) for p in problems] == [("handoff[1].id", "duplicate_target_id")]
    assert "Übergabeziel" in problems[0].render("de")


def test_the_backend_s_problems_are_shown_at_the_setting():
    settings = {"url": "http://fach.example", "colour": "blue"}
    with REGISTRY.replaced("strict_test", _Strict):
        problems = _problems(_with(_target(settings=settings)))
    assert [(p.path, p.code) for p in problems] == [
        ("handoff[0].settings.url", "handoff_settings"),
        ("handoff[0].settings.colour", "handoff_settings"),
    ]
    assert problems[0].render("en") == (
        "hand-off backend 'strict_test': url: must be an https:// address"
    )
    assert problems[0].render("de").startswith("Einstellung des Übergabeverfahrens")


def test_a_problem_of_no_setting_is_shown_at_the_settings():
    with REGISTRY.replaced("strict_test", _Strict):
        problems = _problems(_with(_target(settings={})))
    assert problems[-1].path == "handoff[0].settings"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"id": "Steueramt"}, "handoff[0].id"),
        ({"on": "approved"}, "handoff[0].on"),
        ({"extra": 1}, "handoff[0].extra"),
    ],
)
def test_the_schema_checks_the_target_s_shape(change, path):
    with REGISTRY.replaced("strict_test", _Strict):
        problems = _problems(_with(_target(**change)))
    assert [p.path for p in problems] == [path]


def test_a_survey_has_no_handoff():
    data = copy.deepcopy(SURVEY)
    data["handoff"] = [_target()]
    with REGISTRY.replaced("strict_test", _Strict):
        problems = _problems(data)
    assert ("handoff", "survey_forbids") in [(p.path, p.code) for p in problems]


def test_on_in_yaml_is_the_word_not_a_boolean():
    from app.service_definitions.yaml_io import parse_yaml

    data = parse_yaml("handoff:\n  - {id: a, backend: email, on: paid}\nflag: on\n", "x.yaml")
    assert data["handoff"][0]["on"] == "paid"
    assert data["flag"] is True  # values keep YAML's booleans


def test_the_built_in_definitions_hand_off_nowhere():
    """Where applications go is each city's choice (the console's builder; the demo
    makes its own): a shipped definition naming a mailbox or a destination would send
    every city's applications there once synced."""
    from app.service_definitions import load_builtin

    shipped = load_builtin()
    assert {"civil_status_certificate", "dog_tax_deregistration"} <= set(shipped)
    assert [name for name, definition in shipped.items() if "handoff" in definition.data] == []


def test_a_stored_definition_naming_an_unknown_backend_stops_the_start(app, other_app, tmp_path):
    from app.applications import stored_plugins
    from tests.app.test_composition import _start, _store

    _store("mit_fax", "published", handoff=[_target(backend="fax")])
    with pytest.raises(stored_plugins.UnknownPlugins) as refused:
        _start(other_app, app, tmp_path)
    assert "mit_fax version 3 (published): handoff[0].backend: unknown hand-off backend 'fax'" in (
        str(refused.value)
    )


def _fit(**settings):
    return _target(id="fit", backend="fit_connect", settings=settings)


DESTINATION = "8e4a6a2c-2a5f-4b47-9c1c-3a52d1a0d0d1"


def test_a_fit_connect_target_needs_a_service_identifier_without_leika():
    data = _with(_fit(destination_id=DESTINATION))
    data["leika"] = None
    problems = _problems(data)
    assert [(p.path, p.code) for p in problems] == [
        ("handoff[0].settings.service_identifier", "handoff_settings")
    ]
    data["leika"] = "99102013104000"
    assert parse_definition(data).data["handoff"][0]["backend"] == "fit_connect"
    data["leika"] = None
    data["handoff"][0]["settings"]["service_identifier"] = "urn:de:fim:leika:leistung:1"
    assert parse_definition(data).data["handoff"][0]["backend"] == "fit_connect"


@pytest.mark.parametrize(
    ("target", "path"),
    [
        (_target(backend="webhook", settings={"secret": "steueramt"}), "handoff[0].settings.url"),
        (
            _target(backend="webhook", settings={"url": "https://a.example", "secret": "A-B"}),
            "handoff[0].settings.secret",
        ),
        (_fit(service_identifier="urn:x:y"), "handoff[0].settings.destination_id"),
        (
            _fit(destination_id=DESTINATION, service_identifier="urn:x:y", service_name=""),
            "handoff[0].settings.service_name",
        ),
    ],
)
def test_webhook_and_fit_connect_problems_are_shown_at_the_setting(target, path):
    assert [p.path for p in _problems(_with(target))] == [path]
