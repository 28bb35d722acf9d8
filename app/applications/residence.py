"""Whether a citizen lives in the portal's city, for services only its residents can use.

A service definition declares ``residence: city``. The address looked at is the one the
ID card gave (that is what such services check later), else the profile's. The answer
is known before any form is filled in, so a citizen from elsewhere learns on the
service's first page that it is not for them.
"""

from __future__ import annotations

from typing import Any

from app.accounts import profile
from app.eid import binding, letter_case
from app.models import User
from app.service_definitions import default_directory, find_address


def _address(user: User) -> dict[str, str]:
    card = binding.verified_data(user) or {}
    if card.get("city"):
        return {name: str(card.get(name) or "") for name in ("street", "house_number", "city")}
    stored = profile.get_profile(user)
    return {"street": stored.street, "house_number": stored.house_number, "city": stored.city}


def residence_check(user: User | None, requirement: str | None) -> dict[str, Any]:
    """``required``; ``resident`` (True, False, or None when no address is known yet);
    the city the service is for and the city of the address looked at (normal case)."""
    city = default_directory().city
    result: dict[str, Any] = {
        "required": requirement == "city",
        "city": city,
        "resident": None,
        "address_city": None,
    }
    if requirement != "city" or user is None:
        return result
    address = _address(user)
    if not address["city"]:
        return result
    in_city = address["city"].strip().casefold() == city.casefold()
    result["address_city"] = letter_case.place(address["city"])
    result["resident"] = in_city and (
        not address["street"]
        or find_address(address["street"], address["house_number"]) is not None
    )
    return result
