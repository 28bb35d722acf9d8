"""Settings of the housing benefit service, read from the app configuration.

| name | default | meaning |
|---|---|---|
| ``WOHNGELD_MIETSTUFE`` | ``3`` | the city's Mietenstufe (1–7 for I–VII), WoGV list |

The default 3 (III) is Düren's Mietenstufe in the WoGV list in force 2023–2024 (as
published in the NRW table of wohngeld.org, "Düren, Stadt: 3"). The WoGV's list is
still headed "Mietenstufen der Gemeinden nach Ländern ab 1. Januar 2023" (consolidated
WoGV, e.g. lexcada.com); the 2025 Fortschreibung replaced the WoGG's annexes, not that
list. Düren's row itself was not checked again; a city sets the value of the list in
force.
"""

from __future__ import annotations

import os

from app.tasks import config

DEFAULT_MIETSTUFE = 3


def mietstufe() -> int:
    """The Mietenstufe of the city's municipality (1 to 7)."""
    value = config().get("WOHNGELD_MIETSTUFE") or os.environ.get("WOHNGELD_MIETSTUFE")
    return int(value) if value not in (None, "") else DEFAULT_MIETSTUFE
