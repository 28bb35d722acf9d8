"""Test identities of the simulator, in the style of the AusweisApp's simulator.

Card data is upper case, as on a real card. Each identity has its own card key and so
its own pseudonym (RestrictedID); "erika_neu" is Erika Mustermann with a new card: same
person, new pseudonym (for trying re-binding). The labels on the simulated AusweisApp
page are in the eid catalogue (``eid.sim.identity_<key>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.eid.messages import GeneralDate, PersonalData, Place


@dataclass(frozen=True)
class SimulatedIdentity:
    key: str
    card_key: str
    data: PersonalData


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


IDENTITIES: tuple[SimulatedIdentity, ...] = (
    SimulatedIdentity(
        "erika",
        "card-erika-2021",
        _erika(date(2031, 10, 31)),
    ),
    SimulatedIdentity(
        "erika_neu",
        "card-erika-2031",
        _erika(date(2041, 10, 30)),
    ),
    SimulatedIdentity(
        "dueren",
        "card-jonas-2023",
        PersonalData(
            document_type="ID",
            issuing_state="D",
            date_of_expiry=date(2033, 5, 14),
            given_names="JONAS PETER",
            family_names="SCHMITZ",
            date_of_birth=GeneralDate.of(date(1988, 3, 21)),
            place_of_birth=Place(freetext="DÜREN"),
            nationality="D",
            place_of_residence=Place(
                street="WIRTELSTRASSE 12", city="DÜREN", country="D", zip_code="52349"
            ),
        ),
    ),
    SimulatedIdentity(
        "mieterin",
        "card-anna-2025",
        PersonalData(
            document_type="ID",
            issuing_state="D",
            date_of_expiry=date(2035, 2, 28),
            given_names="ANNA",
            family_names="SCHNEIDER",
            date_of_birth=GeneralDate.of(date(1979, 6, 30)),
            place_of_birth=Place(freetext="AACHEN"),
            nationality="D",
            place_of_residence=Place(
                street="KAISERPLATZ 2", city="DÜREN", country="D", zip_code="52349"
            ),
        ),
    ),
    SimulatedIdentity(
        # Bound by the browser test of the Gewerbe-Ummeldung (e2e/test_gewerbe.py) only.
        "gewerbe",
        "card-jan-2024",
        PersonalData(
            document_type="ID",
            issuing_state="D",
            date_of_expiry=date(2034, 9, 30),
            given_names="JAN",
            family_names="WERKMANN",
            date_of_birth=GeneralDate.of(date(1975, 4, 9)),
            place_of_birth=Place(freetext="DÜREN"),
            nationality="D",
            place_of_residence=Place(street="MARKT 3", city="DÜREN", country="D", zip_code="52349"),
        ),
    ),
    SimulatedIdentity(
        "ohne_geburtsort",
        "card-leyla-2024",
        PersonalData(
            document_type="AR",
            issuing_state="D",
            date_of_expiry=date(2029, 1, 31),
            given_names="LEYLA",
            family_names="DEMIR",
            date_of_birth=GeneralDate.of(date(1993, 11, 2)),
            # An electronic residence permit may hold no place of birth at all.
            place_of_birth=None,
            nationality="TUR",
            place_of_residence=Place(
                street="OBERSTRASSE 21A", city="DÜREN", country="D", zip_code="52349"
            ),
        ),
    ),
)

BY_KEY = {identity.key: identity for identity in IDENTITIES}
