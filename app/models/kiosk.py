"""Terminals of the Bürgerbüro that run the portal in kiosk mode (``app.kiosk``)."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, now_default


class KioskTerminal(BaseModel):
    """A registered terminal. Its one-time setup link's token is stored only as a hash
    and cleared once used; the device then carries a signed marker naming the terminal
    and ``marker_nonce``, so a new setup link (or revocation) retires older markers."""

    name = peewee.CharField(max_length=100)
    setup_token_hash = peewee.CharField(max_length=64, null=True, unique=True)
    setup_expires_at = peewee.DateTimeField(null=True)
    marker_nonce = peewee.CharField(max_length=32, null=True)
    activated_at = peewee.DateTimeField(null=True)
    last_seen_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = now_default()

    class Meta:
        table_name = "kiosk_terminal"
