"""Facilities as data: create, change, list; the choices the application form offers."""

from __future__ import annotations

from typing import Any

from app.db import db, on_commit, utcnow
from app.errors import DomainError, FieldError
from app.kita.settings import AGE_GROUPS, WEEKLY_HOURS
from app.models import KitaFacility
from app.service_definitions import plugins

TEXT_LIMITS = {
    "name": 200,
    "street": 200,
    "house_number": 20,
    "postal_code": 10,
    "city": 100,
    "carrier": 200,
}
MAX_PLACES = 500


def age_groups(facility: KitaFacility) -> list[str]:
    """The age groups the facility offers places in (those with places)."""
    places = {"under_3": facility.places_under_3, "over_3": facility.places_over_3}
    return [group for group in AGE_GROUPS if places[group] > 0]


def places(facility: KitaFacility, group: str) -> int:
    """The facility's places in the age group ``group``."""
    return facility.places_under_3 if group == "under_3" else facility.places_over_3


def as_dict(facility: KitaFacility) -> dict[str, Any]:
    """A facility as the API shows it."""
    return {
        "id": facility.id,
        "name": facility.name,
        "street": facility.street,
        "house_number": facility.house_number,
        "postal_code": facility.postal_code,
        "city": facility.city,
        "carrier": facility.carrier,
        "places_under_3": facility.places_under_3,
        "places_over_3": facility.places_over_3,
        "age_groups": age_groups(facility),
        "hours": sorted(facility.hours or []),
        "demo": facility.demo,
        "active": facility.active,
    }


def _checked(data: dict[str, Any], exclude_id: int | None) -> dict[str, Any]:
    # The API's schema has checked types; these are the rules a schema cannot say.
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        value = " ".join(str(data.get(name) or "").split())
        if not value:
            errors.append(FieldError(name, "required"))
        elif len(value) > limit:
            errors.append(FieldError(name, "too_long", {"max": limit}))
        clean[name] = value
    for name in ("places_under_3", "places_over_3"):
        value = data.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PLACES:
            errors.append(FieldError(name, "kita_places_range", {"max": MAX_PLACES}))
        clean[name] = value
    hours = data.get("hours") or []
    if not hours or any(hour not in WEEKLY_HOURS for hour in hours):
        errors.append(FieldError("hours", "kita_hours"))
    clean["hours"] = sorted(set(hours))
    if not errors and clean["places_under_3"] + clean["places_over_3"] == 0:
        errors.append(FieldError("places_over_3", "kita_no_places"))
    clash = KitaFacility.select().where(KitaFacility.name == clean["name"])
    if exclude_id is not None:
        clash = clash.where(KitaFacility.id != exclude_id)
    if clean["name"] and clash.exists():
        errors.append(FieldError("name", "kita_name_taken"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    clean["active"] = bool(data.get("active", True))
    return clean


def create(data: dict[str, Any], demo: bool = False) -> KitaFacility:
    """Create a facility from checked ``data``; field errors change nothing."""
    with db.atomic():
        facility = KitaFacility.create(**_checked(data, None), demo=demo)
        # The forms served with the facilities as options change with them.
        on_commit(plugins.options_changed)
    return facility


def update(facility: KitaFacility, data: dict[str, Any]) -> KitaFacility:
    """Change a facility; field errors change nothing."""
    with db.atomic():
        for name, value in _checked(data, facility.id).items():
            setattr(facility, name, value)
        facility.updated_at = utcnow()
        facility.save()
        on_commit(plugins.options_changed)
    return facility


def get(facility_id: int) -> KitaFacility:
    """The facility ``facility_id``, or ``not_found``."""
    facility = KitaFacility.get_or_none(KitaFacility.id == facility_id)
    if facility is None:
        raise DomainError("not_found", kind="not_found")
    return facility


def listed(active_only: bool = False) -> list[KitaFacility]:
    """Every facility by name (only the active ones with ``active_only``)."""
    select = KitaFacility.select().order_by(KitaFacility.name, KitaFacility.id)
    if active_only:
        select = select.where(KitaFacility.active == True)  # noqa: E712 (SQL comparison)
    return list(select)


def choosable(facility_id: int, group: str, hours: int | None) -> str | None:
    """Why the facility cannot be chosen for a child of ``group`` and ``hours`` (a
    field error code), or ``None`` when it can."""
    facility = KitaFacility.get_or_none(KitaFacility.id == facility_id)
    if facility is None or not facility.active:
        return "kita_unknown_facility"
    if group not in age_groups(facility):
        return "kita_age_group_not_offered"
    if hours is not None and hours not in (facility.hours or []):
        return "kita_hours_not_offered"
    return None
