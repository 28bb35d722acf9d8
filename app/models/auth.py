"""Short-lived authentication state: sessions, e-mail codes, WebAuthn challenges."""

from __future__ import annotations

import peewee

from app.db import utcnow
from app.models.accounts import User
from app.models.base import BaseModel, now_default
from app.models.kiosk import KioskTerminal


class AuthSession(BaseModel):
    """A signed-in browser. The cookie holds a token; only its SHA-256 is stored."""

    token_hash = peewee.CharField(max_length=64, primary_key=True)
    user = peewee.ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    csrf_token = peewee.CharField(max_length=64)
    method = peewee.CharField(max_length=16)
    user_agent = peewee.CharField(max_length=300, default="")
    # ``standalone`` when the PWA ran installed at sign-in, ``browser`` otherwise, empty
    # when the client did not say (header ``Portal-Display-Mode``).
    display_mode = peewee.CharField(max_length=16, default="")
    created_at = now_default()
    last_seen_at = now_default()
    expires_at = peewee.DateTimeField(index=True)
    # The Bürgerbüro terminal the session began at: revoking the terminal ends it.
    kiosk_terminal = peewee.ForeignKeyField(
        KioskTerminal, null=True, on_delete="CASCADE", backref="+"
    )


class SignInRecord(BaseModel):
    """One sign-in as the console lists it: when, how and in which browser, and when it
    ended. The session itself is deleted when it ends; this record stays (for a limited
    time, see ``app.accounts.sessions.SIGN_IN_HISTORY``) so admins see ended ones too.
    ``session_key`` is the session's public id, never its token hash."""

    user = peewee.ForeignKeyField(User, backref="sign_ins", on_delete="CASCADE")
    session_key = peewee.CharField(max_length=16, index=True)
    method = peewee.CharField(max_length=16)
    user_agent = peewee.CharField(max_length=300, default="")
    display_mode = peewee.CharField(max_length=16, default="")
    started_at = peewee.DateTimeField(default=utcnow, index=True)
    ended_at = peewee.DateTimeField(null=True)


class EmailCode(BaseModel):
    """A one-time code sent to an e-mail address; only an HMAC of it is stored."""

    email = peewee.CharField(max_length=254, index=True)
    code_hash = peewee.CharField(max_length=64)
    created_at = now_default()
    expires_at = peewee.DateTimeField()
    attempts = peewee.IntegerField(default=0)
    used_at = peewee.DateTimeField(null=True)


class WebAuthnChallenge(BaseModel):
    """A single-use WebAuthn challenge, consumed by the first verification attempt."""

    id = peewee.CharField(max_length=64, primary_key=True)
    challenge = peewee.BlobField()
    purpose = peewee.CharField(max_length=16)
    user = peewee.ForeignKeyField(User, null=True, on_delete="CASCADE")
    expires_at = peewee.DateTimeField()
