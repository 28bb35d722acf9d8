"""A service's answers schema describes exactly what validation stores for it."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from app.service_definitions import load_builtin, validate_answers
from app.service_definitions.answers_schema import answers_schema

from .support import TODAY
from .test_builtin_services import COMPLETE


@pytest.mark.parametrize("service", sorted(COMPLETE))
def test_complete_answers_of_every_builtin_service_fit_its_schema(service: str) -> None:
    definition = load_builtin()[service]
    result = validate_answers(definition, COMPLETE[service], today=TODAY)
    assert not result.errors
    document = answers_schema(definition)
    jsonschema.Draft202012Validator.check_schema(document)
    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in jsonschema.Draft202012Validator(document).iter_errors(result.answers)
    ]
    assert problems == []


def test_schema_rejects_answers_validation_would_not_store() -> None:
    definition = load_builtin()["dog_tax_registration"]
    stored = validate_answers(definition, COMPLETE["dog_tax_registration"], today=TODAY).answers
    validator = jsonschema.Draft202012Validator(answers_schema(definition))
    assert validator.is_valid(stored)
    for change in (
        lambda answers: answers.update(unknown_field="x"),
        lambda answers: answers["dogs"][0].update(intake_date="01.02.2024"),
        lambda answers: answers["holder_address"].pop("postal_code"),
    ):
        changed = copy.deepcopy(stored)
        change(changed)
        assert not validator.is_valid(changed)
