"""The shape of ``city.yaml`` (marshmallow): which fields a city package must have."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from app.cities.contrast import HEX_COLOUR

SLUG = validate.Regexp(r"^[a-z][a-z0-9_]{1,40}$", error="a slug: lower-case letters, digits, _")
# States whose public holidays the portal knows (app/appointments/holidays.py).
STATES = ("NW",)
LANGUAGES = ("de", "en")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _text() -> fields.Field:
    """A text in German and English (German required)."""
    return fields.Nested(LocalText, required=True)


class LocalText(_Strict):
    de = fields.String(required=True, validate=validate.Length(min=1))
    en = fields.String(required=True, validate=validate.Length(min=1))


class Address(_Strict):
    office = fields.String(required=True, validate=validate.Length(min=1))
    street = fields.String(required=True, validate=validate.Length(min=2))
    postal_code = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{5}$"))
    locality = fields.String(required=True, validate=validate.Length(min=2))


class Contact(_Strict):
    phone = fields.String(required=True, validate=validate.Length(min=3))
    phone_international = fields.String(
        required=True, validate=validate.Regexp(r"^\+[0-9][0-9 \-]{4,}$")
    )
    email = fields.Email(required=True)
    privacy_email = fields.Email(required=True)
    accessibility_email = fields.Email(required=True)
    website = fields.Url(required=True, schemes={"https"})
    push_contact = fields.String(
        required=True, validate=validate.Regexp(r"^(mailto:[^@\s]+@[^@\s]+|https://\S+)$")
    )
    staff_mail_domain = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z0-9.-]+\.[a-z]{2,}$")
    )


class Colours(_Strict):
    primary = fields.String(required=True, validate=validate.Regexp(HEX_COLOUR))
    on_primary = fields.String(required=True, validate=validate.Regexp(HEX_COLOUR))
    accent = fields.String(required=True, validate=validate.Regexp(HEX_COLOUR))


class Texts(_Strict):
    represented_by = _text()
    responsible_office = _text()
    data_protection_officer = _text()


class Services(_Strict):
    offered = fields.Raw(required=True)
    overrides = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)

    @validates_schema
    def _offered(self, data, **_kwargs) -> None:
        offered = data.get("offered")
        if offered == "all":
            return
        if not (isinstance(offered, list) and offered and all(isinstance(s, str) for s in offered)):
            raise ValidationError('"all" or a list of service ids', "offered")


class Payments(_Strict):
    paypal_brand_name = fields.String(required=True, validate=validate.Length(min=2, max=127))
    transfer_recipient = fields.String(required=True, validate=validate.Length(min=2, max=70))
    sepa_creditor_name = fields.String(required=True, validate=validate.Length(min=2, max=70))


class Eid(_Strict):
    service_provider = fields.String(required=True, validate=validate.Length(min=2))


class Reports(_Strict):
    bbox = fields.List(fields.Float(), required=True, validate=validate.Length(equal=4))
    tile_url = fields.String(required=True, validate=validate.Regexp(r"^https://\S+\{z\}\S*$"))
    tile_attribution = fields.String(required=True, validate=validate.Length(min=2))

    @validates_schema
    def _box(self, data, **_kwargs) -> None:
        box = data.get("bbox") or []
        if len(box) == 4 and not (box[0] < box[2] and box[1] < box[3]):
            raise ValidationError("south < north and west < east", "bbox")


class Wohngeld(_Strict):
    rent_level = fields.Integer(required=True, validate=validate.Range(min=1, max=7))


class Demo(_Strict):
    resident_register = fields.String(required=True)
    business_register = fields.String(required=True)
    data = fields.String(required=True)


class GuideExampleAddress(_Strict):
    """The address the service guides show in an address field of the city (``city``)."""

    street = fields.String(required=True, validate=validate.Length(min=2, max=100))
    house_number = fields.String(required=True, validate=validate.Length(min=1, max=10))


class CitySchema(_Strict):
    slug = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(min=2, max=60))
    official_name = fields.String(
        required=True, validate=validate.Regexp(r"^Stadt \S", error='must start with "Stadt "')
    )
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    plate_code = fields.String(required=True, validate=validate.Regexp(r"^[A-ZÄÖÜ]{1,3}$"))
    address = fields.Nested(Address, required=True)
    contact = fields.Nested(Contact, required=True)
    colours = fields.Nested(Colours, required=True)
    logo = fields.String(required=True)
    # The logo in black and white, for documents printed at home on any printer.
    logo_monochrome = fields.String(required=True)
    logo_alt = _text()
    texts = fields.Nested(Texts, required=True)
    streets = fields.String(required=True)
    parking_zones = fields.String(required=True)
    services = fields.Nested(Services, required=True)
    payments = fields.Nested(Payments, required=True)
    eid = fields.Nested(Eid, required=True)
    reports = fields.Nested(Reports, required=True)
    appointments = fields.String(required=True)
    wohngeld = fields.Nested(Wohngeld, required=True)
    demo = fields.Nested(Demo, required=True)
    # Optional: without it, the guides leave addresses in the city empty.
    guide_example_address = fields.Nested(GuideExampleAddress)


def flatten(messages: object, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested messages as (field path, message) pairs."""
    if isinstance(messages, dict):
        found: list[tuple[str, str]] = []
        for key, value in messages.items():
            path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            found += flatten(value, path)
        return found
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(prefix or "(top)", message) for message in messages]
    if isinstance(messages, list):
        return [pair for item in messages for pair in flatten(item, prefix)]
    return [(prefix or "(top)", str(messages))]
