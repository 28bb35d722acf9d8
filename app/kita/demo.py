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
