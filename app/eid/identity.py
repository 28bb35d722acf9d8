"""From what the eID-Server returns to what the portal keeps.

The card's RestrictedID is kept only as a hash; names, date of birth and address become
verified profile fields. The card stores the street and house number in one field
("HEIDESTRASSE 17"); the profile has two, so the number is split off.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from app.eid import letter_case
from app.eid.messages import PersonalData, Place

_HOUSE_NUMBER = re.compile(
    r"^(?P<street>.+?)\s+(?P<number>\d+\s*[A-Za-z]?(?:\s*[-/]\s*\d+\s*[A-Za-z]?)?)$"
)
_POSTAL_CODE = re.compile(r"^\d{5}$")
# The profile fields an eID check can verify.
VERIFIED_FIELDS = (
    "given_names",
    "family_name",
    "date_of_birth",
    "street",
    "house_number",
    "postal_code",
    "city",
)


def hash_restricted_id(restricted_id: str) -> str:
    """The stored form of a pseudonym: SHA-256 over its bytes, so hex case cannot matter."""
    return hashlib.sha256(b"eid-restricted-id|" + bytes.fromhex(restricted_id)).hexdigest()


def split_street(value: str) -> tuple[str, str]:
    """``"HEIDESTRASSE 17"`` → ``("HEIDESTRASSE", "17")``; no number → ``(value, "")``."""
    value = " ".join(value.split())
    match = _HOUSE_NUMBER.match(value)
    if not match:
        return value, ""
    return match["street"], match["number"].replace(" ", "")


def _place_name(place: Place | None) -> str:
    if place is None:
        return ""
    return place.freetext or place.city


@dataclass(frozen=True)
class Identity:
    """A citizen as the card describes them (empty where the card or citizen gave nothing)."""

    restricted_id_hash: str
    document_type: str = ""
    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    place_of_birth: str = ""
    street: str = ""
    house_number: str = ""
    postal_code: str = ""
    city: str = ""

    @property
    def identifies(self) -> bool:
        """Enough to identify a person: names and full date of birth."""
        return bool(self.given_names and self.family_name and self.date_of_birth)

    def profile_values(self) -> dict[str, Any]:
        """The verified profile fields this identity provides (empty ones are left out)."""
        values = {name: getattr(self, name) for name in VERIFIED_FIELDS}
        if not self.city:
            # Without a structured address nothing of it is verified.
            for name in ("street", "house_number", "postal_code", "city"):
                values.pop(name)
        return {name: value for name, value in values.items() if value not in ("", None)}

    def display_values(self) -> dict[str, Any]:
        """``profile_values`` in normal case, as the profile would take them over.

        A street in the city's own directory gets its official spelling; elsewhere the
        fixed rule of ``letter_case`` applies (no guessing of "ß").
        """
        values = self.profile_values()
        converters = {
            "given_names": letter_case.given_names,
            "family_name": letter_case.person_name,
            "city": letter_case.place,
            "street": lambda text: letter_case.street(text, _official_street(self.city)),
        }
        return {
            name: converters[name](value) if name in converters else value
            for name, value in values.items()
        }

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Identity:
        values = dict(data)
        born = values.get("date_of_birth")
        values["date_of_birth"] = date.fromisoformat(born) if born else None
        return cls(**values)


def _official_street(city: str):
    """The directory look-up of streets, for addresses in the portal's own city only."""
    from app.service_definitions import default_directory, find_street

    directory = default_directory()
    if city.strip().casefold() != directory.city.casefold():
        return None

    def official(name: str) -> str | None:
        found = find_street(name, directory)
        return found.name if found is not None else None

    return official


def from_personal_data(data: PersonalData) -> Identity:
    """The identity in ``data``; ``data.restricted_id`` must be present."""
    residence = data.place_of_residence
    street = house_number = postal_code = city = ""
    if residence is not None and residence.structured:
        street, house_number = split_street(residence.street)
        postal_code = residence.zip_code if _POSTAL_CODE.match(residence.zip_code) else ""
        city = residence.city
    born = data.date_of_birth
    return Identity(
        restricted_id_hash=hash_restricted_id(data.restricted_id),
        document_type=data.document_type[:8],
        given_names=data.given_names[:200],
        family_name=data.family_names[:200],
        # A partly unknown date (spaces in DateString) is not a verified date.
        date_of_birth=born.date_value if born is not None and born.date_string.isdigit() else None,
        place_of_birth=_place_name(data.place_of_birth)[:200],
        street=street[:200],
        house_number=house_number[:20],
        postal_code=postal_code,
        city=city[:100],
    )
