"""Reading and checking a city package; a package with any problem stops the start.

``load_city`` checks ``city.yaml`` against its schema, the colours' contrast (WCAG AA
within KERN's theme) and that every file it names exists; the contents of those files
(streets, zones, Bürgerbüro, registers, demo data) are checked by ``app.cities.check``
when the portal starts. Every problem is reported with its field path.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from marshmallow import ValidationError

from app.cities.contrast import MIN_TEXT_CONTRAST, contrast
from app.cities.package import City
from app.cities.schema import CitySchema, flatten
from app.env_values import ConfigError
from app.locations import REPO_ROOT

CITIES_DIR = REPO_ROOT / "cities"
# The package used when PORTAL_CITY is not set: named in cities/default, so the
# code names no city.
DEFAULT_FILE = CITIES_DIR / "default"
# Fields of city.yaml that name a file in the package.
FILE_FIELDS: tuple[tuple[str, ...], ...] = (
    ("logo",),
    ("logo_monochrome",),
    ("streets",),
    ("parking_zones",),
    ("appointments",),
    ("demo", "resident_register"),
    ("demo", "business_register"),
    ("demo", "data"),
)
WHITE = "#ffffff"


class CityError(ConfigError):
    """A city package that cannot be used, with every problem and its field path."""

    def __init__(self, where: str, problems: list[tuple[str, str]]) -> None:
        self.where = where
        self.problems = problems
        listed = "; ".join(f"{path}: {message}" for path, message in problems)
        super().__init__(f"city package {where}: {listed}")


def package_folder(name: str) -> Path:
    """The folder of ``PORTAL_CITY``: a slug under ``cities/`` or a folder's path."""
    if "/" in name or name.startswith("."):
        return Path(name).resolve()
    return (CITIES_DIR / name).resolve()


def load_city(name: str | None = None) -> City:
    """The checked package ``name`` (default: ``cities/default``); raises ``CityError``."""
    return _load(package_folder(name or default_city()))


def default_city() -> str:
    """The slug ``cities/default`` names (its first line that is no comment)."""
    lines = DEFAULT_FILE.read_text(encoding="utf-8").splitlines()
    return next(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def _load(folder: Path) -> City:
    where = str(folder)
    source = folder / "city.yaml"
    if not source.is_file():
        raise CityError(where, [("city.yaml", "missing: no city package here")])
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CityError(where, [("city.yaml", f"not valid YAML: {error}")]) from None
    try:
        data = CitySchema().load(raw if isinstance(raw, dict) else {})
    except ValidationError as error:
        raise CityError(where, flatten(error.messages)) from None
    problems = _problems(folder, data)
    if problems:
        raise CityError(where, problems)
    return City(slug=data["slug"], folder=folder, data=data)


def _problems(folder: Path, data: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if data["slug"] != folder.name:
        problems.append(("slug", f"{data['slug']!r} differs from the folder {folder.name!r}"))
    colours = data["colours"]
    pairs = (
        ("colours.on_primary", colours["primary"], colours["on_primary"]),
        ("colours.primary", colours["primary"], WHITE),
        ("colours.accent", colours["accent"], WHITE),
    )
    for path, first, second in pairs:
        ratio = contrast(first, second)
        if ratio < MIN_TEXT_CONTRAST:
            needed = f"needs {MIN_TEXT_CONTRAST}:1"
            problems.append((path, f"contrast {first} on {second} is {ratio:.2f}:1, {needed}"))
    for keys in FILE_FIELDS:
        value = data
        for key in keys:
            value = value[key]
        target = (folder / str(value)).resolve()
        if folder not in target.parents or not target.is_file():
            problems.append((".".join(keys), f"file {value!r} missing in the package"))
    for key in ("logo", "logo_monochrome"):
        if not str(data[key]).endswith(".svg"):
            problems.append((key, "must be an SVG file"))
    return problems
