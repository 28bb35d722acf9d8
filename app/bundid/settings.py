"""The ``BUNDID_*`` settings and what production refuses.

``BUNDID_MODE``: ``simulator`` (the default outside production: the built-in test
identity provider), ``live`` (BundID itself, described by ``BUNDID_IDP_METADATA``), or
``off`` (the default in production). The service provider's key and certificate
(``BUNDID_SP_KEY``, ``BUNDID_SP_CERT``, PEM) come from the environment or the secrets
folder; outside production a key pair is made once in the instance folder when none
is given. See docs/bundid.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from app.bundid.keys import check_pair
from app.env_values import ConfigError
from app.env_values import choice as _choice
from app.env_values import text as _text
from app.env_values import whole_number as _int
from app.models import TRUST_LEVELS

MODES = ("off", "simulator", "live")


def bundid_settings(env: Mapping[str, str], production: bool, base_url: str) -> dict[str, Any]:
    """The BundID settings from ``env``."""
    settings = {
        "BUNDID_MODE": _choice(env, "BUNDID_MODE", MODES, "off" if production else "simulator"),
        "BUNDID_IDP_METADATA": _text(env, "BUNDID_IDP_METADATA"),
        "BUNDID_SP_ENTITY_ID": _text(env, "BUNDID_SP_ENTITY_ID")
        or f"{base_url.rstrip('/')}/api/bundid/metadata",
        "BUNDID_SP_KEY": _text(env, "BUNDID_SP_KEY"),
        "BUNDID_SP_CERT": _text(env, "BUNDID_SP_CERT"),
        "BUNDID_TRUST_LEVEL": _choice(env, "BUNDID_TRUST_LEVEL", TRUST_LEVELS, "basic"),
        "BUNDID_CLOCK_SKEW_SECONDS": _int(env, "BUNDID_CLOCK_SKEW_SECONDS", 60),
        "BUNDID_REQUEST_TTL_SECONDS": _int(env, "BUNDID_REQUEST_TTL_SECONDS", 900),
        "BUNDID_METADATA_TIMEOUT_SECONDS": _int(env, "BUNDID_METADATA_TIMEOUT_SECONDS", 20),
    }
    if not 0 <= settings["BUNDID_CLOCK_SKEW_SECONDS"] <= 300:
        raise ConfigError("BUNDID_CLOCK_SKEW_SECONDS must be between 0 and 300")
    if settings["BUNDID_MODE"] == "live" and not settings["BUNDID_IDP_METADATA"]:
        raise ConfigError("BUNDID_MODE=live needs BUNDID_IDP_METADATA (a file or an https:// URL)")
    if bool(settings["BUNDID_SP_KEY"]) != bool(settings["BUNDID_SP_CERT"]):
        raise ConfigError("BUNDID_SP_KEY and BUNDID_SP_CERT must be given together")
    if settings["BUNDID_SP_KEY"]:
        problem = check_pair(settings["BUNDID_SP_KEY"], settings["BUNDID_SP_CERT"])
        if problem:
            raise ConfigError(f"BUNDID_SP_KEY/BUNDID_SP_CERT: {problem}")
    return settings


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """The BundID settings production must not run with."""
    mode = config.get("BUNDID_MODE") or "off"
    if mode == "simulator":
        return [
            "BUNDID_MODE=simulator is for development and tests only "
            "(configure BundID with BUNDID_MODE=live or switch it off)"
        ]
    if mode != "live":
        return []
    problems = []
    source = str(config.get("BUNDID_IDP_METADATA") or "")
    if "://" in source and urlsplit(source).scheme != "https":
        problems.append("BUNDID_IDP_METADATA must be a file or an https:// address")
    if not (config.get("BUNDID_SP_KEY") and config.get("BUNDID_SP_CERT")):
        problems.append(
            "BUNDID_SP_KEY and BUNDID_SP_CERT are not set "
            "(give them in the environment or the secrets folder)"
        )
    if not str(config.get("BUNDID_SP_ENTITY_ID") or "").startswith("https://"):
        problems.append("BUNDID_SP_ENTITY_ID must be an https:// address")
    return problems
