"""Resident parking: zones and street ranges, permits, their passes, revocations.

A *permit* (``parking_permit``) is what the citizen holds: one permit number for its
whole life. Every signed QR pass issued for it is a *pass* (``parking_pass``) with a
sequence number raised on each reissue (renewal, plate change). Revocation entries
(``pass_revocation``) deliberately have no link to the permit: they must outlive a
deleted account, and they reveal nothing but a hash (see docs/pass-format.md).
"""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.applications import Application, new_id
from app.models.base import BaseModel, JSONField, now_default
from app.models.inbox import Document


class ParkingZone(BaseModel):
    """A resident parking zone (``A`` … ``N``); inactive zones get no new permits."""

    code = peewee.CharField(max_length=8, primary_key=True)
    name = peewee.CharField(max_length=100, default="")
    active = peewee.BooleanField(default=True)
    updated_at = now_default()

    class Meta:
        table_name = "parking_zone"


class ParkingStreetRange(BaseModel):
    """House numbers ``first_number``..``last_number`` (all, odd or even) lying in a zone."""

    street = peewee.CharField(max_length=100)
    street_key = peewee.CharField(max_length=100)
    postal_code = peewee.CharField(max_length=5)
    first_number = peewee.IntegerField()
    last_number = peewee.IntegerField()
    parity = peewee.CharField(max_length=4, default="all")  # all | odd | even
    zone = peewee.ForeignKeyField(
        ParkingZone, column_name="zone_code", backref="ranges", on_delete="RESTRICT"
    )
    updated_at = now_default()

    class Meta:
        table_name = "parking_street_range"
        indexes = ((("street_key", "first_number"), False),)


class ParkingPermit(BaseModel):
    """A citizen's resident parking permit; the current pass is copied here for reading."""

    id = peewee.CharField(max_length=24, primary_key=True, default=new_id)
    number = peewee.CharField(max_length=24, unique=True)
    user = peewee.ForeignKeyField(User, backref="parking_permits", on_delete="CASCADE")
    application = peewee.ForeignKeyField(Application, null=True, on_delete="SET NULL")
    zone = peewee.CharField(max_length=8)
    plates = JSONField(default=list)
    valid_from = peewee.DateField()
    valid_to = peewee.DateField()
    sequence = peewee.IntegerField(default=1)
    status = peewee.CharField(max_length=16, default="active")  # active | revoked | expired
    pass_text = peewee.TextField()
    kid = peewee.CharField(max_length=16)
    issued_at = peewee.DateTimeField()
    revoked_at = peewee.DateTimeField(null=True)
    revoke_reason = peewee.CharField(max_length=32, default="")
    created_at = now_default()
    updated_at = now_default()

    class Meta:
        table_name = "parking_permit"
        indexes = ((("status", "valid_to"), False),)


class ParkingPass(BaseModel):
    """One signed pass of a permit (one per sequence number)."""

    permit = peewee.ForeignKeyField(ParkingPermit, backref="passes", on_delete="CASCADE")
    sequence = peewee.IntegerField()
    reason = peewee.CharField(max_length=16)  # issued | renewed | plate_change
    plates = JSONField(default=list)
    zone = peewee.CharField(max_length=8)
    valid_from = peewee.DateField()
    valid_to = peewee.DateField()
    pass_text = peewee.TextField()
    kid = peewee.CharField(max_length=16)
    issued_at = peewee.DateTimeField()
    status = peewee.CharField(max_length=16, default="active")  # active | superseded | revoked
    application = peewee.ForeignKeyField(Application, null=True, unique=True, on_delete="SET NULL")
    document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "parking_pass"
        indexes = ((("permit", "sequence"), True),)


class ParkingPlate(BaseModel):
    """A licence plate on a pass: the index behind the officers' plate look-up."""

    issued_pass = peewee.ForeignKeyField(ParkingPass, backref="plate_rows", on_delete="CASCADE")
    plate = peewee.CharField(max_length=12, index=True)

    class Meta:
        table_name = "parking_plate"


class ParkingRenewal(BaseModel):
    """Links a renewal application to the permit it renews (same permit number)."""

    application = peewee.ForeignKeyField(Application, primary_key=True, on_delete="CASCADE")
    permit = peewee.ForeignKeyField(ParkingPermit, backref="renewals", on_delete="CASCADE")
    created_at = now_default()

    class Meta:
        table_name = "parking_renewal"


class PassRevocation(BaseModel):
    """A revoked pass: its 16-byte entry (hex) and the list version that added it."""

    entry = peewee.CharField(max_length=32, unique=True)
    version = peewee.IntegerField(index=True)
    valid_to = peewee.DateField()
    reason = peewee.CharField(max_length=24)
    created_at = now_default()

    class Meta:
        table_name = "pass_revocation"


class ParkingCounter(BaseModel):
    """Named counters: permit numbers per year, the revocation list version."""

    name = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "parking_counter"
