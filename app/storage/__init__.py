"""Where the portal keeps files: a :class:`~app.storage.base.Storage` chosen by
``PORTAL_STORAGE`` (see ``docs/storage.md``).

::

    storage.current().put("attachments/<id>", data)     # atomic, read in chunks
    with storage.current().open("attachments/<id>") as f:  # streamed
        ...
    storage.current().delete("attachments/<id>")

Backends: ``local`` (the instance folder, the default), ``postgres`` (the portal's own
database), ``s3`` (any S3-compatible object store). The settings are read and checked
when the configuration loads: an unknown backend or a missing bucket stops the start.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from app.env_values import ConfigError, text
from app.storage.base import (
    Entry,
    FileMissing,
    Storage,
    StorageError,
    StorageUnavailable,
    backends,
    check_key,
)
from app.tasks import config as _app_config

__all__ = [
    "SETTINGS",
    "Entry",
    "FileMissing",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "check_key",
    "current",
    "for_config",
    "register_builtin",
    "settings",
]

# The storage settings (besides PORTAL_STORAGE), read from the environment or the
# secrets folder.
SETTINGS = (
    "PORTAL_S3_BUCKET",
    "PORTAL_S3_ENDPOINT_URL",
    "PORTAL_S3_REGION",
    "PORTAL_S3_ACCESS_KEY_ID",
    "PORTAL_S3_SECRET_ACCESS_KEY",
    "PORTAL_S3_PREFIX",
)
_lock = threading.Lock()
_made: dict[tuple[Any, ...], Storage] = {}


def register_builtin() -> None:
    """Register the built-in backends (repeating it changes nothing)."""
    from app.storage.database import DatabaseStorage
    from app.storage.local import LocalStorage
    from app.storage.s3 import S3Storage

    backends.register("local")(LocalStorage)
    backends.register("postgres")(DatabaseStorage)
    backends.register("s3")(S3Storage)


def settings(env: Mapping[str, str]) -> dict[str, Any]:
    """``PORTAL_STORAGE`` and the backend's settings; a :class:`ConfigError` naming every
    problem (an unknown backend, a bucket missing for ``s3``)."""
    # The built-ins are always known, also to a configuration loaded on its own.
    register_builtin()
    name = text(env, "PORTAL_STORAGE", "local")
    found: dict[str, Any] = {"PORTAL_STORAGE": name}
    for setting in SETTINGS:
        found[setting] = text(env, setting) or None
    if found["PORTAL_S3_PREFIX"] and not found["PORTAL_S3_PREFIX"].endswith("/"):
        found["PORTAL_S3_PREFIX"] += "/"
    cls = backends.find(name)
    if cls is None:
        raise ConfigError(
            f"PORTAL_STORAGE must be one of {', '.join(backends.names())}, got {name!r}"
        )
    problems = cls.problems(found)
    if problems:
        raise ConfigError(f"PORTAL_STORAGE={name}: " + "; ".join(problems))
    return found


def for_config(config: Mapping[str, Any]) -> Storage:
    """The storage ``config`` names (one object per distinct set of settings)."""
    name = config.get("PORTAL_STORAGE") or "local"
    identity = (
        name,
        config.get("INSTANCE_PATH"),
        *(config.get(setting) for setting in SETTINGS),
    )
    made = _made.get(identity)
    if made is None:
        with _lock:
            made = _made.get(identity)
            if made is None:
                cls = backends.find(name)
                if cls is None:
                    raise ConfigError(f"unknown storage backend {name!r}")
                made = _made[identity] = cls.from_config(config)
    return made


def current() -> Storage:
    """The configured storage of the running portal."""
    return for_config(_app_config())
