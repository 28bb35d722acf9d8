"""The resident register (Melderegister) the simple registry information searches.

A register is a plugin: ``find(request)`` returns the people who match a request. The
portal ships ``demo``, read from the city package's ``demo_register.yaml`` (test
data); a city registers its own and names it in the configuration or the environment
(``RESIDENT_REGISTER``; ``RESIDENT_REGISTER_FILE`` for another demo file)::

    @registers.register("city_register")
    class CityRegister(ResidentRegister):
        def find(self, request): ...   # -> list[Person]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from app.cities import active_city
from app.env_values import ConfigError
from app.service_definitions.plugins import Registry
from app.service_definitions.yaml_io import read_yaml
from app.tasks import config

ADDRESS_KEYS = ("street", "house_number", "postal_code", "city")


@dataclass(frozen=True)
class Person:
    """One person as the register knows them (what an information may state)."""

    family_name: str
    given_names: str
    birth_date: str
    address: dict[str, str]
    birth_name: str = ""
    doctoral_degree: str = ""
    previous_addresses: tuple[dict[str, str], ...] = ()
    information_block: bool = False

    @property
    def display_name(self) -> str:
        """Doctoral degree, given names and family name, as an information states them."""
        return " ".join(p for p in (self.doctoral_degree, self.given_names, self.family_name) if p)

    @property
    def display_address(self) -> str:
        """The current address on one line."""
        a = self.address
        return f"{a['street']} {a['house_number']}, {a['postal_code']} {a['city']}"


@dataclass(frozen=True)
class Request:
    """Who is asked for: names, and a date of birth and/or a last known address."""

    family_name: str
    given_names: str
    birth_name: str = ""
    birth_date: str | None = None
    address: dict[str, str] | None = field(default=None)

    @classmethod
    def from_answers(cls, answers: dict[str, Any]) -> Request:
        """Read the request from the (cleaned) answers of the service's form."""
        return cls(
            family_name=answers.get("family_name", ""),
            given_names=answers.get("given_names", ""),
            birth_name=answers.get("birth_name") or "",
            birth_date=answers.get("person_birth_date"),
            address=answers.get("last_known_address"),
        )


class ResidentRegister:
    """Base class of a resident register."""

    name: ClassVar[str] = ""

    def find(self, request: Request) -> list[Person]:
        """Everyone in the register who matches ``request``."""
        raise NotImplementedError


registers: Registry[ResidentRegister] = Registry("resident register")


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _same_place(a: dict[str, str], b: dict[str, str]) -> bool:
    # Postal code and city are often left out or misspelt; street and number decide.
    return _norm(a.get("street")) == _norm(b.get("street")) and _norm(
        a.get("house_number")
    ) == _norm(b.get("house_number"))


def matches(person: Person, request: Request) -> bool:
    """True when every detail the request gives fits ``person``."""
    names = {_norm(person.family_name), _norm(person.birth_name)} - {""}
    if _norm(request.family_name) not in names:
        return False
    # "Erika" finds "Erika Maria": every given name asked for must be one of theirs.
    if not set(_norm(request.given_names).split()) <= set(_norm(person.given_names).split()):
        return False
    if request.birth_name and _norm(request.birth_name) != _norm(
        person.birth_name or person.family_name
    ):
        return False
    if request.birth_date and request.birth_date != person.birth_date:
        return False
    if request.address:
        places = (person.address, *person.previous_addresses)
        if not any(_same_place(request.address, place) for place in places):
            return False
    return True


def demo_people_from(path: Path) -> tuple[Person, ...]:
    """The people of a demo register file (read once per file)."""
    return _demo_people(path)


@cache
def _demo_people(path: Path) -> tuple[Person, ...]:
    data = read_yaml(path)
    return tuple(
        Person(
            family_name=entry["family_name"],
            given_names=entry["given_names"],
            birth_date=str(entry["birth_date"]),
            address={key: str(entry["address"][key]) for key in ADDRESS_KEYS},
            birth_name=entry.get("birth_name", ""),
            doctoral_degree=entry.get("doctoral_degree", ""),
            previous_addresses=tuple(
                {key: str(place[key]) for key in ADDRESS_KEYS}
                for place in entry.get("previous_addresses", [])
            ),
            information_block=bool(entry.get("information_block")),
        )
        for entry in data["persons"]
    )


class DemoRegister(ResidentRegister):
    """The demo register: made-up people from a YAML file (``RESIDENT_REGISTER_FILE``)."""

    def find(self, request: Request) -> list[Person]:
        path = Path(
            _setting("RESIDENT_REGISTER_FILE") or active_city().file("demo", "resident_register")
        )
        return [person for person in _demo_people(path) if matches(person, request)]


def _setting(name: str) -> str | None:
    # Like the parking settings: the app configuration first, then the environment.
    return config().get(name) or os.environ.get(name)


def check(settings: Mapping[str, Any]) -> None:
    """Refuse to start when ``RESIDENT_REGISTER`` names no registered register, rather
    than failing at the first automatic decision (inside a payment's handling)."""
    name = settings.get("RESIDENT_REGISTER") or "demo"
    if name not in registers:
        raise ConfigError(
            f"RESIDENT_REGISTER names an unknown resident register {name!r}; "
            f"registered: {registers.names()}"
        )


def active() -> ResidentRegister:
    """The register the configuration names (``RESIDENT_REGISTER``, default ``demo``)."""
    return registers.get(_setting("RESIDENT_REGISTER") or "demo")


def register_builtin() -> None:
    """Register the demo resident register ``demo``.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    registers.register("demo")(DemoRegister)
