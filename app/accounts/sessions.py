"""Server-side sessions: the cookie carries a random token, the database its hash.

Keeping sessions on the server is what makes "log out on all devices" possible.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from app.accounts import audit
from app.db import utcnow
from app.errors import DomainError
from app.models import AuthSession, User
from app.prepared import PreparedSelect

# Refresh last_seen at most this often, so reads do not turn into writes.
_TOUCH_INTERVAL = timedelta(minutes=5)

# With its user: nearly every request that has a session asks who it is. Asked on
# every signed-in request, so the statement is built once.
_SESSION_WITH_USER = PreparedSelect(
    lambda token_hash: (
        AuthSession.select(AuthSession, User)
        .join(User)
        .where(AuthSession.token_hash == token_hash)
        .limit(1)
    ),
    "token_hash",
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    user: User, method: str, user_agent: str, lifetime_hours: int
) -> tuple[str, AuthSession]:
    """Create a session for ``user``; return the cookie token and the row.

    Every way of signing in (e-mail code, passkey, eID) ends here, so this is where a
    deactivated account is turned away.
    """
    if user.deactivated_at is not None:
        raise DomainError("account_deactivated", kind="forbidden")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session = AuthSession.create(
        token_hash=_hash(token),
        user=user,
        csrf_token=secrets.token_urlsafe(32),
        method=method,
        user_agent=(user_agent or "")[:300],
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=lifetime_hours),
    )
    user.last_login_at = now
    user.save(only=[User.last_login_at])
    return token, session


def resolve(token: str | None) -> AuthSession | None:
    """The live session for a cookie token, or None (expired ones are removed)."""
    if not token or len(token) > 100:
        return None
    session = _SESSION_WITH_USER.first(token_hash=_hash(token))
    if session is None:
        return None
    now = utcnow()
    if session.expires_at <= now:
        session.delete_instance()
        return None
    if session.user.deactivated_at is not None:
        # Deactivation ends sessions at once; this also covers one started in between.
        session.delete_instance()
        return None
    if now - session.last_seen_at > _TOUCH_INTERVAL:
        session.last_seen_at = now
        session.save(only=[AuthSession.last_seen_at])
    return session


def end_session(session: AuthSession) -> None:
    """Log out this browser."""
    session.delete_instance()


def end_all_sessions(user: User, ip: str = "") -> int:
    """Log out every browser of ``user``; return how many sessions ended."""
    count = AuthSession.delete().where(AuthSession.user == user).execute()
    audit.record("logout_everywhere", user, "user", user.id, ip, sessions=count)
    return count


def public_id(session: AuthSession) -> str:
    """A stable id for listing sessions that does not reveal the token hash."""
    return session.token_hash[:16]


def list_sessions(user: User) -> list[AuthSession]:
    """The user's live sessions, newest first."""
    return list(
        AuthSession.select()
        .where((AuthSession.user == user) & (AuthSession.expires_at > utcnow()))
        .order_by(AuthSession.last_seen_at.desc())
    )


def purge_expired() -> int:
    """Delete expired sessions; run from a periodic job."""
    return AuthSession.delete().where(AuthSession.expires_at <= utcnow()).execute()


def sign_ins(user: User) -> list[AuthSession]:
    """The user's sessions for the console, newest first: live ones and expired ones
    the periodic clean-up has not removed yet (sessions ended by signing out are gone)."""
    return list(
        AuthSession.select()
        .where(AuthSession.user == user)
        .order_by(AuthSession.created_at.desc(), AuthSession.token_hash)
    )


def end_by_admin(user: User, session_id: str, actor: User, ip: str = "") -> None:
    """End one of ``user``'s sessions by its public id (an admin's action, audit-logged)."""
    session_id = str(session_id or "")
    if len(session_id) != 16 or not all(c in "0123456789abcdef" for c in session_id):
        raise DomainError("not_found", kind="not_found")
    session = AuthSession.get_or_none(
        (AuthSession.user == user) & AuthSession.token_hash.startswith(session_id)
    )
    if session is None:
        raise DomainError("not_found", kind="not_found")
    session.delete_instance()
    audit.record(
        "session_ended_by_admin",
        actor,
        "user",
        user.id,
        ip,
        session=session_id,
        method=session.method,
    )
