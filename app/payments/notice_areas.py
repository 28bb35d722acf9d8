"""Which clerks may see and issue which notices: every notice kind belongs to an area.

The mapping is configuration (``PAYMENT_NOTICE_AREAS``, e.g. ``dog_tax:hundesteuer``),
like the service areas of the service definitions. Clerks of the treasury's area
(``PAYMENT_TREASURY_AREA``, the Stadtkasse) and admins see and issue every kind;
any other clerk only the kinds of their own areas. A kind without an area is a
configuration error and stops the portal from starting, rather than leaving its
notices open to everybody or to nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.accounts.users import staff_areas
from app.env_values import ConfigError
from app.models import User
from app.payments import settings


def problems(config: Mapping[str, Any], kinds: tuple[str, ...]) -> list[str]:
    """What is wrong with the kind → area mapping in ``config`` (empty when fine)."""
    mapping = config.get("PAYMENT_NOTICE_AREAS") or {}
    found = [f"notice kind {k!r} has no area" for k in kinds if not mapping.get(k)]
    found += [
        f"PAYMENT_NOTICE_AREAS names an unknown kind {k!r}" for k in mapping if k not in kinds
    ]
    return found


def check(config: Mapping[str, Any], kinds: tuple[str, ...]) -> None:
    """Refuse a mapping that leaves a kind without an area or names an unknown kind."""
    found = problems(config, kinds)
    if found:
        raise ConfigError("PAYMENT_NOTICE_AREAS: " + "; ".join(found) + ".")


def area_of(kind: str) -> str:
    """The service area that issues notices of ``kind``; raises for an unmapped kind."""
    area = (settings.current().get("PAYMENT_NOTICE_AREAS") or {}).get(kind)
    if not area:
        raise ConfigError(f"notice kind {kind!r} has no area in PAYMENT_NOTICE_AREAS")
    return str(area)


def allowed_kinds(user: User, kinds: tuple[str, ...]) -> tuple[str, ...] | None:
    """The kinds ``user`` may see and issue; ``None`` means every kind (admin, treasury)."""
    if user.role == "admin":
        return None
    if user.role != "staff":
        return ()
    areas = set(staff_areas(user))
    if settings.current().get("PAYMENT_TREASURY_AREA") in areas:
        return None
    return tuple(kind for kind in kinds if area_of(kind) in areas)


def may_handle(user: User, kind: str, kinds: tuple[str, ...]) -> bool:
    """Whether ``user`` may see and issue a notice of ``kind``."""
    allowed = allowed_kinds(user, kinds)
    return allowed is None or kind in allowed
