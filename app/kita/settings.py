"""Constants and settings of the day-care allocation."""

from __future__ import annotations

from typing import Any

# The name the submission check is registered under; a definition that names it in
# ``checks`` and ``plugin_options`` is a day-care application.
PLUGIN = "kita_facilities"
# The service area whose clerks allocate places for every facility.
AREA = "kita"
# The role of facility staff: they act only for the facilities they are linked to.
FACILITY_ROLE = "facility"
# Age groups as in KiBiz NRW: under three, three to school age.
AGE_GROUPS = ("under_3", "over_3")
# Weekly hours a place can have (KiBiz NRW).
WEEKLY_HOURS = (25, 35, 45)
# Days the parents have to accept an offer, unless ``KITA_OFFER_DAYS`` says otherwise.
DEFAULT_OFFER_DAYS = 14


def offer_days(config: dict[str, Any]) -> int:
    """Days the parents have to answer an offer (``KITA_OFFER_DAYS``, default 14)."""
    raw = config.get("KITA_OFFER_DAYS")
    value = DEFAULT_OFFER_DAYS if raw in (None, "") else int(raw)
    if not 1 <= value <= 90:
        raise ValueError(f"KITA_OFFER_DAYS must be 1 to 90, not {value}")
    return value
