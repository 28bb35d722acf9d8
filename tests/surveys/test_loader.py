"""The loader's rules for surveys (kind: survey)."""

from __future__ import annotations

import copy

import pytest

from app.service_definitions import DefinitionError, parse_definition
from app.service_definitions.loader import SURVEY_FORBIDS
from tests.surveys.support import SURVEY, survey


def codes(data) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return [(problem.path, problem.code) for problem in caught.value.problems]


def test_a_survey_loads_without_workflow_or_payment():
    loaded = parse_definition(SURVEY)
    assert loaded.data["kind"] == "survey"
    assert "workflow" not in loaded.data and "payment" not in loaded.data
    assert "documents" not in loaded.data and "auto_decision" not in loaded.data
    assert loaded.data["survey"]["one_answer_per"] == "device"


def test_a_service_gets_kind_service_by_default():
    from app.service_definitions import load_builtin

    assert load_builtin()["dog_tax_registration"].data["kind"] == "service"


@pytest.mark.parametrize(
    "key, value",
    [
        ("workflow", "standard"),
        ("fees", {"period": "once", "rules": []}),
        ("payment", {"policy": "none"}),
        ("documents", []),
        ("auto_decision", {"enabled": False}),
        ("checks", []),
        ("processing", {"target_days": 3}),
        ("messages", {}),
    ],
)
def test_a_survey_refuses_what_belongs_to_processing(key, value):
    data = copy.deepcopy(SURVEY)
    data[key] = value
    found = codes(data)
    assert (key, "survey_forbids") in found or any(path.startswith(key) for path, _ in found)


def test_every_forbidden_key_is_refused_by_name():
    data = copy.deepcopy(SURVEY)
    data["payment"] = {"policy": "none"}
    data["workflow"] = "standard"
    data["documents"] = []
    data["auto_decision"] = {"enabled": False}
    found = codes(data)
    for key in ("payment", "workflow", "documents", "auto_decision"):
        assert (key, "survey_forbids") in found
    assert set(SURVEY_FORBIDS) >= {"workflow", "fees", "payment", "documents", "auto_decision"}


def test_a_survey_needs_its_survey_block():
    data = copy.deepcopy(SURVEY)
    del data["survey"]
    assert ("survey", "schema.required") in codes(data)


def test_a_service_still_needs_workflow_and_payment():
    data = copy.deepcopy(SURVEY)
    del data["kind"]
    del data["survey"]
    found = codes(data)
    assert ("payment", "schema.required") in found
    assert ("workflow", "schema.required") in found


def test_an_anonymous_survey_counts_per_device():
    found = codes(survey(anonymous=True, one_answer_per="account"))
    assert ("survey.one_answer_per", "survey_anonymous_per_device") in found
    parse_definition(survey(anonymous=False, one_answer_per="account"))


def test_opening_after_closing_is_refused():
    found = codes(survey(opens="2026-05-01", closes="2026-04-01"))
    assert ("survey.closes", "bounds_order") in found


def test_survey_days_must_exist():
    found = codes(survey(opens="2026-02-30"))
    assert ("survey.opens", "date_bound_invalid") in found
    parse_definition(survey(opens="2026-02-28", closes="2026-03-01"))


def test_a_survey_has_no_file_fields():
    data = copy.deepcopy(SURVEY)
    data["steps"][0]["fields"].append(
        {
            "id": "photo",
            "type": "file",
            "accept": ["image/jpeg"],
            "max_size_bytes": 100000,
            "label": {"de": "Foto", "en": "Photo"},
        }
    )
    assert ("steps[0].fields[3].type", "survey_no_files") in codes(data)


def test_problem_texts_exist_in_both_languages():
    from app.i18n import translate

    for code in ("survey_forbids", "survey_anonymous_per_device", "survey_no_files"):
        for locale in ("de", "en"):
            text = translate(f"definition.{code}", locale, name="fees")
            assert text != f"definition.{code}"


def test_the_demo_survey_loads():
    from app.service_definitions import load_definition
    from app.surveys.demo import DEMO_FILE

    loaded = load_definition(DEMO_FILE)
    assert loaded.data["kind"] == "survey"
    assert loaded.data["survey"]["anonymous"] is True
