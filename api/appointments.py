"""Appointments at the Bürgerbüro for citizens: counter services, free days and times,
booking (signed in or not), and moving or cancelling with the link from the mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.applications import idempotency_key
from api.errors import locale
from api.limits import limiter
from api.schemas import ErrorSchema, UtcDateTime
from api.security import current_user, require_user, roles_required
from app import links
from app.appointments import availability, booking, catalogue, lifecycle, mails
from app.appointments.settings import MAX_SERVICES
from app.appointments.slots import local_day
from app.db import utcnow
from app.models import Appointment, AppointmentClosingDay

blp = Blueprint(
    "appointments", __name__, url_prefix="/api/appointments", description="Bürgerbüro appointments"
)

TOKEN = validate.Regexp(r"^[0-9a-f]{40}$")


def utc_naive(value: datetime) -> datetime:
    """An aware timestamp as the database keeps it (UTC, naive)."""
    return value.astimezone(UTC).replace(tzinfo=None)


# Calendar arithmetic stays far from the ends of Python's calendar (year 1 and 9999).
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DAY_RANGE = validate.Range(min=EARLIEST_DAY, max=LATEST_DAY)


class ZonedInstant(UtcDateTime):
    """An instant sent with its zone (``Z`` or an offset) within this century: a bare
    wall-clock time is refused, since it could mean the city's time or the device's."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is None or not EARLIEST_DAY <= result.date() <= LATEST_DAY:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return result


class AppointmentServiceSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    duration_minutes = fields.Integer(required=True)
    online_service = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Slug of a portal service that does the same online"},
    )


class AppointmentChoiceSchema(Schema):
    services = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, max=MAX_SERVICES),
    )


class AppointmentDaysQuerySchema(AppointmentChoiceSchema):
    pass


class AppointmentDaySchema(Schema):
    day = fields.Date(required=True)
    free = fields.Integer(required=True, metadata={"description": "Free start times that day"})
    closed_reason = fields.String(
        required=True, allow_none=True, metadata={"description": "Why the Bürgerbüro is closed"}
    )


class AppointmentTimesQuerySchema(AppointmentChoiceSchema):
    day = fields.Date(required=True, validate=DAY_RANGE)


class AppointmentTimeSchema(Schema):
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)


class AppointmentBookSchema(AppointmentChoiceSchema):
    starts_at = ZonedInstant(required=True)
    name = fields.String(required=True, validate=validate.Length(max=200))
    email = fields.String(required=True, validate=validate.Length(max=254))


class AppointmentMoveSchema(Schema):
    starts_at = ZonedInstant(required=True)


class AppointmentSchema(Schema):
    reference = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(lifecycle.STATUSES))
    services = fields.List(fields.Nested(AppointmentServiceSchema), required=True)
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    counter = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    may_change = fields.Boolean(
        required=True, metadata={"description": "Whether it can still be moved or cancelled"}
    )


class AppointmentOwnSchema(AppointmentSchema):
    manage_path = fields.String(
        required=True, metadata={"description": "The page to move or cancel it (as in the mails)"}
    )


def appointment_dict(appointment: Appointment) -> dict[str, Any]:
    """A booking as its citizen sees it."""
    lang = locale()
    by_slug = {s.slug: s for s in catalogue.services(active_only=False)}
    return {
        "reference": appointment.reference,
        "status": appointment.status,
        "services": [
            catalogue.service_dict(by_slug[s], lang)
            for s in appointment.service_slugs
            if s in by_slug
        ],
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "counter": appointment.counter.name,
        "name": appointment.name,
        "email": appointment.email,
        "may_change": appointment.status == "booked" and appointment.starts_at > utcnow(),
    }


@blp.route("/services", methods=["GET"])
@blp.response(200, AppointmentServiceSchema(many=True))
def services():
    """The counter services that can be booked, in display order."""
    lang = locale()
    return [catalogue.service_dict(s, lang) for s in catalogue.services()]


