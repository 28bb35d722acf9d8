"""BundID (the federal citizen account): bound accounts, open requests, used assertions."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default

BUNDID_PURPOSES = ("login", "link")
BUNDID_REQUEST_STATES = ("sent", "answered", "email_required", "done", "failed")


class BundidBinding(BaseModel):
    """The BundID account an account is bound to, known only by its pseudonym (bPK2).

    Only a SHA-256 of the pseudonym is kept. ``data`` holds what BundID said at the last
    sign-in, as sent; the profile takes it over only as far as the citizen confirms.
    """

    user = peewee.ForeignKeyField(User, unique=True, backref="bundid_binding", on_delete="CASCADE")
    pseudonym_hash = peewee.CharField(max_length=64, unique=True)
    # The portal's trust level the last sign-in's level of assurance gave.
    level = peewee.CharField(max_length=16)
    data = JSONField(null=True)
    data_read_at = peewee.DateTimeField(null=True)
    review_pending = peewee.BooleanField(default=False)
    bound_at = now_default()
    last_used_at = peewee.DateTimeField(null=True)


class BundidRequest(BaseModel):
    """One AuthnRequest the portal sent, usable once by the answer that names its ID.

    ``browser_hash`` ties the attempt to the browser that started it; ``finish_hash``
    is the single-use token of the redirect that carries the outcome back into that
    browser. ``result`` holds the identity only while the citizen still has to give an
    e-mail address.
    """

    id = peewee.CharField(max_length=100, primary_key=True)
    purpose = peewee.CharField(max_length=16)
    user = peewee.ForeignKeyField(User, null=True, backref="bundid_requests", on_delete="CASCADE")
    level = peewee.CharField(max_length=16)
    browser_hash = peewee.CharField(max_length=64, index=True)
    return_to = peewee.CharField(max_length=500, default="")
    state = peewee.CharField(max_length=16, default="sent")
    finish_hash = peewee.CharField(max_length=64, null=True, unique=True)
    outcome = peewee.CharField(max_length=16, default="")
    result_user = peewee.ForeignKeyField(User, null=True, on_delete="CASCADE")
    result = JSONField(null=True)
    error_code = peewee.CharField(max_length=32, default="")
    created_at = now_default()
    expires_at = peewee.DateTimeField(index=True)


class BundidAssertion(BaseModel):
    """An assertion already used: its ID is refused until the assertion has expired."""

    id = peewee.CharField(max_length=200, primary_key=True)
    expires_at = peewee.DateTimeField(index=True)
    used_at = now_default()
