"""A definition gives a plugin its options by the plugin's registered name; the fields
it names must be the definition's own, and the plugin reads them by those ids."""

from __future__ import annotations

from typing import Any

import pytest

from app.parking import fields
from app.service_definitions import DefinitionError, parse_definition
from tests.service_definitions.support import sample_data


def _definition(builtin, service_id: str) -> dict[str, Any]:
    return builtin[service_id].as_dict()


def test_the_parking_plugin_reads_the_fields_the_definition_names(builtin):
    data = _definition(builtin, "resident_parking")
    for info_step in data["steps"]:
        for field in info_step["fields"]:
            if field["id"] == "plate":
                field["id"] = "kennzeichen"
    data["plugin_options"]["resident_parking"]["fields"]["plate"] = "kennzeichen"
    # The guide's example follows the field (an example for an unknown field is refused).
    data["guide"]["examples"]["kennzeichen"] = data["guide"]["examples"].pop("plate")
    renamed = parse_definition(data, source="resident_parking.yaml")
    assert fields.of_definition(renamed)["plate"] == "kennzeichen"
    assert fields.of_definition(builtin["resident_parking"])["plate"] == "plate"


@pytest.mark.parametrize(
    ("options", "path", "problem"),
    [
        ({"hover_check": {}}, "plugin_options.hover_check", "unknown plugin 'hover_check'"),
        (
            {"resident_parking": {"fields": {"plate": "number_plate"}}},
            "plugin_options.resident_parking.fields.plate",
            "unknown field 'number_plate'",
        ),
    ],
)
def test_wrong_plugin_options_fail_loading_with_the_path(options, path, problem):
    data = sample_data()
    data["plugin_options"] = options
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="sample.yaml")
    expected = f"sample.yaml: {path}: {problem}"
    assert any(line.startswith(expected) for line in str(caught.value).splitlines()), str(
        caught.value
    )
