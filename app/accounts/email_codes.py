"""One-time codes sent by e-mail: 6 digits, short-lived, limited attempts.

Only an HMAC of each code is stored. Asking for a new code voids older ones, so a
code in an old mail cannot be used after the citizen asked again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import EmailCode


def _digest(secret_key: str, email: str, code: str) -> str:
    message = f"{email}|{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def issue_code(email: str, secret_key: str, ttl_seconds: int) -> str:
    """Create a fresh code for ``email`` (voiding earlier ones) and return it in clear."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = utcnow()
    with db.atomic():
        EmailCode.update(used_at=now).where(
            (EmailCode.email == email) & EmailCode.used_at.is_null()
        ).execute()
        EmailCode.create(
            email=email,
            code_hash=_digest(secret_key, email, code),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
    return code


def _code_error(code: str) -> DomainError:
    return DomainError(code, field_errors=[FieldError("code", code)])


def _count_attempt(code_id: int, max_attempts: int) -> int | None:
    """Take one of the code's attempts; the new count, or None when none is left.

    The condition and the increment are one statement, so parallel guesses queue on
    the row (PostgreSQL) or the write lock (SQLite) and each sees the others' counts:
    at most ``max_attempts`` guesses are ever compared.
    """
    taken = (
        EmailCode.update(attempts=EmailCode.attempts + 1)
        .where(
            (EmailCode.id == code_id)
            & EmailCode.used_at.is_null()
            & (EmailCode.attempts < max_attempts)
        )
        .execute()
    )
    if taken != 1:
        return None
    # Still inside the transaction that holds the row: no other guess can have counted.
    return EmailCode.select(EmailCode.attempts).where(EmailCode.id == code_id).scalar()


def _check(current: EmailCode, code: str, secret_key: str, max_attempts: int) -> DomainError | None:
    """Compare ``code`` with the open code ``current`` if an attempt is left; marks it
    used when it matches. The refusal, or None when the code was right."""
    attempts = _count_attempt(current.id, max_attempts)
    if attempts is None:
        # Read again: parallel guesses may have used up the attempts, or the code.
        used = EmailCode.get_by_id(current.id).used_at is not None
        return _code_error("code_invalid" if used else "code_attempts_exceeded")
    if not hmac.compare_digest(current.code_hash, _digest(secret_key, current.email, code)):
        remaining = max_attempts - attempts
        if remaining <= 0:
            return _code_error("code_attempts_exceeded")
        return DomainError(
            "code_invalid",
            field_errors=[FieldError("code", "code_wrong", {"remaining": remaining})],
        )
    EmailCode.update(used_at=utcnow()).where(EmailCode.id == current.id).execute()
    return None


def consume_code(email: str, code: str, secret_key: str, max_attempts: int) -> None:
    """Accept ``code`` for ``email`` exactly once, or raise a specific field error.

    Every guess takes one attempt of the newest open code before it is compared; after
    ``max_attempts`` the code is dead and the citizen must ask for a new one.
    """
    code = (code or "").strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        raise _code_error("code_format")
    error: DomainError | None = None
    # The refusal is raised after the transaction: a wrong guess must stay counted.
    with db.atomic():
        current = (
            EmailCode.select()
            .where((EmailCode.email == email) & EmailCode.used_at.is_null())
            .order_by(EmailCode.created_at.desc(), EmailCode.id.desc())
            .first()
        )
        if current is None:
            error = _code_error("code_invalid")
        elif current.expires_at <= utcnow():
            error = _code_error("code_expired")
        else:
            error = _check(current, code, secret_key, max_attempts)
    if error is not None:
        raise error


def send_code(email: str, locale: str, config: dict) -> None:
    """Issue a code for ``email`` and mail it: a sign-in text for existing accounts, a
    confirmation text for new addresses, in the account's language where there is one.
    A deactivated account gets no code, only a mail saying that it is deactivated."""
    from app.accounts.users import find_by_email
    from app.i18n import translate
    from app.tasks import send_mail

    existing = find_by_email(email)
    lang = existing.locale if existing else locale
    if existing is not None and existing.deactivated_at is not None:
        # No code that could never be used; the owner of the address learns why, and the
        # answer on screen stays the same as for any address (no account enumeration).
        send_mail(
            email,
            translate("mail.deactivated_subject", lang, city=config["CITY_NAME"]),
            translate("mail.deactivated_body", lang, city=config["CITY_NAME"]),
        )
        return
    with db.atomic():
        code = issue_code(email, config["SECRET_KEY"], config["EMAIL_CODE_TTL_SECONDS"])
    kind = "login" if existing else "register"
    minutes = config["EMAIL_CODE_TTL_SECONDS"] // 60
    send_mail(
        email,
        translate(f"mail.{kind}_subject", lang, code=code),
        translate(f"mail.{kind}_body", lang, code=code, minutes=minutes, city=config["CITY_NAME"]),
    )
