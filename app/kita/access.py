"""Who may act for which facility.

Admins and clerks of the area ``kita`` act for every facility; users of the role
``facility`` only for the facilities an admin linked them to. Everybody else: none.
"""

from __future__ import annotations

from app.accounts.users import staff_areas
from app.db import db
from app.errors import DomainError
from app.kita.settings import AREA, FACILITY_ROLE
from app.models import KitaFacility, KitaFacilityStaff, User


def all_facilities(user: User) -> bool:
    """Whether ``user`` acts for every facility (admin, or clerk of the area)."""
    if user.role == "admin":
        return True
    return user.role == "staff" and AREA in staff_areas(user)


def facility_ids(user: User) -> set[int] | None:
    """The facilities ``user`` acts for: ``None`` means all of them."""
    if all_facilities(user):
        return None
    if user.role != FACILITY_ROLE:
        return set()
    rows = KitaFacilityStaff.select(KitaFacilityStaff.facility).where(
        KitaFacilityStaff.user == user
    )
    return {row.facility_id for row in rows}


def may_allocate(user: User) -> bool:
    """Whether ``user`` may see demand and make offers at all."""
    ids = facility_ids(user)
    return ids is None or bool(ids)


def require_facility(user: User, facility_id: int) -> KitaFacility:
    """The facility, if ``user`` acts for it; ``forbidden`` otherwise (``not_found``
    for a facility that does not exist, to those who may see every facility)."""
    ids = facility_ids(user)
    if ids is not None and facility_id not in ids:
        raise DomainError("forbidden", kind="forbidden")
    facility = KitaFacility.get_or_none(KitaFacility.id == facility_id)
    if facility is None:
        raise DomainError("not_found", kind="not_found")
    return facility


def linked(user: User) -> list[int]:
    """The facility ids linked to ``user`` (sorted)."""
    rows = KitaFacilityStaff.select(KitaFacilityStaff.facility).where(
        KitaFacilityStaff.user == user
    )
    return sorted(row.facility_id for row in rows)


def set_links(user: User, facility_ids_: list[int]) -> list[int]:
    """Link ``user`` (role ``facility``) to exactly these facilities."""
    wanted = sorted(set(facility_ids_))
    if wanted and user.role != FACILITY_ROLE:
        raise DomainError("kita_links_need_facility_role", kind="conflict")
    known = {f.id for f in KitaFacility.select(KitaFacility.id).where(KitaFacility.id.in_(wanted))}
    if len(known) != len(wanted):
        raise DomainError("not_found", kind="not_found")
    with db.atomic():
        KitaFacilityStaff.delete().where(KitaFacilityStaff.user == user).execute()
        for facility_id in wanted:
            KitaFacilityStaff.create(user=user, facility=facility_id)
    return wanted
