"""Where a defect is: coordinates inside the city's extent, an address in the city's
street directory, and the rough location the public sees."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import FieldError
from app.reports.settings import ROUGH_DECIMALS, MapSettings
from app.service_definitions.streets import find_street

# "Kölnstraße 12a" -> street "Kölnstraße", number "12a".
_NUMBER_AT_END = re.compile(r"^(?P<street>.*?)[\s,]+(?P<number>\d+\s?[a-zA-Z]?)$")


@dataclass(frozen=True)
class Place:
    """A checked location: coordinates (or none), the address as given, its street."""

    lat: float | None
    lon: float | None
    address: str
    street: str


def split_address(address: str) -> tuple[str, str]:
    """The street and the house number (empty if none) of an address line."""
    text = " ".join(address.split())
    match = _NUMBER_AT_END.match(text)
    if match:
        return match["street"].strip(), match["number"].replace(" ", "")
    return text, ""


def check(
    lat: float | None,
    lon: float | None,
    address: str,
    settings: MapSettings,
    prefix: str = "",
) -> tuple[Place | None, list[FieldError]]:
    """The place, or field errors: a location needs coordinates inside the city or an
    address in one of its streets (both may be given)."""
    errors: list[FieldError] = []
    address = " ".join((address or "").split())
    street = ""
    if (lat is None) != (lon is None):
        errors.append(FieldError(f"{prefix}lon" if lon is None else f"{prefix}lat", "required"))
    elif lat is not None and lon is not None and not settings.contains(lat, lon):
        errors.append(FieldError(f"{prefix}lat", "report_outside_city"))
    if address:
        name, _number = split_address(address)
        found = find_street(name)
        if found is None:
            errors.append(FieldError(f"{prefix}address", "report_unknown_street"))
        else:
            street = found.name
    elif lat is None:
        errors.append(FieldError(f"{prefix}address", "report_location_needed"))
    if errors:
        return None, errors
    return Place(lat, lon, address, street), []


def rough(value: float | None) -> float | None:
    """A coordinate rounded for the public (about 100 m)."""
    return None if value is None else round(value, ROUGH_DECIMALS)
