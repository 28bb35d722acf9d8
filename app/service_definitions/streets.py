"""The city's street directory: which addresses exist and which parking zone they lie in.

The city package's file (``cities/<slug>/streets.yaml``, validated when loaded) is the default;
once an admin has imported the city's official list (``app/street_directory``), the
newest imported version in the database is the directory, for every process at once
(each look-up asks the database for the newest version's id, a one-row index read). Look-ups
forgive the ways people write street names: ``"josef schregel str."`` finds
``Josef-Schregel-Straße``, ``"Koelnstrasse"`` finds ``Kölnstraße``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from app.cities import active_city
from app.db import db
from app.models.streets import StreetDirectoryVersion
from app.service_definitions.errors import DefinitionError
from app.service_definitions.jsonpath import format_path
from app.service_definitions.yaml_io import read_yaml

_HOUSE_NUMBER = re.compile(r"^(\d{1,4})\s*([a-z]?)$")
_STREET_SUFFIX = re.compile(r"str(?:\.|asse\b|\b)")
_FOLDS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["city", "parking_zones", "streets"],
    "properties": {
        "city": {"type": "string", "minLength": 1},
        "parking_zones": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Z]$"},
            "uniqueItems": True,
        },
        "streets": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "postal_code", "ranges"],
                "properties": {
                    "name": {"type": "string", "minLength": 2},
                    "postal_code": {"type": "string", "pattern": "^[0-9]{5}$"},
                    "ranges": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["from", "to", "zone"],
                            "properties": {
                                "from": {"type": "integer", "minimum": 1},
                                "to": {"type": "integer", "minimum": 1},
                                "zone": {"type": ["string", "null"]},
                            },
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class NumberRange:
    """House numbers ``first``..``last`` (inclusive) and their parking zone, if any."""

    first: int
    last: int
    zone: str | None


@dataclass(frozen=True)
class Street:
    """A street of the city with the house numbers that exist in it."""

    name: str
    postal_code: str
    ranges: tuple[NumberRange, ...]

    def range_for(self, number: int) -> NumberRange | None:
        """Return the range holding house number ``number``, or ``None``."""
        return next((r for r in self.ranges if r.first <= number <= r.last), None)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form for the street look-up in forms."""
        return {
            "name": self.name,
            "postal_code": self.postal_code,
            "ranges": [{"from": r.first, "to": r.last, "zone": r.zone} for r in self.ranges],
        }


