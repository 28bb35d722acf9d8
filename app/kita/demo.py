"""Demo facilities in Düren: invented names and addresses, marked as demo data."""

from __future__ import annotations

from app.kita import facilities
from app.models import KitaFacility

# Invented for the demo; streets are Düren's, the facilities are not real.
DEMO_FACILITIES = (
    {
        "name": "Kita Sonnenblume (Demo)",
        "street": "Kölner Landstraße",
        "house_number": "120",
        "postal_code": "52351",
        "city": "Düren",
        "carrier": "Stadt Düren (Demo)",
        "places_under_3": 2,
        "places_over_3": 3,
        "hours": [25, 35, 45],
    },
    {
        "name": "Familienzentrum Rurauen (Demo)",
        "street": "Nideggener Straße",
        "house_number": "45",
        "postal_code": "52349",
        "city": "Düren",
        "carrier": "Freier Träger Rurtal e. V. (Demo)",
        "places_under_3": 0,
        "places_over_3": 4,
        "hours": [35, 45],
    },
    {
        "name": "Kita Regenbogen (Demo)",
        "street": "Oberstraße",
        "house_number": "7",
        "postal_code": "52349",
        "city": "Düren",
        "carrier": "Kirchengemeinde Düren-Mitte (Demo)",
        "places_under_3": 3,
        "places_over_3": 0,
        "hours": [25, 35],
    },
)


def seed() -> list[KitaFacility]:
    """Create the demo facilities that do not exist yet; returns every demo facility."""
    made = []
    for data in DEMO_FACILITIES:
        found = KitaFacility.get_or_none(KitaFacility.name == data["name"])
        made.append(found or facilities.create(dict(data), demo=True))
    return made


# The demo's facility staff account, linked to the first demo facility.
DEMO_FACILITY_STAFF = "kita@demo.buergerportal.de"
# The demo clerk who also allocates places for every facility.
DEMO_CLERK = "sachbearbeitung@demo.buergerportal.de"


def seed_demo_accounts() -> None:
    """The demo facilities, the demo clerk's area ``kita`` and the facility staff demo
    account's link to the first demo facility (safe to run again)."""
    from app.accounts import users
    from app.kita import access
    from app.kita.settings import AREA
    from app.models import StaffArea, User

    first = seed()[0]
    clerk = User.get_or_none(User.email == DEMO_CLERK)
    if clerk is not None and AREA not in users.staff_areas(clerk):
        StaffArea.create(user=clerk, area=AREA)
    staff = User.get_or_none(User.email == DEMO_FACILITY_STAFF)
    if staff is not None:
        access.set_links(staff, [first.id])
