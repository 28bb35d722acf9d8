"""The second parent confirms the application from their own account.

When a day-care application is submitted with the second parent's e-mail address,
they get a mail with a link holding a one-time token (only its hash is stored). Signed
in with their own account, they open the link and confirm; who and when is recorded
on the application (``kita_parent_confirmation``) and in its history.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

from app import events
from app.applications import definitions, lifecycle
from app.applications.references import display
from app.db import db, utcnow
from app.errors import DomainError
from app.i18n import Text, translate
from app.kita import answers
from app.models import Application, KitaParentConfirmation, User
from app.tasks import config as job_config
from app.tasks import send_mail

log = logging.getLogger(__name__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(application: Application, config: dict[str, Any]) -> str | None:
    """Invite the second parent named in the answers; returns the token (``None`` when
    the application names nobody or was invited already)."""
    definition = definitions.of_application(application)
    if not answers.is_kita_definition(definition):
        return None
    email = answers.of_application(application).second_parent_email.strip().lower()
    if not email or email == application.user.email:
        return None
    token = secrets.token_urlsafe(24)
    created = (
        KitaParentConfirmation.insert(
            application=application.id, email=email, token_hash=_hash(token), invited_at=utcnow()
        )
        .on_conflict_ignore()
        .execute()
    )
    if not created:
        return None
    locale = application.user.locale or "de"
    url = f"{str(config.get('BASE_URL', '')).rstrip('/')}/kita/bestaetigen#{token}"
    reference = display(application.reference) if application.reference else ""
    send_mail(
        email,
        translate("kita.confirm.mail_subject", locale, reference=reference),
        translate("kita.confirm.mail_body", locale, reference=reference, url=url),
    )
    return token


def confirm(user: User, token: str) -> KitaParentConfirmation:
    """Record that ``user`` (signed in) confirms the application the token belongs to."""
    with db.atomic():
        found = KitaParentConfirmation.get_or_none(
            KitaParentConfirmation.token_hash == _hash(token or "")
        )
        if found is None:
            raise DomainError("not_found", kind="not_found")
        if found.application.user_id == user.id:
            raise DomainError("kita_confirm_own_application", kind="conflict")
        if found.confirmed_at is not None:
            if found.confirmed_by_id == user.id:
                return found
            raise DomainError("kita_confirmed_already", kind="conflict")
        found.confirmed_at = utcnow()
        found.confirmed_by = user
        found.save()
        lifecycle.record_event(
            found.application,
            "note",
            None,
            "system",
            message=Text("kita.confirm.history"),
        )
    return found


def of_application(application: Application) -> KitaParentConfirmation | None:
    """The second parent's invitation and confirmation, if any."""
    return KitaParentConfirmation.get_or_none(KitaParentConfirmation.application == application)


def on_submitted(application: Application) -> None:
    """Invite the second parent after a day-care application was submitted."""
    try:
        with db.atomic():
            invite(application, job_config())
    except Exception:
        log.exception("kita: could not invite the second parent of %s", application.id)


def register_builtin() -> None:
    """Invite second parents on submission; calling it again changes nothing."""
    events.subscribe("application.submitted")(on_submitted)