@dataclass(frozen=True)
class Address:
    """An address that exists in the city, in its canonical spelling."""

    street: str
    house_number: str
    postal_code: str
    city: str
    parking_zone: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the address as stored in cleaned answers."""
        return {
            "street": self.street,
            "house_number": self.house_number,
            "postal_code": self.postal_code,
            "city": self.city,
            "parking_zone": self.parking_zone,
        }


@dataclass(frozen=True)
class StreetDirectory:
    """All streets of one city, indexed by their folded name."""

    city: str
    parking_zones: tuple[str, ...]
    streets: tuple[Street, ...]
    _by_key: dict[str, Street] = field(repr=False, compare=False)


def street_key(name: str) -> str:
    """Fold a street name for comparison: case, umlauts, ß, ``Str.``, spaces, hyphens."""
    text = unicodedata.normalize("NFC", name).casefold().translate(_FOLDS)
    text = _STREET_SUFFIX.sub("strasse", text)
    return _NON_ALNUM.sub("", text)


def parse_house_number(text: object) -> tuple[int, str] | None:
    """Split ``"12 a"`` into ``(12, "a")``; return ``None`` if it is no house number."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        return None
    match = _HOUSE_NUMBER.match(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        return None
    return int(match.group(1)), match.group(2)


def load_directory(path: Path) -> StreetDirectory:
    """Load and validate a street directory file; problems raise ``DefinitionError``."""
    source = path.name
    data = read_yaml(path, source)
    problems = [
        (format_path(error.absolute_path), error.message)
        for error in jsonschema.Draft202012Validator(_SCHEMA).iter_errors(data)
    ]
    if problems:
        raise DefinitionError(source, sorted(problems))
    return _build(source, data["city"], tuple(data["parking_zones"]), data["streets"])


def _build(
    source: str, city: str, zones: tuple[str, ...], entries: list[dict[str, Any]]
) -> StreetDirectory:
    problems: list[tuple[str, str]] = []
    streets: list[Street] = []
    by_key: dict[str, Street] = {}
    for index, entry in enumerate(entries):
        where = f"streets[{index}]"
        key = street_key(entry["name"])
        if key in by_key:
            problems.append((f"{where}.name", f"{entry['name']!r} is listed twice"))
        ranges = tuple(
            NumberRange(item["from"], item["to"], item["zone"]) for item in entry["ranges"]
        )
        problems.extend(_range_problems(where, ranges, zones))
        street = Street(entry["name"], entry["postal_code"], ranges)
        by_key[key] = street
        streets.append(street)
    if problems:
        raise DefinitionError(source, problems)
    return StreetDirectory(city, zones, tuple(streets), by_key)


def directory_from_entries(city: str, entries: list[dict[str, Any]]) -> StreetDirectory:
    """Build a directory from stored entries (``{name, postal_code, ranges}``); their
    zones, if any, make up its zone list."""
    zones = sorted({r["zone"] for e in entries for r in e["ranges"] if r.get("zone")})
    return _build("street_directory_version", city, tuple(zones), entries)


def _range_problems(
    where: str, ranges: tuple[NumberRange, ...], zones: tuple[str, ...]
) -> list[tuple[str, str]]:
    problems = []
    previous_last = 0
    for index, item in enumerate(sorted(ranges, key=lambda r: r.first)):
        path = f"{where}.ranges[{index}]"
        if item.first > item.last:
            problems.append((path, f"from {item.first} is after to {item.last}"))
        if item.first <= previous_last:
            problems.append((path, f"house number {item.first} lies in two ranges"))
        if item.zone is not None and item.zone not in zones:
            problems.append((f"{path}.zone", f"{item.zone!r} is not one of {list(zones)}"))
        previous_last = max(previous_last, item.last)
    return problems


def shipped_directory() -> StreetDirectory:
    """Return the city package's directory (the default until an import)."""
    return _package_directory(active_city().file("streets"))


@cache
def _package_directory(path: Path) -> StreetDirectory:
    return load_directory(path)


_current: tuple[int, StreetDirectory] | None = None
_current_lock = threading.Lock()


def current_version_id() -> int | None:
    """The id of the newest imported directory, or ``None`` (no import, no database)."""
    if db.obj is None:
        return None
    return (
        StreetDirectoryVersion.select(StreetDirectoryVersion.id)
        .order_by(StreetDirectoryVersion.id.desc())
        .limit(1)
        .scalar()
    )


def default_directory() -> StreetDirectory:
    """Return the city's street directory: the newest import, else the shipped file.

    The built directory is kept per process and rebuilt only when a newer import exists.
    """
    global _current
    version_id = current_version_id()
    if version_id is None:
        return shipped_directory()
    cached = _current
    if cached is not None and cached[0] == version_id:
        return cached[1]
    row = StreetDirectoryVersion.get_by_id(version_id)
    directory = directory_from_entries(row.city, row.streets)
    with _current_lock:
        _current = (version_id, directory)
    return directory


def find_street(name: str, directory: StreetDirectory | None = None) -> Street | None:
    """Find a street by name, forgiving spelling variants; ``None`` if unknown."""
    directory = directory or default_directory()
    return directory._by_key.get(street_key(name))


def find_address(
    street: str, house_number: str | int, directory: StreetDirectory | None = None
) -> Address | None:
    """Return the canonical address if the street exists and has that house number."""
    directory = directory or default_directory()
    found = find_street(street, directory)
    number = parse_house_number(house_number)
    if found is None or number is None:
        return None
    number_range = found.range_for(number[0])
    if number_range is None:
        return None
    return Address(
        street=found.name,
        house_number=f"{number[0]}{number[1]}",
        postal_code=found.postal_code,
        city=directory.city,
        parking_zone=number_range.zone,
    )


def search_streets(
    prefix: str, limit: int = 10, directory: StreetDirectory | None = None
) -> list[Street]:
    """Streets for a type-ahead: names starting with ``prefix`` first, then names with a
    word starting with it (``"schregel"`` finds ``Josef-Schregel-Straße``); alphabetical.
    """
    directory = directory or default_directory()
    key = street_key(prefix)
    if not key:
        return []
    starts = []
    inner = []
    for street in directory.streets:
        if street_key(street.name).startswith(key):
            starts.append(street)
        elif any(street_key(word).startswith(key) for word in _words(street.name)[1:]):
            inner.append(street)
    ordered = sorted(starts, key=_sort_key) + sorted(inner, key=_sort_key)
    return ordered[: max(limit, 0)]


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[\s\-]+", name) if word]


def _sort_key(street: Street) -> str:
    return street_key(street.name)
