"""The contents of a city package's files, checked once when the portal starts.

``load_city`` has checked ``city.yaml`` itself; this checks what its files say against
the portal: the street directory, the parking zones and the directory's zones, the
Bürgerbüro, the registers, the demo data, and that every offered or overridden service
is a built-in one and still a valid definition with the city's overrides. Every
problem is reported with the field path of ``city.yaml`` (and the file's own path).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from app.cities.loader import CityError
from app.cities.package import City, demo_data
from app.gewerbe.register import demo_businesses_from
from app.registry_information.register import demo_people_from
from app.service_definitions import guide
from app.service_definitions.errors import DefinitionError
from app.service_definitions.loader import builtin_for, builtin_ids
from app.service_definitions.streets import load_directory
from app.service_definitions.yaml_io import read_yaml

APPOINTMENT_KEYS = ("counters", "opening_hours", "closing_days", "services")
DEMO_KEYS = ("citizen", "eid_identities", "kita_facilities", "reports")
# The fields each entry of the demo data's lists needs.
DEMO_ENTRY_KEYS = {
    "eid_identities": (
        "key", "card", "document_type", "expires", "given_names", "family_names", "born",
        "nationality", "residence", "label",
    ),
    "kita_facilities": ("name", "street", "house_number", "postal_code", "city", "carrier"),
    "reports": (
        "category", "address", "lat", "lon", "description", "status", "visibility",
        "comment", "days_ago",
    ),
}  # fmt: skip
CITIZEN_KEYS = ("street", "house_number", "postal_code", "locality", "phone")


def check_city(city: City) -> None:
    """Raise ``CityError`` naming every problem of the package's files."""
    problems: list[tuple[str, str]] = []
    problems += _streets_and_zones(city)
    problems += _guide_address(city)
    problems += _appointments(city)
    problems += _registers(city)
    problems += _demo(city)
    problems += _services(city)
    if problems:
        raise CityError(str(city.folder), problems)


def _streets_and_zones(city: City) -> list[tuple[str, str]]:
    try:
        directory = load_directory(city.file("streets"))
    except DefinitionError as error:
        return [(f"streets ({error.source}) {path}", message) for path, message in error.problems]
    problems: list[tuple[str, str]] = []
    if directory.city != city.name:
        problems.append(("streets", f"the file is for {directory.city!r}, not {city.name!r}"))
    try:
        zones = read_yaml(city.file("parking_zones"))
    except DefinitionError as error:
        return [*problems, *(("parking_zones", message) for _path, message in error.problems)]
    listed = zones.get("zones") if isinstance(zones, dict) else None
    if not isinstance(listed, list) or not listed:
        return [*problems, ("parking_zones.zones", "a list of {code, name} is needed")]
    codes = [str(zone.get("code")) for zone in listed if isinstance(zone, dict)]
    if sorted(codes) != sorted(directory.parking_zones):
        problems.append(
            (
                "parking_zones.zones",
                f"codes {sorted(codes)} differ from the street directory's "
                f"parking_zones {sorted(directory.parking_zones)}",
            )
        )
    return problems


def _guide_address(city: City) -> list[tuple[str, str]]:
    """The guides' example address must be one the city's address fields accept."""
    address = city.data.get("guide_example_address")
    if not address:
        return []
    try:
        directory = load_directory(city.file("streets"))
    except DefinitionError:
        return []  # reported by _streets_and_zones
    return [
        (
            f"guide_example_address{'.' if found.path else ''}{found.path.lstrip('.')}",
            found.render("en"),
        )
        for found in guide.check_city_address(address, directory)
    ]


def _appointments(city: City) -> list[tuple[str, str]]:
    try:
        data = json.loads(city.file("appointments").read_text(encoding="utf-8"))
    except ValueError as error:
        return [("appointments", f"not valid JSON: {error}")]
    if not isinstance(data, dict):
        return [("appointments", "a JSON object is needed")]
    return [(f"appointments.{key}", "missing") for key in APPOINTMENT_KEYS if not data.get(key)]


def _registers(city: City) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for field, reader in (
        ("resident_register", demo_people_from),
        ("business_register", demo_businesses_from),
    ):
        try:
            reader(city.file("demo", field))
        except (DefinitionError, KeyError, TypeError, ValueError) as error:
            problems.append((f"demo.{field}", f"unreadable: {error!r}"))
    return problems


def _demo(city: City) -> list[tuple[str, str]]:
    try:
        data: Any = demo_data(city)
    except (ValueError, yaml.YAMLError) as error:
        return [("demo.data", f"not valid YAML: {error}")]
    problems = [(f"demo.data.{key}", "missing") for key in DEMO_KEYS if key not in data]
    if problems:
        return problems
    problems += [
        (f"demo.data.citizen.{key}", "missing")
        for key in CITIZEN_KEYS
        if key not in (data["citizen"] or {})
    ]
    for name, needed in DEMO_ENTRY_KEYS.items():
        entries = data[name]
        if not isinstance(entries, list):
            problems.append((f"demo.data.{name}", "a list is needed"))
            continue
        for index, entry in enumerate(entries):
            missing = [key for key in needed if not isinstance(entry, dict) or key not in entry]
            problems += [(f"demo.data.{name}[{index}].{key}", "missing") for key in missing]
    return problems


def _services(city: City) -> list[tuple[str, str]]:
    known = set(builtin_ids())
    services = city.data["services"]
    problems: list[tuple[str, str]] = []
    offered = services["offered"]
    if offered != "all":
        problems += [
            (f"services.offered[{index}]", f"{name!r} is no built-in service")
            for index, name in enumerate(offered)
            if name not in known
        ]
    problems += [
        (f"services.overrides.{name}", "no built-in service of that id")
        for name in services["overrides"]
        if name not in known
    ]
    if problems:
        return problems
    try:
        builtin_for(city)
    except DefinitionError as error:
        return [(f"services ({error.source}) {path}", message) for path, message in error.problems]
    return []
