"""Settings of the parking module, read from the app configuration with safe defaults.

Everything here can be set in the Flask configuration (``create_app(..., NAME=value)``)
or, for deployments, in the environment; ``app/config.py`` does not list these yet.

| name | default | meaning |
|---|---|---|
| ``PASS_ISSUER`` | package's ``plate_code`` | ``iss`` of every pass and ``issuer`` of the key set |
| ``PASS_KEYS_DIR`` | ``<instance>/pass_keys`` | former key folder, taken over into the database |
| ``PARKING_RENEWAL_WINDOW_DAYS`` | ``56`` | how many days before valid-to renewal opens |
| ``PARKING_AUTHORITY`` | the city's ``official_name`` | issuing authority printed on the pass |
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app.cities import active_city
from app.tasks import config

SERVICE_ID = "resident_parking"
AREA = "parken"
DEFAULT_RENEWAL_WINDOW_DAYS = 56
# Longest validity of one pass, in months (the service definition's `months` maximum).
MAX_MONTHS = 24
MIN_MONTHS = 6


def _setting(name: str, default: Any = None) -> Any:
    value = config().get(name)
    if value in (None, ""):
        value = os.environ.get(name)
    return default if value in (None, "") else value


def issuer() -> str:
    """The pass issuer: the city's vehicle registration district code."""
    return str(_setting("PASS_ISSUER", active_city().data["plate_code"]))


def keys_dir() -> Path:
    """Where an older installation kept its signing keys (taken over into the database)."""
    configured = _setting("PASS_KEYS_DIR")
    if configured:
        return Path(configured)
    return Path(config()["INSTANCE_PATH"]) / "pass_keys"


def renewal_window_days() -> int:
    """Days before valid-to from which a permit can be renewed."""
    return int(_setting("PARKING_RENEWAL_WINDOW_DAYS", DEFAULT_RENEWAL_WINDOW_DAYS))


def city() -> str:
    """The city's name (for the printed pass)."""
    return active_city().name


def authority() -> str:
    """The issuing authority printed on the pass."""
    return str(_setting("PARKING_AUTHORITY", active_city().official_name))
