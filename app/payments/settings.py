"""Where payments read the configuration.

The domain knows no web framework: the web layer installs a source that reads the
running app's configuration (:func:`use_source`); without one, payments read the
copy background jobs run with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app import tasks

Source = Callable[[], Mapping[str, Any]]

_source: list[Source] = [tasks.config]


def use_source(source: Source) -> None:
    """Read the configuration from ``source`` from now on (set once by the web layer)."""
    _source[0] = source


def current() -> Mapping[str, Any]:
    """The configuration in effect (request, CLI command or background job)."""
    return _source[0]()


def base_url() -> str:
    """The portal's public address, without trailing slash."""
    return str(current()["BASE_URL"]).rstrip("/")
