"""Resident parking zones and the street ranges that lie in them, kept in the database.

The city package's files are the seed: ``parking_zones.yaml`` (codes and names) and the
zone of each house-number range in its street directory (``streets.yaml``).
They are copied into ``parking_zone`` / ``parking_street_range`` the first time the
parking module needs them; from then on admins edit the database (API
``/api/admin/parking/...``) and the database decides which zone an address lies in.

An address must still exist in the city's street directory (the services engine checks
addresses against it), so an admin can only add ranges for streets the directory knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import peewee

from app.accounts import audit
from app.cities import active_city
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import ParkingPermit, ParkingStreetRange, ParkingZone, User
from app.service_definitions import find_street
from app.service_definitions.streets import parse_house_number, shipped_directory, street_key
from app.service_definitions.yaml_io import read_yaml

ZONE_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
PARITIES = ("all", "odd", "even")
MAX_HOUSE_NUMBER = 9999


def ensure_seeded() -> None:
    """Copy the YAML seed into the database once (no-op when zones exist)."""
    if ParkingZone.select().exists():
        return
    zones_file = active_city().file("parking_zones")
    data = read_yaml(zones_file, zones_file.name)
    directory = shipped_directory()
    try:
        with db.atomic():
            for zone in data["zones"]:
                ParkingZone.create(code=zone["code"], name=zone.get("name", ""), active=True)
            known = {z["code"] for z in data["zones"]}
            for street in directory.streets:
                for number_range in street.ranges:
                    if number_range.zone is None or number_range.zone not in known:
                        continue
                    ParkingStreetRange.create(
                        street=street.name,
                        street_key=street_key(street.name),
                        postal_code=street.postal_code,
                        first_number=number_range.first,
                        last_number=number_range.last,
                        parity="all",
                        zone=number_range.zone,
                    )
    except peewee.IntegrityError:
        # Another process seeded at the same moment; its rows are the same.
        pass


@dataclass(frozen=True)
class ZoneMatch:
    """The zone an address lies in."""

    code: str
    name: str
    active: bool
    street: str
    house_number: str


def _parity_matches(parity: str, number: int) -> bool:
    return parity == "all" or (parity == "odd") == (number % 2 == 1)


def zone_for(street: str, house_number: object) -> ZoneMatch | None:
    """The zone of an address (any spelling of the street), or None outside every zone."""
    ensure_seeded()
    if not isinstance(street, str):
        return None
    known = find_street(street)
    parsed = parse_house_number(house_number)
    if known is None or parsed is None:
        return None
    number = parsed[0]
    rows = (
        ParkingStreetRange.select(ParkingStreetRange, ParkingZone)
        .join(ParkingZone)
        .where(
            (ParkingStreetRange.street_key == street_key(known.name))
            & (ParkingStreetRange.first_number <= number)
            & (ParkingStreetRange.last_number >= number)
        )
        .order_by(ParkingStreetRange.id)
    )
    for row in rows:
        if _parity_matches(row.parity, number):
            return ZoneMatch(
                code=row.zone.code,
                name=row.zone.name,
                active=row.zone.active,
                street=known.name,
                house_number=f"{parsed[0]}{parsed[1]}",
            )
    return None


def zone_of_answer(address: Any) -> ZoneMatch | None:
    """The zone of an address answer (``{street, house_number, ...}``)."""
    if not isinstance(address, dict):
        return None
    return zone_for(address.get("street"), address.get("house_number"))


def zone_names() -> dict[str, str]:
    """Zone code → name, for display."""
    ensure_seeded()
    return {zone.code: zone.name for zone in ParkingZone.select()}


def list_zones(include_inactive: bool = False) -> list[ParkingZone]:
    """Zones by code."""
    ensure_seeded()
    query = ParkingZone.select().order_by(ParkingZone.code)
    if not include_inactive:
        query = query.where(ParkingZone.active == True)  # noqa: E712 - SQL expression
    return list(query)


def zone_dict(zone: ParkingZone, counts: bool = False) -> dict[str, Any]:
    """A zone as JSON (admins also get how many ranges and active permits it has)."""
    data: dict[str, Any] = {"code": zone.code, "name": zone.name, "active": zone.active}
    if counts:
        data["ranges"] = (
            ParkingStreetRange.select().where(ParkingStreetRange.zone == zone.code).count()
        )
        data["active_permits"] = (
            ParkingPermit.select()
            .where((ParkingPermit.zone == zone.code) & (ParkingPermit.status == "active"))
            .count()
        )
    return data


def range_dict(row: ParkingStreetRange) -> dict[str, Any]:
    """A street range as JSON."""
    return {
        "id": row.id,
        "street": row.street,
        "postal_code": row.postal_code,
        "first": row.first_number,
        "last": row.last_number,
        "parity": row.parity,
        "zone": row.zone_code,
    }


# --- Administration ---------------------------------------------------------------


def _invalid(field: str, code: str, **params: Any) -> DomainError:
    return DomainError("invalid_input", field_errors=[FieldError(field, code, params)])


def get_zone(code: str) -> ParkingZone:
    """A zone by code, or not found."""
    ensure_seeded()
    zone = ParkingZone.get_or_none(ParkingZone.code == str(code).upper())
    if zone is None:
        raise DomainError("not_found", kind="not_found")
    return zone


def create_zone(data: dict[str, Any], actor: User, ip: str = "") -> ParkingZone:
    """Add a zone (code of 1–8 capital letters or digits)."""
    ensure_seeded()
    code = str(data.get("code", "")).strip().upper()
    if not ZONE_CODE.match(code):
        raise _invalid("code", "parking_zone_code_format")
    if ParkingZone.get_or_none(ParkingZone.code == code) is not None:
        raise DomainError("parking_zone_exists", kind="conflict", zone=code)
    zone = ParkingZone.create(
        code=code, name=str(data.get("name", "")).strip()[:100], active=data.get("active", True)
    )
    audit.record("parking_zone_created", actor, "parking_zone", code, ip)
    return zone


def update_zone(code: str, data: dict[str, Any], actor: User, ip: str = "") -> ParkingZone:
    """Rename a zone or (de)activate it; inactive zones get no new permits automatically."""
    zone = get_zone(code)
    if "name" in data:
        zone.name = str(data["name"]).strip()[:100]
    if "active" in data:
        zone.active = bool(data["active"])
    zone.updated_at = utcnow()
    zone.save()
    audit.record(
        "parking_zone_updated",
        actor,
        "parking_zone",
        zone.code,
        ip,
        name=zone.name,
        active=zone.active,
    )
    return zone


def delete_zone(code: str, actor: User, ip: str = "") -> None:
    """Remove a zone without street ranges and without active permits."""
    zone = get_zone(code)
    counts = zone_dict(zone, counts=True)
    if counts["ranges"] or counts["active_permits"]:
        raise DomainError(
            "parking_zone_in_use",
            kind="conflict",
            ranges=counts["ranges"],
            permits=counts["active_permits"],
        )
    zone.delete_instance()
    audit.record("parking_zone_deleted", actor, "parking_zone", zone.code, ip)


def list_ranges(zone: str | None = None, street: str | None = None) -> list[ParkingStreetRange]:
    """Street ranges, by street and first house number; filter by zone or street."""
    ensure_seeded()
    query = ParkingStreetRange.select().order_by(
        ParkingStreetRange.street_key, ParkingStreetRange.first_number, ParkingStreetRange.id
    )
    if zone:
        query = query.where(ParkingStreetRange.zone == zone.upper())
    if street:
        query = query.where(ParkingStreetRange.street_key.startswith(street_key(street)))
    return list(query)


def _overlaps(a_first: int, a_last: int, a_parity: str, b: ParkingStreetRange) -> bool:
    first, last = max(a_first, b.first_number), min(a_last, b.last_number)
    if first > last:
        return False
    if "all" in (a_parity, b.parity):
        return True
    if a_parity != b.parity:
        return False
    # Same parity: the shared interval must hold a number of that parity.
    wanted = 1 if a_parity == "odd" else 0
    return any(n % 2 == wanted for n in range(first, min(last, first + 1) + 1))


def _clean_range(data: dict[str, Any], ignore_id: int | None = None) -> dict[str, Any]:
    errors: list[FieldError] = []
    street = find_street(str(data.get("street", "")))
    if street is None:
        errors.append(FieldError("street", "parking_street_unknown"))
    first, last = data.get("first"), data.get("last")
    for name, value in (("first", first), ("last", last)):
        if type(value) is not int or not 1 <= value <= MAX_HOUSE_NUMBER:
            errors.append(FieldError(name, "parking_house_number_range", {"max": MAX_HOUSE_NUMBER}))
    parity = data.get("parity", "all")
    if parity not in PARITIES:
        errors.append(FieldError("parity", "invalid_choice", {"choices": ", ".join(PARITIES)}))
    zone_code = str(data.get("zone", "")).upper()
    if ParkingZone.get_or_none(ParkingZone.code == zone_code) is None:
        errors.append(FieldError("zone", "parking_zone_unknown"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    if first > last:
        raise _invalid("last", "parking_range_order")
    key = street_key(street.name)
    for other in ParkingStreetRange.select().where(ParkingStreetRange.street_key == key):
        if other.id != ignore_id and _overlaps(first, last, parity, other):
            raise _invalid(
                "first",
                "parking_range_overlap",
                first=other.first_number,
                last=other.last_number,
                zone=other.zone_code,
            )
    return {
        "street": street.name,
        "street_key": key,
        "postal_code": street.postal_code,
        "first_number": first,
        "last_number": last,
        "parity": parity,
        "zone": zone_code,
    }


def create_range(data: dict[str, Any], actor: User, ip: str = "") -> ParkingStreetRange:
    """Put house numbers of a street into a zone (no overlap with other ranges)."""
    ensure_seeded()
    with db.atomic():
        row = ParkingStreetRange.create(**_clean_range(data))
    audit.record(
        "parking_range_created", actor, "parking_street_range", row.id, ip, **range_dict(row)
    )
    return row


def get_range(range_id: int) -> ParkingStreetRange:
    """A street range by id, or not found."""
    row = ParkingStreetRange.get_or_none(ParkingStreetRange.id == range_id)
    if row is None:
        raise DomainError("not_found", kind="not_found")
    return row


def update_range(
    range_id: int, data: dict[str, Any], actor: User, ip: str = ""
) -> ParkingStreetRange:
    """Change a street range (checked like a new one)."""
    row = get_range(range_id)
    with db.atomic():
        for name, value in _clean_range(data, ignore_id=row.id).items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        row.save()
    audit.record(
        "parking_range_updated", actor, "parking_street_range", row.id, ip, **range_dict(row)
    )
    return row


def delete_range(range_id: int, actor: User, ip: str = "") -> None:
    """Take house numbers out of every zone (permits already issued stay valid)."""
    row = get_range(range_id)
    details = range_dict(row)
    row.delete_instance()
    audit.record("parking_range_deleted", actor, "parking_street_range", range_id, ip, **details)
