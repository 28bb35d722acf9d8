"""Inviting staff by e-mail: the account is created (or a citizen's account given the
new role once the admin confirmed it) and one invitation mail goes out.

There are no passwords: the mail tells the invitee who invited them, for what, and
where to sign in with the usual e-mail code (or later a passkey). The mail is recorded
with a key naming the invitation and sent by the notification mail job, which claims
it before sending, so one invitation makes exactly one mail, also when the job runs
twice; it is queued only when the invitation's transaction commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.accounts import audit, users
from app.appointments.settings import STAFF_AREA as APPOINTMENTS_AREA
from app.db import db
from app.errors import DomainError, FieldError
from app.i18n import LOCALES, translate
from app.models import NotificationMail, Profile, ServiceDefinitionRecord, StaffArea, User
from app.notifications import sending

# ``facility``: the staff of day-care facilities (``app.kita.staff_invitations`` invites
# them with their facilities in one step).
INVITABLE_ROLES = ("staff", "officer", "statistics", "admin", "facility")
# The same pattern the role API accepts for a service area.
AREA_PATTERN = re.compile(r"^[a-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Invitation:
    """What an invitation did: the account, whether it is new, the mail recorded."""

    user: User
    created: bool
    mail: NotificationMail


def _invalid(field: str, code: str) -> DomainError:
    return DomainError("invalid_input", field_errors=[FieldError(field, code)])


def _check(role: str, areas: list[str]) -> list[str]:
    if role not in INVITABLE_ROLES:
        raise _invalid("role", "invalid_choice")
    cleaned = sorted({(a or "").strip() for a in areas})
    if any(not AREA_PATTERN.match(a) for a in cleaned):
        raise _invalid("areas", "area_pattern")
    if cleaned and role not in ("staff", "admin"):
        raise _invalid("areas", "areas_need_staff")
    return cleaned


def _inviter_name(actor: User) -> str:
    profile = Profile.get_or_none(Profile.user == actor)
    name = " ".join(p for p in (profile.given_names, profile.family_name) if p) if profile else ""
    return name or actor.email


def _mail_text(
    user: User,
    actor: User,
    role: str,
    areas: list[str],
    config: dict[str, Any],
    scope: Callable[[str], str] | None = None,
):
    lang = user.locale if user.locale in LOCALES else "de"
    role_name = translate(f"mail.invitation_role_{role}", lang)
    area_line = translate("mail.invitation_areas", lang, areas=", ".join(areas)) if areas else ""
    if scope is not None:
        area_line = scope(lang)
    params = {
        "inviter": _inviter_name(actor),
        "city": config["CITY_NAME"],
        "role": role_name,
        "areas": area_line,
        "email": user.email,
        "link": f"{config['BASE_URL']}/anmelden",
    }
    return (
        translate("mail.invitation_subject", lang, **params),
        translate("mail.invitation_body", lang, **params),
    )


def invite(
    email: str,
    role: str,
    areas: list[str],
    actor: User,
    config: dict[str, Any],
    *,
    locale: str = "de",
    confirm_upgrade: bool = False,
    ip: str = "",
    then: Callable[[User], None] | None = None,
    scope: Callable[[str], str] | None = None,
) -> Invitation:
    """Invite ``email`` as ``role`` with ``areas`` and queue the invitation mail.

    An existing citizen's account gets the role only with ``confirm_upgrade`` (the
    admin saw whose account it is); an account that already has a staff role is not
    invited again (its page is where the role changes).

    ``then(user)`` runs in the same transaction once the account has the role (what a
    role needs besides it, such as a facility's staff links; its error undoes the
    invitation); ``scope(lang)`` words what the person works on in the mail, in place
    of the service areas (" for the facilities: …").
    """
    address = users.normalise_email(email)
    areas = _check(role, areas)
    if locale not in LOCALES:
        raise _invalid("locale", "invalid_choice")
    with db.atomic():
        user = users.find_by_email(address)
        created = user is None
        if user is None:
            user = users.create_user(address, role, areas)
            user.locale = locale
            user.save(only=[User.locale])
        elif user.role != "citizen" or user.deactivated_at is not None:
            raise DomainError(
                "user_exists",
                kind="conflict",
                field_errors=[FieldError("email", "already_staff")],
            )
        elif not confirm_upgrade:
            raise DomainError(
                "citizen_upgrade_unconfirmed",
                kind="conflict",
                field_errors=[FieldError("email", "citizen_account_exists")],
            )
        else:
            users.set_role(user, role, areas, actor, ip)
        if then is not None:
            then(user)
        event = audit.record(
            "user_invited",
            actor,
            "user",
            user.id,
            ip,
            role=role,
            areas=areas,
            created=created,
        )
        subject, body = _mail_text(user, actor, role, areas, config, scope)
        mail = NotificationMail.create(
            key=f"invitation:{event.id}",
            user=user,
            kind="invitation",
            subject=subject[:200],
            body=body,
        )
        # Queued when the transaction commits; the job's claim makes it one mail.
        sending.send_notification_mail(mail.id)
    return Invitation(user=user, created=created, mail=mail)


def known_areas(config: dict[str, Any]) -> list[str]:
    """The service areas in use: the services', the treasury's, the notices', the
    Bürgerbüro's, and any already given to someone, sorted."""
    found = {r.area for r in ServiceDefinitionRecord.select(ServiceDefinitionRecord.area)}
    found |= {r.area for r in StaffArea.select(StaffArea.area).distinct()}
    found |= {str(a) for a in (config.get("PAYMENT_NOTICE_AREAS") or {}).values()}
    if config.get("PAYMENT_TREASURY_AREA"):
        found.add(str(config["PAYMENT_TREASURY_AREA"]))
    found.add(APPOINTMENTS_AREA)
    return sorted(a for a in found if AREA_PATTERN.match(a))
