"""Server-side sessions: the cookie carries a random token, the database its hash.

Keeping sessions on the server is what makes "log out on all devices" possible.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timedelta
from typing import Any

from app.accounts import audit, auth_changes
from app.db import utcnow
from app.errors import DomainError
from app.models import AuthSession, KioskTerminal, SignInRecord, User
from app.prepared import PreparedSelect

# Refresh last_seen at most this often, so reads do not turn into writes.
_TOUCH_INTERVAL = timedelta(minutes=5)
# How long the record of a sign-in (browser, method, times) is kept: long enough to
# look into an incident, short enough not to become a profile of someone's devices.
SIGN_IN_HISTORY = timedelta(days=90)

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

# What the PWA may say about how it runs (header ``Portal-Display-Mode``).
DISPLAY_MODES = ("standalone", "browser")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    user: User,
    method: str,
    user_agent: str,
    lifetime_hours: float,
    display_mode: str = "",
    kiosk_terminal: KioskTerminal | None = None,
) -> tuple[str, AuthSession]:
    """Create a session for ``user``; return the cookie token and the row.

    ``display_mode`` is ``standalone`` when the PWA runs installed, ``browser`` when
    not, anything else is stored as empty (unknown); the statistics count it.
    ``kiosk_terminal``: the registered terminal the browser is, whose revocation ends
    the session.

    Every way of signing in (e-mail code, passkey, eID) ends here, so this is where a
    deactivated account is turned away.
    """
    if user.deactivated_at is not None:
        raise DomainError("account_deactivated", kind="forbidden")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    display_mode = display_mode if display_mode in DISPLAY_MODES else ""
    session = AuthSession.create(
        token_hash=_hash(token),
        user=user,
        csrf_token=secrets.token_urlsafe(32),
        method=method,
        user_agent=(user_agent or "")[:300],
        display_mode=display_mode,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=lifetime_hours),
        kiosk_terminal=kiosk_terminal,
    )
    SignInRecord.create(
        user=user,
        session_key=public_id(session),
        method=method,
        user_agent=session.user_agent,
        display_mode=display_mode,
        started_at=now,
    )
    user.last_login_at = now
    user.save(only=[User.last_login_at])
    return token, session


def _record_end(sessions: list[AuthSession]) -> None:
    """Note when these sessions ended in their sign-in records."""
    keys = [public_id(s) for s in sessions]
    if keys:
        SignInRecord.update(ended_at=utcnow()).where(
            SignInRecord.session_key.in_(keys) & SignInRecord.ended_at.is_null()
        ).execute()


def _end_where(condition: Any) -> int:
    _record_end(list(AuthSession.select().where(condition)))
    return AuthSession.delete().where(condition).execute()


def end_terminal_sessions(terminal: KioskTerminal) -> int:
    """End every session begun at ``terminal`` (no audit entry: the caller records why)."""
    return _end_where(AuthSession.kiosk_terminal == terminal)


def end_user_sessions(user: User) -> int:
    """End every session of ``user`` (no audit entry: the caller records why)."""
    return _end_where(AuthSession.user == user)


# Token hash -> (generation it was read at, the row as fetched, last_seen_at since).
# Rows, not models: each request gets models of its own to change.
_KEPT: dict[str, tuple[int, list[tuple[Any, ...]], datetime]] = {}
# Sessions kept per process at most; past that the oldest half is dropped.
_MAX_KEPT = 10_000
_KEPT_LOCK = threading.Lock()


def _session_row(token_hash: str) -> AuthSession | None:
    """The session with its user: from what this process kept while nothing changed
    (``app.accounts.auth_changes``), else from the database."""
    generation = auth_changes.generation()
    kept = _KEPT.get(token_hash) if generation is not None else None
    if kept is not None and kept[0] == generation:
        session = _SESSION_WITH_USER.models_of(kept[1])[0]
        # Refreshed since it was kept (see ``resolve``).
        session.__data__["last_seen_at"] = kept[2]
        auth_changes.seen_with(session.user, generation)
        return session
    rows = _SESSION_WITH_USER.fetched(token_hash=token_hash)
    if not rows:
        return None
    session = _SESSION_WITH_USER.models_of(rows)[0]
    auth_changes.seen_with(session.user, generation)
    if generation is not None:
        with _KEPT_LOCK:
            if len(_KEPT) >= _MAX_KEPT:
                for old in list(_KEPT)[: _MAX_KEPT // 2]:
                    del _KEPT[old]
            _KEPT[token_hash] = (generation, rows, session.last_seen_at)
    return session


def resolve(token: str | None) -> AuthSession | None:
    """The live session for a cookie token, or None (expired ones are removed)."""
    if not token or len(token) > 100:
        return None
    token_hash = _hash(token)
    session = _session_row(token_hash)
    if session is None:
        return None
    now = utcnow()
    if session.expires_at <= now or session.user.deactivated_at is not None:
        # A deactivated account's sessions end at once; this also covers one started
        # while the deactivation was being saved.
        end_session(session)
        return None
    if now - session.last_seen_at > _TOUCH_INTERVAL:
        session.last_seen_at = now
        session.save(only=[AuthSession.last_seen_at])
        with _KEPT_LOCK:
            kept = _KEPT.get(token_hash)
            if kept is not None:
                _KEPT[token_hash] = (kept[0], kept[1], now)
    return session


def end_session(session: AuthSession) -> None:
    """Log out this browser."""
    _record_end([session])
    session.delete_instance()


def end_all_sessions(user: User, ip: str = "") -> int:
    """Log out every browser of ``user``; return how many sessions ended."""
    count = end_user_sessions(user)
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
    """Delete expired sessions and old sign-in records; run from a periodic job.

    Returns how many sessions were deleted."""
    now = utcnow()
    expired = list(AuthSession.select().where(AuthSession.expires_at <= now))
    _record_end(expired)
    SignInRecord.delete().where(SignInRecord.started_at <= now - SIGN_IN_HISTORY).execute()
    return AuthSession.delete().where(AuthSession.expires_at <= now).execute()


def sign_ins(user: User, limit: int | None = 50) -> list[tuple[SignInRecord, AuthSession | None]]:
    """The user's recent sign-ins, newest first (``limit=None``: all that are kept), each
    with its session while that is still live (None once it ended: signed out, ended by
    an admin, expired)."""
    records = list(
        SignInRecord.select()
        .where(SignInRecord.user == user)
        .order_by(SignInRecord.started_at.desc(), SignInRecord.id.desc())
        .limit(limit)
    )
    now = utcnow()
    live = {
        public_id(s): s
        for s in AuthSession.select().where(
            (AuthSession.user == user) & (AuthSession.expires_at > now)
        )
    }
    return [(r, live.get(r.session_key) if r.ended_at is None else None) for r in records]


def end_by_admin(user: User, session_id: str, actor: User, ip: str = "") -> None:
    """End one of ``user``'s sessions by its public id (an admin's action, audit-logged)."""
    session_id = str(session_id or "")
    if len(session_id) != 16 or not all(c in "0123456789abcdef" for c in session_id):
        raise DomainError("not_found", kind="not_found")
    session = next(
        (
            s
            for s in AuthSession.select().where(AuthSession.user == user)
            if public_id(s) == session_id
        ),
        None,
    )
    if session is None:
        raise DomainError("not_found", kind="not_found")
    end_session(session)
    audit.record(
        "session_ended_by_admin",
        actor,
        "user",
        user.id,
        ip,
        session=session_id,
        method=session.method,
    )
