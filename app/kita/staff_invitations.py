"""Inviting facility staff with their facilities in one step.

An admin invites a person as ``facility`` and names the facilities they act for; the
account (or a citizen's account, once the admin confirmed it), the links and the
invitation mail are made in one transaction, so nobody is ever facility staff of no
facility by way of an invitation. The role's limits are those of ``access``: the
linked facilities' lines and offers, nothing else.
"""

from __future__ import annotations

from typing import Any

from app.accounts import audit, invitations
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.kita import access
from app.kita.settings import FACILITY_ROLE
from app.models import KitaFacility, User

# The request's field that names the facilities.
FIELD = "facility_ids"


def _facilities(facility_ids: list[int]) -> list[KitaFacility]:
    wanted = sorted(set(facility_ids))
    if not wanted:
        raise DomainError("invalid_input", field_errors=[FieldError(FIELD, "kita_facility_needed")])
    found = list(
        KitaFacility.select().where(KitaFacility.id.in_(wanted)).order_by(KitaFacility.name)
    )
    if len(found) != len(wanted):
        raise DomainError(
            "invalid_input", field_errors=[FieldError(FIELD, "kita_unknown_facility_id")]
        )
    return found


def invite(
    email: str,
    facility_ids: list[int],
    areas: list[str],
    actor: User,
    config: dict[str, Any],
    *,
    locale: str = "de",
    confirm_upgrade: bool = False,
    ip: str = "",
) -> tuple[invitations.Invitation, list[int]]:
    """Invite ``email`` as facility staff of ``facility_ids`` (at least one, all known;
    field errors on ``facility_ids`` otherwise, and nothing changes). ``areas`` must be
    empty (facility staff have no service areas: ``areas_need_staff``). Returns the
    invitation and the linked facility ids; the links are audit-logged as on the
    person's console page."""
    chosen = _facilities(facility_ids)
    ids = [facility.id for facility in chosen]
    names = ", ".join(facility.name for facility in chosen)

    def link(user: User) -> None:
        before = access.linked(user)
        access.set_links(user, ids)
        audit.record(
            "kita_facility_staff_changed", actor, "user", user.id, ip, before=before, after=ids
        )

    invitation = invitations.invite(
        email,
        FACILITY_ROLE,
        areas,
        actor,
        config,
        locale=locale,
        confirm_upgrade=confirm_upgrade,
        ip=ip,
        then=link,
        scope=lambda lang: translate("mail.invitation_facilities", lang, facilities=names),
    )
    return invitation, sorted(ids)
