"""Settings from a mounted secrets folder (``PORTAL_SECRETS_DIR``, e.g. ``/run/secrets``).

Each file is one setting, named as the setting (``$PORTAL_SECRETS_DIR/SECRET_KEY``);
its content, without the blanks and line breaks around it, is the value. The
environment takes precedence: a setting given there is not looked up in the folder.
Container platforms mount secrets this way (Docker and Podman secrets, Kubernetes
secret volumes), so keys need not sit in the environment nor on a node's own disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from app.env_values import ConfigError

SETTING = "PORTAL_SECRETS_DIR"
_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class WithSecrets(Mapping[str, str]):
    """The environment ``env``, with the files of ``folder`` for settings it lacks."""

    def __init__(self, env: Mapping[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        # Only setting-like names: a mount's own entries (``..data``) are no settings.
        self._names = sorted(
            p.name for p in folder.iterdir() if _NAME.match(p.name) and p.is_file()
        )

    def __getitem__(self, name: str) -> str:
        if name in self.env:
            return self.env[name]
        if name in self._names:
            return (self.folder / name).read_text(encoding="utf-8").strip()
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield from self.env
        yield from (name for name in self._names if name not in self.env)

    def __len__(self) -> int:
        return len(set(self.env) | set(self._names))

    def source(self, name: str) -> str:
        """Where setting ``name`` comes from: ``environment``, ``secrets folder`` or ``""``."""
        if self.env.get(name):
            return "environment"
        return "secrets folder" if name in self._names else ""


def with_secrets(env: Mapping[str, str]) -> Mapping[str, str]:
    """``env`` plus the secrets folder it names (``env`` itself when it names none)."""
    raw = (env.get(SETTING) or "").strip()
    if not raw:
        return env
    folder = Path(raw)
    if not folder.is_dir():
        raise ConfigError(f"{SETTING} is not a folder: {raw}")
    try:
        return WithSecrets(env, folder)
    except PermissionError as exc:
        raise ConfigError(f"{SETTING} cannot be read: {raw}") from exc
