"""Fixtures of the definition tests."""

from __future__ import annotations

import pytest

from app import builtin_plugins
from app.service_definitions import ServiceDefinition, load_builtin, plugins

from .support import FixedOptions

# Definitions name checks, rule sets and document generators; loading needs them known.
builtin_plugins.register_all()


@pytest.fixture(scope="session")
def builtin() -> dict[str, ServiceDefinition]:
    return load_builtin()


@pytest.fixture(autouse=True)
def kita_facilities_without_database():
    """The day-care form offers the facilities of the database; these tests have none,
    so its option source offers the numbers the sample answers choose."""
    with plugins.option_sources.registered("kita_facilities", FixedOptions(["1", "2", "3"])):
        yield
