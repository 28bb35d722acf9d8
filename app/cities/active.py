"""The city this portal serves: the package ``PORTAL_CITY`` names (default: the one
``cities/default`` names)."""

from __future__ import annotations

import os
from functools import cache

from app.cities.loader import load_city
from app.cities.package import City
from app.tasks import config


def active_city() -> City:
    """The active city package (the configuration's, else the environment's)."""
    return _named(config().get("PORTAL_CITY") or os.environ.get("PORTAL_CITY") or None)


@cache
def _named(name: str | None) -> City:
    # Asked for by every response (its security headers name the map's tile server):
    # finding the package's folder resolves paths and reads cities/default, which cost
    # more than the rest of a small answer. A package does not change while it is served.
    return load_city(name)
