"""Finding and creating users, roles and staff areas."""

from __future__ import annotations

import re

from app.accounts import audit, auth_changes
from app.db import db
from app.errors import DomainError, FieldError
from app.models import ROLES, Profile, StaffArea, User
from app.prepared import PreparedSelect

# Deliberately permissive: the confirmation code proves the address works.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def normalise_email(raw: str) -> str:
    """Lower-case and trim an address, or raise a field error when it is not one."""
    email = (raw or "").strip().lower()
    # ".invalid" is reserved and never receives mail; closed records use it, so no
    # one can sign in to one.
    if len(email) > 254 or not _EMAIL.match(email) or email.endswith(".invalid"):
        raise DomainError("invalid_input", field_errors=[FieldError("email", "invalid_email")])
    return email


def find_by_email(email: str) -> User | None:
    """The user with this (normalised) address, if any."""
    return User.get_or_none(User.email == email)


def create_user(email: str, role: str = "citizen", areas: list[str] | None = None) -> User:
    """Create a user with an empty profile."""
    if role not in ROLES:
        raise DomainError("invalid_input", field_errors=[FieldError("role", "invalid_choice")])
    with db.atomic():
        user = User.create(email=normalise_email(email), role=role)
        Profile.create(user=user)
        for area in areas or []:
            StaffArea.create(user=user, area=area)
    return user


def set_role(user: User, role: str, areas: list[str], actor: User | None, ip: str = "") -> User:
    """Change a user's role and service areas, recording who did it."""
    if role not in ROLES:
        raise DomainError("invalid_input", field_errors=[FieldError("role", "invalid_choice")])
    if role not in ("staff", "admin") and areas:
        raise DomainError("invalid_input", field_errors=[FieldError("areas", "areas_need_staff")])
    before = {"role": user.role, "areas": staff_areas(user)}
    with db.atomic():
        user.role = role
        user.save()
        StaffArea.delete().where(StaffArea.user == user).execute()
        for area in sorted(set(areas)):
            StaffArea.create(user=user, area=area)
        audit.record(
            "role_changed",
            actor,
            "user",
            user.id,
            ip,
            before=before,
            after={"role": role, "areas": sorted(set(areas))},
        )
    return user


# Asked by every page of a clerk's queue: the statement is built once.
_AREAS_OF_USER = PreparedSelect(
    lambda user: StaffArea.select(StaffArea.area).where(StaffArea.user == user), "user"
)


# User id -> (generation it was read at, the areas): a clerk's every queue request asks.
_AREAS_KEPT: dict[int, tuple[int, list[str]]] = {}
_MAX_AREAS_KEPT = 10_000


def staff_areas(user: User) -> list[str]:
    """The service areas a staff member is assigned to, sorted (kept per process until
    sessions, accounts or areas change: ``app.accounts.auth_changes``)."""
    generation = auth_changes.generation_for(user)
    kept = _AREAS_KEPT.get(user.id) if generation is not None else None
    if kept is not None and kept[0] == generation:
        return list(kept[1])
    areas = sorted(area for (area,) in _AREAS_OF_USER.tuples(user=user.id))
    if generation is not None:
        if len(_AREAS_KEPT) >= _MAX_AREAS_KEPT:
            _AREAS_KEPT.clear()
        _AREAS_KEPT[user.id] = (generation, areas)
    return list(areas)
