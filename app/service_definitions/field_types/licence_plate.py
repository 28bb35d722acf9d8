"""``licence_plate``: a German plate, stored as ``DN-AB 123`` (see ``plates``)."""

from __future__ import annotations

from typing import Any

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import Context, FieldType
from app.service_definitions.plates import normalise_plate


def clean_licence_plate(
    field: dict[str, Any], value: Any, path: str, ctx: Context
) -> tuple[Any, list]:
    """A German licence plate, stored as ``DN-AB 123`` (see ``plates``)."""
    if not isinstance(value, str):
        return None, [issue(path, "licence_plate.invalid")]
    plate, code = normalise_plate(value)
    if code is not None:
        return None, [issue(path, code)]
    return plate, []


LICENCE_PLATE = FieldType(
    name="licence_plate",
    options={},
    cleaner=clean_licence_plate,
    answer_schema=lambda field: {
        "type": "string",
        "pattern": "^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}[EH]?$",
    },
)
