"""The field type registry is the one source: every type is complete, the schema and the
PWA follow it, and the answers its cleaners store match the schemas it declares."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.service_definitions import (
    DefinitionError,
    load_definition,
    parse_definition,
    schema,
    validate_answers,
)
from app.service_definitions.field_types import (
    FIELD_TYPES,
    PREFILL_TYPES,
    FieldType,
    answer_schema,
)
from app.service_definitions.field_types.schema import field_schema
from tests.shared_cases.test_shared_cases import CASES, _definition, _sources, _today

from .support import sample_data, text

ROOT = Path(__file__).resolve().parents[2]
FORM_DIR = ROOT / "pwa" / "src" / "lib" / "form"


def _shared_fields() -> dict[str, dict[str, Any]]:
    """One loaded field of every type the shared validation cases use, by type."""
    found: dict[str, dict[str, Any]] = {}
    for case in CASES["validation"]["cases"]:
        with _sources(case):
            loaded = _definition(case)
        for info in loaded.fields.values():
            found.setdefault(info.field["type"], info.field)
    return found


SHARED_FIELDS = _shared_fields()


@pytest.mark.parametrize("name", list(FIELD_TYPES))
def test_every_type_is_complete(name: str) -> None:
    """A cleaner (or fields of its own), options with valid schemas, an answer schema."""
    field_type = FIELD_TYPES[name]
    assert field_type.name == name
    assert callable(field_type.cleaner) or field_type.holds_fields
    for option, option_schema in field_type.options.items():
        jsonschema.Draft202012Validator.check_schema(option_schema)
        assert option_schema, f"{name}.{option} has an empty schema"
    answer = answer_schema(SHARED_FIELDS[name])
    jsonschema.Draft202012Validator.check_schema(answer)
    assert "type" in answer


def test_schema_field_definition_is_composed_from_the_registry() -> None:
    field = schema()["$defs"]["field"]
    assert field["properties"]["type"]["enum"] == list(FIELD_TYPES)
    assert sorted(field["properties"]["prefill"]["enum"]) == sorted(PREFILL_TYPES)
    options = {option for ft in FIELD_TYPES.values() for option in ft.options}
    assert options <= set(field["properties"])
    assert len(field["allOf"]) == len(FIELD_TYPES)


def test_cleaned_answers_match_the_declared_answer_schema() -> None:
    """Every answer the shared cases get cleaned fits its type's answer schema."""
    checked = set()
    for case in CASES["validation"]["cases"]:
        today = date.fromisoformat(_today("validation", case))
        with _sources(case):
            definition = _definition(case)
            result = validate_answers(definition, case["answers"], today=today)
        # An answer with an error is not a cleaned answer (a group with too few items).
        wrong = {error.path.split(".")[0].split("[")[0] for error in result.errors}
        for field_id, value in result.answers.items():
            if field_id in wrong:
                continue
            field = definition.fields[field_id].field
            validator = jsonschema.Draft202012Validator(answer_schema(field))
            problems = [error.message for error in validator.iter_errors(value)]
            assert not problems, (case["id"], field_id, value, problems)
            checked.add(field["type"])
    assert checked == set(FIELD_TYPES)


def test_answer_schema_rejects_what_the_cleaner_never_stores() -> None:
    field = SHARED_FIELDS["address"]
    stored = {"street": "Kaiserplatz", "house_number": "2", "postal_code": "52349"}
    assert not jsonschema.Draft202012Validator(answer_schema(field)).is_valid(stored)
    number = {"id": "n", "type": "number", "label": text(), "min": 1}
    assert not jsonschema.Draft202012Validator(answer_schema(number)).is_valid(1.5)
    assert not jsonschema.Draft202012Validator(answer_schema(number)).is_valid(0)


def _node_exports(module: str, name: str) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to read the PWA's modules")
    script = (
        f"import {{ {name} }} from {json.dumps((FORM_DIR / module).as_uri())};"
        f"process.stdout.write(JSON.stringify({name}));"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_pwa_has_an_input_for_every_registered_type() -> None:
    renderers = _node_exports("renderers.js", "RENDERER_BY_TYPE")
    assert sorted(renderers) == sorted(FIELD_TYPES)
    for name, field_type in FIELD_TYPES.items():
        # Only a group of fields is shown as pages instead of one input.
        assert (renderers[name] == "group") == field_type.holds_fields, name


def test_pwa_cleans_every_type_the_server_cleans() -> None:
    cleaned = _node_exports("clean.js", "CLEANED_TYPES")
    assert sorted(cleaned) == sorted(
        name for name, field_type in FIELD_TYPES.items() if field_type.cleaner is not None
    )


def _form_file(tmp_path: Path, field: dict[str, Any], nested: bool = False) -> Path:
    data = sample_data()
    target = data["steps"][0]["fields"][2]["fields"] if nested else data["steps"][0]["fields"]
    target.append(field)
    path = tmp_path / "pets.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("field", "nested", "expected"),
    [
        (
            {"id": "age", "type": "number", "label": text(), "max_length": 3},
            False,
            "pets.yaml: steps[0].fields[3].max_length: not allowed for a field of type 'number'",
        ),
        (
            {"id": "born", "type": "date", "label": text(), "countries": ["DE"]},
            True,
            "pets.yaml: steps[0].fields[2].fields[1].countries: "
            "not allowed for a field of type 'date'",
        ),
        (
            {"id": "mail", "type": "email", "label": text(), "scope": "any"},
            False,
            "pets.yaml: steps[0].fields[3].scope: not allowed for a field of type 'email'",
        ),
    ],
)
def test_option_of_another_type_names_file_and_path(
    tmp_path: Path, field: dict[str, Any], nested: bool, expected: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(_form_file(tmp_path, field, nested))
    assert str(caught.value).splitlines() == [expected]


def test_required_options_come_from_the_type() -> None:
    data = sample_data()
    data["steps"][0]["fields"].append({"id": "proof", "type": "file", "label": text()})
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="pets.yaml")
    assert caught.value.problems == [
        ("steps[0].fields[3].accept", "'accept' is a required property"),
        ("steps[0].fields[3].max_size_bytes", "'max_size_bytes' is a required property"),
    ]


def _fake(name: str, **overrides: Any) -> FieldType:
    declared: dict[str, Any] = {
        "name": name,
        "options": {},
        "cleaner": FIELD_TYPES["email"].cleaner,
        "answer_schema": FIELD_TYPES["email"].answer_schema,
    }
    declared.update(overrides)
    return FieldType(**declared)


def test_a_type_cannot_give_a_shared_option_another_meaning() -> None:
    odd = _fake("odd", options={"max_length": {"type": "string"}})
    with pytest.raises(ValueError, match="'odd' declares 'max_length' unlike 'text'"):
        field_schema({**FIELD_TYPES, "odd": odd})


def test_a_type_declares_what_it_requires_and_how_it_cleans() -> None:
    with pytest.raises(ValueError, match="are not its options"):
        _fake("odd", required_options=("accept",))
    with pytest.raises(ValueError, match="needs a cleaner"):
        _fake("odd", cleaner=None)
