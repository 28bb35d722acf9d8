"""Fixtures of the definition tests."""

from __future__ import annotations

import pytest

from app import builtin_plugins
from app.service_definitions import ServiceDefinition, load_builtin

# Definitions name checks, rule sets and document generators; loading needs them known.
builtin_plugins.register_all()


@pytest.fixture(scope="session")
def builtin() -> dict[str, ServiceDefinition]:
    return load_builtin()
