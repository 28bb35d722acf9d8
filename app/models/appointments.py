"""Appointments at the Bürgerbüro: counters, counter services, opening hours, closing
days, staff blocks, bookings and what keeps them from colliding (``app.appointments``).

Times are stored in UTC (naive, as every timestamp column); opening hours are local
wall-clock times of Europe/Berlin.
"""

from __future__ import annotations

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default


class AppointmentCounter(BaseModel):
    """A counter (Schalter) of the Bürgerbüro: the resource a booking occupies."""

    name = peewee.CharField(max_length=100, unique=True)
    active = peewee.BooleanField(default=True)
    demo = peewee.BooleanField(default=False)

    class Meta:
        table_name = "appointment_counter"


class AppointmentService(BaseModel):
    """Something done at the counter, how long it takes and which counters do it.

    ``online_service``: the slug of a portal service that does the same online; the
    booking page offers it first.
    """

    slug = peewee.CharField(max_length=64, unique=True)
    name_de = peewee.CharField(max_length=200)
    name_en = peewee.CharField(max_length=200)
    duration_minutes = peewee.IntegerField()
    online_service = peewee.CharField(max_length=64, null=True)
    counter_ids = JSONField(default=list)
    position = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)
    demo = peewee.BooleanField(default=False)

    class Meta:
        table_name = "appointment_service"


class AppointmentOpening(BaseModel):
    """One opening interval on a weekday (0 = Monday), local time ``HH:MM``."""

    weekday = peewee.IntegerField()
    opens = peewee.CharField(max_length=5)
    closes = peewee.CharField(max_length=5)

    class Meta:
        table_name = "appointment_opening"


class AppointmentClosingDay(BaseModel):
    """A day the Bürgerbüro is closed (public holiday or the city's own)."""

    day = peewee.DateField(unique=True)
    reason_de = peewee.CharField(max_length=200)
    reason_en = peewee.CharField(max_length=200)

    class Meta:
        table_name = "appointment_closing_day"


class AppointmentBlock(BaseModel):
    """A time staff took off the calendar of one counter (meeting, illness)."""

    counter = peewee.ForeignKeyField(AppointmentCounter, on_delete="CASCADE")
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    reason = peewee.CharField(max_length=200)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = now_default()

    class Meta:
        table_name = "appointment_block"


class Appointment(BaseModel):
    """One booking: who, which services, which counter, when, and where it stands.

    ``reference`` is what the citizen quotes and stays the same when the booking is
    moved; so does ``uid`` (the calendar entry's), whose ``sequence`` rises with every
    change. ``manage_token_hash``: the hash of the secret in the citizen's manage link.
    """

    reference = peewee.CharField(max_length=16, unique=True)
    uid = peewee.CharField(max_length=100, unique=True)
    counter = peewee.ForeignKeyField(AppointmentCounter, on_delete="RESTRICT")
    service_slugs = JSONField(default=list)
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    status = peewee.CharField(max_length=16, default="booked")
    name = peewee.CharField(max_length=200)
    email = peewee.CharField(max_length=254)
    locale = peewee.CharField(max_length=2, default="de")
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    manage_token_hash = peewee.CharField(max_length=64, unique=True)
    sequence = peewee.IntegerField(default=0)
    idempotency_key = peewee.CharField(max_length=64, null=True, unique=True)
    reminded_at = peewee.DateTimeField(null=True)
    demo = peewee.BooleanField(default=False)
    created_at = now_default()
    updated_at = now_default()

    class Meta:
        table_name = "appointment"
        indexes = ((("starts_at", "counter"), False), (("email",), False))


class AppointmentSlot(BaseModel):
    """One occupied five-minute slot of one counter, by a booking or a staff block.

    The unique (counter, start) pair is what makes a double booking impossible: two
    bookings of the same minutes cannot both insert their rows, whatever the timing.
    """

    counter = peewee.ForeignKeyField(AppointmentCounter, on_delete="CASCADE")
    starts_at = peewee.DateTimeField()
    appointment = peewee.ForeignKeyField(Appointment, null=True, on_delete="CASCADE")
    block = peewee.ForeignKeyField(AppointmentBlock, null=True, on_delete="CASCADE")

    class Meta:
        table_name = "appointment_slot"
        indexes = ((("counter", "starts_at"), True),)


class AppointmentClaim(BaseModel):
    """One unit of a hoarding limit held by a booking (``service:<who>:<slug>:<week>``,
    ``day:<who>:<date>:<n>``); unique, so parallel bookings cannot both take the last one."""

    key = peewee.CharField(max_length=160, unique=True)
    appointment = peewee.ForeignKeyField(Appointment, on_delete="CASCADE")

    class Meta:
        table_name = "appointment_claim"


class AppointmentMail(BaseModel):
    """One mail about one booking (confirmation, move, cancellation, reminder), recorded
    with the booking's change and sent once by the mail job (``key`` is unique)."""

    key = peewee.CharField(max_length=100, unique=True)
    appointment = peewee.ForeignKeyField(Appointment, on_delete="CASCADE")
    kind = peewee.CharField(max_length=16)
    recipient = peewee.CharField(max_length=254)
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField()
    ics = peewee.TextField(null=True)
    state = peewee.CharField(max_length=16, default="queued")
    attempts = peewee.IntegerField(default=0)
    created_at = now_default()
    sent_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "appointment_mail"
