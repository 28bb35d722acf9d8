"""A database serves one city: the first start after migrating notes the city package,
every later start compares. Its built-in services, zones, imported streets and demo
data are that city's, so a start for another city would mix two cities' data."""

from __future__ import annotations

from app.cities.loader import CityError
from app.cities.package import City
from app.db import db
from app.models import PortalCity


def bind_database(city: City) -> None:
    """Note ``city`` in a database that serves none yet; refuse one that serves another."""
    with db.atomic():
        bound = PortalCity.select().order_by(PortalCity.id).first()
        if bound is None:
            PortalCity.insert(slug=city.slug).on_conflict_ignore().execute()
            bound = PortalCity.select().order_by(PortalCity.id).first()
    if bound is not None and bound.slug != city.slug:
        raise CityError(
            str(city.folder),
            [
                (
                    "slug",
                    f"the database serves the city package {bound.slug!r}, not "
                    f"{city.slug!r}: give each city a database of its own",
                )
            ],
        )
