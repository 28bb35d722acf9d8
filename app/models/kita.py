"""Day-care places (Kita): facilities, their staff, offers of places and the second
parent's confirmation of an application (``app.kita``)."""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.applications import Application
from app.models.base import BaseModel, JSONField, now_default


class KitaFacility(BaseModel):
    """A day-care facility and the places it offers.

    ``places_under_3`` / ``places_over_3``: places per age group (under three, three to
    school age); a group with no places is a group the facility does not offer.
    ``hours``: the weekly hours it offers (KiBiz NRW: 25, 35, 45). ``demo`` marks the
    invented facilities of the demo data.
    """

    name = peewee.CharField(max_length=200, unique=True)
    street = peewee.CharField(max_length=200)
    house_number = peewee.CharField(max_length=20)
    postal_code = peewee.CharField(max_length=10)
    city = peewee.CharField(max_length=100)
    carrier = peewee.CharField(max_length=200)
    places_under_3 = peewee.IntegerField(default=0)
    places_over_3 = peewee.IntegerField(default=0)
    hours = JSONField(default=list)
    demo = peewee.BooleanField(default=False)
    active = peewee.BooleanField(default=True)
    created_at = now_default()
    updated_at = now_default()

    class Meta:
        table_name = "kita_facility"


class KitaFacilityStaff(BaseModel):
    """A user of the role ``facility`` and a facility they act for."""

    user = peewee.ForeignKeyField(User, backref="kita_facilities", on_delete="CASCADE")
    facility = peewee.ForeignKeyField(KitaFacility, backref="staff", on_delete="CASCADE")

    class Meta:
        table_name = "kita_facility_staff"
        indexes = ((("user", "facility"), True),)


class KitaOffer(BaseModel):
    """An offer of a place to one application; ``status`` moves as
    ``app.kita.offers.TRANSITIONS`` allows. ``choice``: the rank (1–3) the parents gave
    the facility. ``deadline``: the last day the parents may accept."""

    application = peewee.ForeignKeyField(Application, backref="kita_offers", on_delete="CASCADE")
    facility = peewee.ForeignKeyField(KitaFacility, backref="offers", on_delete="RESTRICT")
    age_group = peewee.CharField(max_length=16)
    hours = peewee.IntegerField()
    choice = peewee.IntegerField()
    status = peewee.CharField(max_length=16, default="offered")
    deadline = peewee.DateField()
    offered_at = now_default()
    offered_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    closed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "kita_offer"
        indexes = (
            (("facility", "status"), False),
            (("status", "deadline"), False),
        )


class KitaParentConfirmation(BaseModel):
    """The invitation of the second parent to confirm an application, and their
    confirmation (who, when). Only the hash of the link's token is stored."""

    application = peewee.ForeignKeyField(
        Application, backref="kita_confirmations", on_delete="CASCADE", unique=True
    )
    email = peewee.CharField(max_length=254)
    token_hash = peewee.CharField(max_length=64, unique=True)
    invited_at = now_default()
    confirmed_at = peewee.DateTimeField(null=True)
    confirmed_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "kita_parent_confirmation"
