"""Reading single settings from the environment: flags, numbers, texts and lists.

Kept apart from ``app.config`` so that plugins declaring their own settings (payment
providers) can read them without depending on the configuration as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message lists every problem."""


def flag(value: str | None, default: bool) -> bool:
    """``1``/``true``/``yes``/``on`` as True; empty or missing as ``default``."""
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    """The whole number ``env[name]``, ``default`` when unset."""
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def number(env: Mapping[str, str], name: str, default: float) -> float:
    """The number ``env[name]``, ``default`` when unset."""
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc


def text(env: Mapping[str, str], name: str, default: str = "") -> str:
    """The text ``env[name]`` without surrounding blanks, ``default`` when unset."""
    return (env.get(name) or default).strip()


def choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    """``env[name]``, which must be one of ``choices``; ``default`` when unset."""
    value = text(env, name, default)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def text_list(env: Mapping[str, str], name: str, default: str = "") -> list[str]:
    """The comma- or blank-separated parts of ``env[name]``."""
    return [
        part.strip()
        for part in text(env, name, default).replace(" ", ",").split(",")
        if part.strip()
    ]


def text_mapping(env: Mapping[str, str], name: str) -> dict[str, str]:
    """The JSON object ``env[name]`` mapping names to texts (empty when unset)."""
    raw = text(env, name)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a JSON object") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ConfigError(f"{name} must map names to texts")
    return data
