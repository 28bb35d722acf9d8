"""Citizen accounts, staff, profiles and credentials."""

from __future__ import annotations

import secrets

import peewee

from app.models.base import BaseModel, JSONField, now_default

ROLES = ("citizen", "staff", "officer", "statistics", "admin", "facility")
# Lowest first. "substantial" comes only from a BundID sign-in with an ELSTER
# certificate, "high" from the Online-Ausweis (directly or through BundID).
TRUST_LEVELS = ("basic", "substantial", "high")
PROFILE_FIELDS = (
    "given_names",
    "family_name",
    "date_of_birth",
    "street",
    "house_number",
    "postal_code",
    "city",
    "phone",
)


def trust_at_least(level: str, required: str) -> bool:
    """Whether trust level ``level`` reaches ``required`` (``high`` reaches every level)."""
    return TRUST_LEVELS.index(level) >= TRUST_LEVELS.index(required)


def new_user_handle() -> bytes:
    """A random WebAuthn user handle: never the e-mail address (it would leak)."""
    return secrets.token_bytes(32)


class User(BaseModel):
    """An account. ``closed_at`` marks the record that keeps a deleted account's filed
    applications for the city: it has no address anyone can sign in with."""

    email = peewee.CharField(max_length=254, unique=True)
    role = peewee.CharField(max_length=16, default="citizen")
    trust_level = peewee.CharField(max_length=16, default="basic")
    locale = peewee.CharField(max_length=5, default="de")
    user_handle = peewee.BlobField(default=new_user_handle)
    created_at = now_default()
    last_login_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)
    # Set by an admin: the account cannot sign in (code, passkey, eID) until reactivated.
    deactivated_at = peewee.DateTimeField(null=True)
    # The guided first visit (app/accounts/tour.py): when and how it ended for good.
    tour_done_at = peewee.DateTimeField(null=True)
    tour_outcome = peewee.CharField(max_length=16, null=True)

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")


class StaffArea(BaseModel):
    """A service area (e.g. ``hundesteuer``) a staff member may work on."""

    user = peewee.ForeignKeyField(User, backref="areas", on_delete="CASCADE")
    area = peewee.CharField(max_length=64)

    class Meta:
        indexes = ((("user", "area"), True),)


class Profile(BaseModel):
    """Personal data stored once and prefilled into applications.

    ``sources`` maps a field name to where its value came from (``self`` or ``eid``)
    and when it was verified, so verified fields can be protected from editing.
    """

    user = peewee.ForeignKeyField(User, primary_key=True, backref="profile", on_delete="CASCADE")
    given_names = peewee.CharField(max_length=200, default="")
    family_name = peewee.CharField(max_length=200, default="")
    date_of_birth = peewee.DateField(null=True)
    street = peewee.CharField(max_length=200, default="")
    house_number = peewee.CharField(max_length=20, default="")
    postal_code = peewee.CharField(max_length=10, default="")
    city = peewee.CharField(max_length=100, default="")
    phone = peewee.CharField(max_length=40, default="")
    sources = JSONField(default=dict)
    updated_at = now_default()


class Passkey(BaseModel):
    user = peewee.ForeignKeyField(User, backref="passkeys", on_delete="CASCADE")
    credential_id = peewee.BlobField(unique=True)
    public_key = peewee.BlobField()
    sign_count = peewee.BigIntegerField(default=0)
    transports = JSONField(default=list)
    name = peewee.CharField(max_length=80)
    aaguid = peewee.CharField(max_length=36, default="")
    backed_up = peewee.BooleanField(default=False)
    created_at = now_default()
    last_used_at = peewee.DateTimeField(null=True)
