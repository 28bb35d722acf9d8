"""The profile: personal data stored once, each field knowing where it came from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.db import iso_utc, utcnow
from app.errors import DomainError, FieldError
from app.models import PROFILE_FIELDS, Profile, User


def get_profile(user: User) -> Profile:
    """The user's profile (created empty on first access)."""
    profile, _ = Profile.get_or_create(user=user)
    return profile


def as_dict(profile: Profile) -> dict[str, Any]:
    """Field values plus, per field, its source and whether it is verified."""
    values = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    sources = {name: _with_zone(source) for name, source in (profile.sources or {}).items()}
    return {
        **values,
        "verified": sorted(n for n, s in sources.items() if s.get("source") != "self"),
        "sources": sources,
    }


def _with_zone(source: dict[str, Any]) -> dict[str, Any]:
    # Older rows stored the check's time without its zone (it is UTC).
    if "verified_at" not in source:
        return source
    return {**source, "verified_at": iso_utc(datetime.fromisoformat(source["verified_at"]))}


def update_profile(user: User, changes: dict[str, Any]) -> Profile:
    """Store self-declared values; verified fields refuse changes until re-verified."""
    profile = get_profile(user)
    sources = dict(profile.sources or {})
    errors = [
        FieldError(name, "verified_locked")
        for name, value in changes.items()
        if sources.get(name, {}).get("source", "self") != "self" and getattr(profile, name) != value
    ]
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            continue
        setattr(profile, name, value)
        if sources.get(name, {}).get("source", "self") == "self":
            sources[name] = {"source": "self"}
    profile.sources = sources
    profile.updated_at = utcnow()
    profile.save()
    return profile


def set_verified(user: User, values: dict[str, Any], source: str, verified_at: datetime) -> Profile:
    """Store values confirmed by an identity check (e.g. ``source="eid"``).

    Each field is marked with its source and time, so the citizen cannot change it
    without a new check; fields not in ``values`` keep their value and source.
    """
    profile = get_profile(user)
    sources = dict(profile.sources or {})
    stamp = iso_utc(verified_at.replace(microsecond=0))
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name} is not a profile field")
        setattr(profile, name, value)
        sources[name] = {"source": source, "verified_at": stamp}
    profile.sources = sources
    profile.updated_at = utcnow()
    profile.save()
    return profile


def compare(user: User, offered: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """Values a verified source read (an ID card, BundID) next to the profile, field by
    field, as the review screen shows them: the source's value, the profile's, whether
    they are the same and whether the profile's is already verified by that source."""
    stored = get_profile(user)
    sources = stored.sources or {}
    fields = []
    for name, value in offered.items():
        current = getattr(stored, name)
        fields.append(
            {
                "name": name,
                "card": value.isoformat() if isinstance(value, date) else value,
                "profile": current.isoformat() if isinstance(current, date) else (current or ""),
                "same": current == value,
                "verified": sources.get(name, {}).get("source") == source,
            }
        )
    return fields


def chosen(offered: dict[str, Any], take: list[str]) -> dict[str, Any]:
    """The offered values of the fields in ``take``; a name outside them is refused."""
    if set(take) - set(offered):
        raise DomainError("invalid_input", field_errors=[FieldError("take", "eid_field_unknown")])
    return {name: offered[name] for name in offered if name in take}
