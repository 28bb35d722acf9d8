"""Fixtures of the definition tests."""

from __future__ import annotations

import pytest

from app.service_definitions import ServiceDefinition, load_builtin


@pytest.fixture(scope="session")
def builtin() -> dict[str, ServiceDefinition]:
    return load_builtin()
