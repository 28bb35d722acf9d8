"""City packages: everything about one city in ``cities/<slug>/`` (docs/new-city.md)."""

from app.cities.active import active_city
from app.cities.loader import CityError, default_city, load_city
from app.cities.package import City, demo_data

__all__ = ["City", "CityError", "active_city", "default_city", "demo_data", "load_city"]
