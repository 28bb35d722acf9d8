"""The active city for the PWA: a public ``GET /api/city`` (the app shell carries the
same data, so the first screen needs no round trip)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.cities import active_city
from app.cities.public import public_data

blp = Blueprint("city", __name__, url_prefix="/api", description="The city this portal serves")


class CityAddressSchema(Schema):
    office = fields.String(required=True)
    street = fields.String(required=True)
    postal_code = fields.String(required=True)
    locality = fields.String(required=True)


class CityContactSchema(Schema):
    phone = fields.String(required=True)
    phone_international = fields.String(required=True)
    email = fields.String(required=True)
    privacy_email = fields.String(required=True)
    accessibility_email = fields.String(required=True)
    website = fields.String(required=True)


class CityColoursSchema(Schema):
    primary = fields.String(required=True, metadata={"description": "KERN's action colour"})
    on_primary = fields.String(required=True, metadata={"description": "Text on it"})
    accent = fields.String(required=True)


class CitySchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    official_name = fields.String(required=True, metadata={"description": '"Stadt …"'})
    address = fields.Nested(CityAddressSchema, required=True)
    contact = fields.Nested(CityContactSchema, required=True)
    colours = fields.Nested(CityColoursSchema, required=True)
    logo_url = fields.String(required=True)
    logo_alt = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    stylesheet_url = fields.String(required=True)
    placeholders = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        required=True,
        metadata={"description": "Per language: the values of {city}, {city_address} … in texts"},
    )


LOGO_URL = "/city/logo.svg"
STYLESHEET_URL = "/city.css"


def city_answer() -> dict[str, Any]:
    """The public data of the active city with the addresses of its files."""
    return {**public_data(active_city()), "logo_url": LOGO_URL, "stylesheet_url": STYLESHEET_URL}


@blp.route("/city", methods=["GET"])
@blp.response(200, CitySchema)
def get_city() -> dict[str, Any]:
    """The city this portal serves: name, address, contact, colours, emblem, texts."""
    return city_answer()