@blp.route("/days", methods=["GET"])
@blp.arguments(AppointmentDaysQuerySchema, location="query")
@blp.response(200, AppointmentDaySchema(many=True))
def days(query: dict[str, Any]):
    """Every bookable day with the number of free start times for the chosen services."""
    chosen = catalogue.resolve(query["services"])
    first, last = availability.bookable_days(local_day(utcnow()))
    free = availability.free_by_day(chosen, first, last)
    reasons = {
        c.day: (c.reason_en if locale() == "en" else c.reason_de)
        for c in AppointmentClosingDay.select().where(
            AppointmentClosingDay.day.between(first, last)
        )
    }
    return [
        {"day": day, "free": len(found), "closed_reason": reasons.get(day)}
        for day, found in free.items()
    ]


@blp.route("/times", methods=["GET"])
@blp.arguments(AppointmentTimesQuerySchema, location="query")
@blp.response(200, AppointmentTimeSchema(many=True))
def times(query: dict[str, Any]):
    """The free start times of one day for the chosen services."""
    chosen = catalogue.resolve(query["services"])
    minutes = timedelta(minutes=catalogue.duration(chosen))
    first, last = availability.bookable_days(local_day(utcnow()))
    if not first <= query["day"] <= last:
        return []
    found = availability.free_by_day(chosen, query["day"], query["day"])[query["day"]]
    return [{"starts_at": f.starts_at, "ends_at": f.starts_at + minutes} for f in found]


@blp.route("", methods=["POST"])
@limiter.limit("10 per hour; 30 per day")
@blp.arguments(AppointmentBookSchema)
@blp.response(201, AppointmentSchema)
@blp.alt_response(200, schema=AppointmentSchema, description="The same Idempotency-Key again")
@blp.alt_response(409, schema=ErrorSchema, description="Time just taken, or a booking limit")
def book(data: dict[str, Any]):
    """Book an appointment; the confirmation with the calendar file and the link to move
    or cancel goes to the given address. Signed-in citizens find it in their list too."""
    user = current_user()
    request = booking.Request(
        services=data["services"],
        starts_at=utc_naive(data["starts_at"]),
        name=data["name"],
        email=data["email"],
        locale=locale(),
    )
    made, new = booking.book(
        request,
        user if user and user.role == "citizen" else None,
        current_app.config,
        idempotency_key(),
    )
    return appointment_dict(made), 201 if new else 200


@blp.route("/mine", methods=["GET"])
@roles_required("citizen")
@blp.response(200, AppointmentOwnSchema(many=True))
def mine():
    """The signed-in citizen's bookings from today on, soonest first, each with the page
    to manage it (the account proves what the mail's link proves)."""
    start, _ = availability.day_bounds(local_day(utcnow()), local_day(utcnow()))
    found = (
        Appointment.select()
        .where((Appointment.user == require_user()) & (Appointment.starts_at >= start))
        .order_by(Appointment.starts_at)
    )
    return [
        {
            **appointment_dict(a),
            "manage_path": links.appointment_manage_page(
                mails.manage_token(current_app.config, a.uid)
            ),
        }
        for a in found
    ]


@blp.route("/manage/<token>", methods=["GET"])
@limiter.limit("60 per hour")
@blp.response(200, AppointmentSchema)
def manage(token: str):
    """The booking of a manage link (the link in the mails)."""
    return appointment_dict(booking.by_token(_token(token)))


@blp.route("/manage/<token>/move", methods=["POST"])
@limiter.limit("20 per hour")
@blp.arguments(AppointmentMoveSchema)
@blp.response(200, AppointmentSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Time just taken, or no longer booked")
def move(data: dict[str, Any], token: str):
    """Move the booking to another free time (same reference; the calendar entry is
    updated by the mail's attachment)."""
    found = booking.require_changeable(booking.by_token(_token(token)))
    return appointment_dict(booking.move(found, utc_naive(data["starts_at"]), current_app.config))


@blp.route("/manage/<token>/cancel", methods=["POST"])
@limiter.limit("20 per hour")
@blp.response(200, AppointmentSchema)
@blp.alt_response(409, schema=ErrorSchema, description="No longer booked")
def cancel(token: str):
    """Cancel the booking; a second cancel answers 409."""
    found = booking.require_changeable(booking.by_token(_token(token)))
    return appointment_dict(booking.change_status(found, "cancel", current_app.config))


def _token(token: str) -> str:
    # A malformed token is treated like an unknown one: nothing to tell apart.
    try:
        TOKEN(token)
    except Exception:
        return ""
    return token
