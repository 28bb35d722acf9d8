"""Test identities of the simulator, in the style of the AusweisApp's simulator.

Card data is upper case, as on a real card. Each identity has its own card key and so
its own pseudonym (RestrictedID); "erika_neu" is Erika Mustermann with a new card: same
person, new pseudonym (for trying re-binding). The city's residents come from its
package's demo data (``demo.yaml``, ``eid_identities``), with their labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.cities import active_city, demo_data
from app.eid.messages import GeneralDate, PersonalData, Place


@dataclass(frozen=True)
class SimulatedIdentity:
    key: str
    card_key: str
    data: PersonalData
    # The label on the simulated AusweisApp page ({"de": …, "en": …}); None: the eid
    # catalogue's ``eid.sim.identity_<key>``.
    label: dict[str, str] | None = None


def _erika(expiry: date) -> PersonalData:
    return PersonalData(
        document_type="ID",
        issuing_state="D",
        date_of_expiry=expiry,
        given_names="ERIKA",
        family_names="MUSTERMANN",
        date_of_birth=GeneralDate.of(date(1964, 8, 12)),
        place_of_birth=Place(freetext="BERLIN"),
        nationality="D",
        birth_name="GABLER",
        place_of_residence=Place(
            street="HEIDESTRASSE 17", city="KÖLN", country="D", zip_code="51147"
        ),
    )


# Erika Mustermann lives in Köln in every city: she is the AusweisApp's test identity.
ERIKA: tuple[SimulatedIdentity, ...] = (
    SimulatedIdentity("erika", "card-erika-2021", _erika(date(2031, 10, 31))),
    SimulatedIdentity("erika_neu", "card-erika-2031", _erika(date(2041, 10, 30))),
)


def _resident(item: dict[str, Any]) -> SimulatedIdentity:
    residence = item["residence"]
    birthplace = item.get("place_of_birth")
    return SimulatedIdentity(
        item["key"],
        item["card"],
        PersonalData(
            document_type=item["document_type"],
            issuing_state="D",
            date_of_expiry=item["expires"],
            given_names=item["given_names"],
            family_names=item["family_names"],
            date_of_birth=GeneralDate.of(item["born"]),
            place_of_birth=Place(freetext=birthplace) if birthplace else None,
            nationality=item["nationality"],
            place_of_residence=Place(
                street=residence["street"],
                city=residence["locality"],
                country="D",
                zip_code=residence["postal_code"],
            ),
        ),
        dict(item["label"]),
    )


def identities() -> tuple[SimulatedIdentity, ...]:
    """Erika Mustermann and the residents of the active city package's demo data."""
    residents = demo_data(active_city()).get("eid_identities") or []
    return ERIKA + tuple(_resident(item) for item in residents)


def by_key(key: str) -> SimulatedIdentity | None:
    """The identity with ``key``, or ``None``."""
    return next((identity for identity in identities() if identity.key == key), None)
