"""Settings of the housing benefit service, read from the app configuration.

| name | default | meaning |
|---|---|---|
| ``WOHNGELD_MIETSTUFE`` | package: ``wohngeld.rent_level`` | Mietenstufe (1–7), WoGV list |

The city package names its Mietenstufe in the WoGV list (its source in a comment). The
WoGV's list is still headed "Mietenstufen der Gemeinden nach Ländern ab 1. Januar 2023"
(consolidated WoGV, e.g. lexcada.com); the 2025 Fortschreibung replaced the WoGG's
annexes, not that list; a city sets the value of the list in force.
"""

from __future__ import annotations

import os

from app.cities import active_city
from app.tasks import config


def mietstufe() -> int:
    """The Mietenstufe of the city's municipality (1 to 7)."""
    value = config().get("WOHNGELD_MIETSTUFE") or os.environ.get("WOHNGELD_MIETSTUFE")
    return int(value if value not in (None, "") else active_city().data["wohngeld"]["rent_level"])
