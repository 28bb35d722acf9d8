"""Constants and settings of the defect reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.cities import active_city

# Photos per report, and the largest upload the server reads (the PWA downscales
# before sending, so a real photo is far smaller).
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# The longest side of a stored photo, in pixels.
PHOTO_MAX_SIDE = 1600
# Decimals of public coordinates: three are about 100 m in a German city, enough to find a
# pothole's street and not the house of the person who reported it.
ROUGH_DECIMALS = 3
# Visibility decisions of the moderation.
VISIBILITIES = ("pending", "public", "hidden")
DESCRIPTION_MAX = 2000
COMMENT_MAX = 1000


def city_bbox() -> tuple[float, float, float, float]:
    """The active city package's extent (south, west, north, east)."""
    south, west, north, east = (float(v) for v in active_city().data["reports"]["bbox"])
    return south, west, north, east


@dataclass(frozen=True)
class MapSettings:
    """Where the map's tiles come from, and the city's extent."""

    tile_url: str  # empty: no map, the address field only
    attribution: str
    bbox: tuple[float, float, float, float]

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies within the city's extent."""
        south, west, north, east = self.bbox
        return south <= lat <= north and west <= lon <= east

    def center(self) -> tuple[float, float]:
        """The middle of the city's extent (the map's start)."""
        south, west, north, east = self.bbox
        return (south + north) / 2, (west + east) / 2


def parse_bbox(raw: str | None) -> tuple[float, float, float, float]:
    """``south,west,north,east`` in degrees; the city package's extent when empty."""
    if not raw:
        return city_bbox()
    parts = [float(p) for p in raw.split(",")]
    if len(parts) != 4 or not (parts[0] < parts[2] and parts[1] < parts[3]):
        raise ValueError(f"REPORTS_CITY_BBOX must be south,west,north,east, not {raw!r}")
    return parts[0], parts[1], parts[2], parts[3]


def map_settings(config: dict[str, Any]) -> MapSettings:
    """The map settings from the configuration. Tests get no map unless they name a
    tile server (their local fake): no request may leave the machine."""
    city_map = active_city().data["reports"]
    default = "" if config.get("PORTAL_ENV") == "test" else city_map["tile_url"]
    return MapSettings(
        tile_url=config.get("REPORTS_TILE_URL") or default,
        attribution=config.get("REPORTS_TILE_ATTRIBUTION") or city_map["tile_attribution"],
        bbox=parse_bbox(config.get("REPORTS_CITY_BBOX")),
    )
