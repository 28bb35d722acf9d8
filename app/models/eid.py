"""eID (Online-Ausweis): an account's bound ID card and the short-lived eID sessions."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default

EID_PURPOSES = ("login", "confirm")
EID_SESSION_STATES = ("started", "token_issued", "email_required", "done", "failed")


class EidBinding(BaseModel):
    """The ID card an account is bound to, known only by its pseudonym.

    The RestrictedID is a pseudonym per card and service provider; we keep only its
    SHA-256, which is enough to recognise the card again. One card per account: a
    new card replaces the old binding (re-binding).
    """

    user = peewee.ForeignKeyField(User, unique=True, backref="eid_binding", on_delete="CASCADE")
    restricted_id_hash = peewee.CharField(max_length=64, unique=True)
    document_type = peewee.CharField(max_length=8, default="")
    # Verified on the card but not part of the profile (few services need it).
    place_of_birth = peewee.CharField(max_length=200, default="")
    # The card's data exactly as read (capitals), for services that need what the card
    # says; the profile takes it over only as far as the citizen confirms.
    card = JSONField(null=True)
    card_read_at = peewee.DateTimeField(null=True)
    # A card was read whose data the citizen has not yet compared with the profile.
    review_pending = peewee.BooleanField(default=False)
    bound_at = now_default()
    last_used_at = peewee.DateTimeField(null=True)


class EidSession(BaseModel):
    """One attempt to use the Online-Ausweis, from the button to the RefreshAddress.

    The TCToken URL and the RefreshAddress carry random tokens whose SHA-256 is stored
    here; both are single-use. ``browser_hash`` ties the attempt to the browser that
    started it (a random value in a cookie), so a RefreshAddress opened in another
    browser is useless. ``result`` holds the identity only while the citizen still has
    to give an e-mail address, and is wiped afterwards.
    """

    id = peewee.CharField(max_length=64, primary_key=True)
    refresh_hash = peewee.CharField(max_length=64, null=True, unique=True)
    purpose = peewee.CharField(max_length=16)
    user = peewee.ForeignKeyField(User, null=True, backref="eid_sessions", on_delete="CASCADE")
    browser_hash = peewee.CharField(max_length=64, index=True)
    return_to = peewee.CharField(max_length=500, default="")
    state = peewee.CharField(max_length=16, default="started")
    server_session_id = peewee.CharField(max_length=200, default="")
    psk = peewee.CharField(max_length=512, default="")
    created_at = now_default()
    expires_at = peewee.DateTimeField(index=True)
    used = peewee.BooleanField(default=False)
    result = JSONField(null=True)
    error_code = peewee.CharField(max_length=32, default="")
