"""A definition names checks, rule sets and document generators; unknown names fail loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.service_definitions import DefinitionError, load_builtin, load_definition, plugins
from app.service_definitions.loader import BUILTIN_DIR

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        (
            "tree_felling_unknown_check.yaml",
            "tree_felling_unknown_check.yaml: checks[0]: unknown check 'protected_trees'",
        ),
        (
            "tree_felling_unknown_rule.yaml",
            "tree_felling_unknown_rule.yaml: auto_decision.rule_set: unknown rule 'small_tree'",
        ),
        (
            "tree_felling_unknown_generator.yaml",
            "tree_felling_unknown_generator.yaml: documents[0].generator: "
            "unknown document generator 'felling_permit'",
        ),
    ],
)
def test_an_unknown_name_fails_loading_with_file_and_path(fixture, message):
    with pytest.raises(DefinitionError) as raised:
        load_definition(FIXTURES / fixture)
    assert str(raised.value).startswith(message)


def test_the_registry_information_needs_its_rule_set_registered():
    rule = plugins.rules.get("registry_unique_match")
    plugins.rules.remove("registry_unique_match")
    try:
        with pytest.raises(DefinitionError) as raised:
            load_definition(BUILTIN_DIR / "registry_information_simple.yaml")
    finally:
        plugins.rules.add("registry_unique_match", rule)
    assert str(raised.value).startswith(
        "registry_information_simple.yaml: auto_decision.rule_set: "
        "unknown rule 'registry_unique_match'"
    )


def test_every_document_of_every_builtin_definition_has_a_registered_generator():
    for definition in load_builtin().values():
        for document in definition.data["documents"]:
            assert plugins.generator_name(document) in plugins.generators, (
                definition.id,
                document["id"],
            )
        for name in definition.data.get("checks", []):
            assert name in plugins.checks
        rule_set = definition.data["auto_decision"]["rule_set"]
        assert rule_set is None or rule_set in plugins.rules


def test_the_builtin_services_name_their_plugins():
    builtin = load_builtin()
    assert builtin["resident_parking"].data["checks"] == ["resident_parking"]
    permit = next(d for d in builtin["resident_parking"].data["documents"] if d["id"] == "permit")
    assert plugins.generator_name(permit) == "permit"
    assert builtin["registry_information_simple"].data["auto_decision"]["rule_set"] == (
        "registry_unique_match"
    )
