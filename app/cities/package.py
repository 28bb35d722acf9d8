"""A loaded city package: the checked ``city.yaml`` and where its files are."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class City:
    """One city as its package describes it (``cities/<slug>/``)."""

    slug: str
    folder: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        """The city's short name, as in texts."""
        return str(self.data["name"])

    @property
    def official_name(self) -> str:
        """The authority's name ("Stadt …")."""
        return str(self.data["official_name"])

    def section(self, name: str) -> dict[str, Any]:
        """One section of ``city.yaml`` (``address``, ``contact``, ``colours`` …)."""
        return dict(self.data[name])

    def file(self, *keys: str) -> Path:
        """The package file a field names, e.g. ``file("demo", "resident_register")``."""
        value: Any = self.data
        for key in keys:
            value = value[key]
        return self.folder / str(value)

    def text(self, key: str, locale: str) -> str:
        """A ``texts`` entry in ``locale`` (German when the locale has none)."""
        entry = self.data["texts"][key]
        return str(entry.get(locale) or entry["de"])

    def address_line(self) -> str:
        """The address in one line: street, postal code and locality."""
        address = self.data["address"]
        return f"{address['street']}, {address['postal_code']} {address['locality']}"

    def placeholders(self, locale: str = "de") -> dict[str, str]:
        """The values catalogue texts may name: ``{city}``, ``{city_official}`` …"""
        address = self.data["address"]
        contact = self.data["contact"]
        return {
            "city": self.name,
            "city_official": self.official_name,
            "city_office": str(address["office"]),
            "city_street": str(address["street"]),
            "city_postal_code": str(address["postal_code"]),
            "city_locality": str(address["locality"]),
            "city_address": self.address_line(),
            "city_phone": str(contact["phone"]),
            "city_phone_international": str(contact["phone_international"]),
            "city_email": str(contact["email"]),
            "city_privacy_email": str(contact["privacy_email"]),
            "city_accessibility_email": str(contact["accessibility_email"]),
            "city_website": str(contact["website"]),
            "city_staff_mail_domain": str(contact["staff_mail_domain"]),
            "city_represented_by": self.text("represented_by", locale),
            "city_responsible_office": self.text("responsible_office", locale),
            "city_data_protection_officer": self.text("data_protection_officer", locale),
        }


@cache
def _read_demo(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def demo_data(city: City) -> dict[str, Any]:
    """The package's demo data file (``demo.data``): citizen, eID residents, kita, reports."""
    return _read_demo(city.file("demo", "data"))
