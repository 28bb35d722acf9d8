"""``address``: street and house number; ``scope: city`` checks them against the directory."""

from __future__ import annotations

import re
from typing import Any

from app.service_definitions.errors import Issue, issue
from app.service_definitions.field_types.base import Context, FieldType, is_empty, single_line
from app.service_definitions.streets import find_street, parse_house_number

_ADDRESS_PART_MAX = 100
_POSTAL_CODE = re.compile(r"^[0-9]{5}$")


def clean_address(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Street and house number; ``scope: city`` (default) checks them against the directory."""
    if not isinstance(value, dict):
        return None, [issue(path, "address.invalid")]
    street = value.get("street")
    number = value.get("house_number")
    issues = []
    if is_empty(street) or not isinstance(street, str):
        issues.append(issue(f"{path}.street", "required"))
    if is_empty(number) or not isinstance(number, str | int) or isinstance(number, bool):
        issues.append(issue(f"{path}.house_number", "required"))
    if field.get("scope", "city") == "any":
        return _clean_any_address(value, path, issues)
    if issues:
        return None, issues
    known = find_street(street, ctx.directory)
    if known is None:
        city = ctx.directory.city
        return None, [issue(f"{path}.street", "address.street_unknown", street=street, city=city)]
    parsed = parse_house_number(number)
    if parsed is None:
        return None, [issue(f"{path}.house_number", "address.house_number_invalid")]
    number_range = known.range_for(parsed[0])
    if number_range is None:
        house_number = f"{parsed[0]}{parsed[1]}"
        return None, [
            issue(
                f"{path}.house_number",
                "address.house_number_out_of_range",
                street=known.name,
                house_number=house_number,
            )
        ]
    return {
        "street": known.name,
        "house_number": f"{parsed[0]}{parsed[1]}",
        "postal_code": known.postal_code,
        "city": ctx.directory.city,
        "parking_zone": number_range.zone,
    }, []


def _clean_any_address(
    value: dict[str, Any], path: str, issues: list[Issue]
) -> tuple[Any, list[Issue]]:
    # Addresses outside the city (a previous owner's) cannot be checked against a
    # directory; German postal codes still have a fixed shape.
    postal_code = value.get("postal_code")
    city = value.get("city")
    if is_empty(postal_code):
        issues.append(issue(f"{path}.postal_code", "required"))
    elif not isinstance(postal_code, str) or not _POSTAL_CODE.match(postal_code.strip()):
        issues.append(issue(f"{path}.postal_code", "address.postal_code_invalid"))
    if is_empty(city) or not isinstance(city, str):
        issues.append(issue(f"{path}.city", "required"))
    if issues:
        return None, issues
    parts = {
        "street": single_line(value["street"]),
        "house_number": single_line(str(value["house_number"])),
        "postal_code": postal_code.strip(),
        "city": single_line(city),
    }
    for name, text in parts.items():
        if len(text) > _ADDRESS_PART_MAX:
            issues.append(issue(f"{path}.{name}", "text.too_long", max_length=_ADDRESS_PART_MAX))
    return (None, issues) if issues else (parts, [])


def _missing(field: dict[str, Any], path: str) -> list[Issue]:
    # Each part gets its own message, so it sits at the input the citizen has to use.
    parts = ["street", "house_number"]
    if field.get("scope", "city") == "any":
        parts += ["postal_code", "city"]
    return [issue(f"{path}.{part}", "required") for part in parts]


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    if not isinstance(value, dict):
        return str(value)
    street = f"{value.get('street', '')} {value.get('house_number', '')}".strip()
    town = f"{value.get('postal_code', '')} {value.get('city', '')}".strip()
    return ", ".join(part for part in (street, town) if part)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    part = {"type": "string", "minLength": 1, "maxLength": _ADDRESS_PART_MAX}
    properties = {
        "street": part,
        "house_number": part,
        "postal_code": {"type": "string", "pattern": "^[0-9]{5}$"},
        "city": part,
    }
    if field.get("scope", "city") == "city":
        properties["parking_zone"] = {"type": "string"}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


ADDRESS = FieldType(
    name="address",
    options={"scope": {"enum": ["city", "any"]}},
    defaults={"scope": "city"},
    cleaner=clean_address,
    answer_schema=_answer_schema,
    prefill_sources=("profile.address", "eid.address"),
    missing=_missing,
    display=_display,
)
