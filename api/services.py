"""The service catalogue and definitions (public: the PWA renders forms offline from them)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate

from api.catalogue_not_modified import catalogue_etag
from api.compression import etag_variants
from api.definition_schema import ServiceDefinitionSchema
from api.schemas import TextSchema
from api.security import current_user
from app.applications import definitions
from app.applications.residence import residence_check
from app.applications.served import served, served_etag
from app.errors import DomainError
from app.models import ServiceDefinitionRecord
from app.service_definitions import search_streets
from app.service_definitions.answers_schema import answers_schema
from app.service_guide import guide_data, guide_etag

blp = Blueprint("services", __name__, url_prefix="/api", description="Service catalogue")


class ServiceSummarySchema(Schema):
    id = fields.String()
    version = fields.Integer()
    leika = fields.String(allow_none=True)
    title = fields.Nested(TextSchema)
    description = fields.Nested(TextSchema)
    category = fields.String()
    trust_level = fields.String()
    payment_policy = fields.String()
    leichte_sprache_title = fields.String(
        allow_none=True,
        metadata={
            "description": "the title of the service's summary in Leichte Sprache (German; "
            "the city's name as {city}), null without one"
        },
    )
    etag = fields.String()


class AnswersSchemaDocument(Schema):
    """A JSON Schema (draft 2020-12) of a service's answers; its keywords are JSON Schema's."""

    class Meta:
        unknown = INCLUDE

    schema = fields.String(required=True, data_key="$schema")
    title = fields.String(required=True)
    type = fields.String(required=True)
    properties = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


class ResidenceSchema(Schema):
    required = fields.Boolean(metadata={"description": "the service is for residents only"})
    city = fields.String()
    resident = fields.Boolean(
        allow_none=True, metadata={"description": "null: no address known (or not signed in)"}
    )
    address_city = fields.String(allow_none=True)


class StreetQuerySchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=100))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class StreetSchema(Schema):
    name = fields.String()
    postal_code = fields.String()


class GuideFeeLineSchema(Schema):
    rule = fields.String(required=True)
    label = fields.Nested(TextSchema, required=True)
    quantity = fields.Integer(required=True)
    unit_cents = fields.Integer(required=True)
    amount_cents = fields.Integer(required=True)


class GuideFeeSchema(Schema):
    total_cents = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "the fee for the example answers; null when it depends "
            "on answers without an example (depends_on)"
        },
    )
    lines = fields.List(fields.Nested(GuideFeeLineSchema), required=True)
    period = fields.String(required=True, validate=validate.OneOf(["once", "yearly"]))
    depends_on = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "top-level field ids the fee rules read that have no example"},
    )


class GuideDurationSchema(Schema):
    source = fields.String(
        required=True,
        validate=validate.OneOf(["statistics", "target"]),
        metadata={
            "description": "statistics: the median processing time of the last twelve "
            "months (enough cases decided); target: the definition's processing target"
        },
    )
    days = fields.Integer(required=True)
    median_hours = fields.Float(required=True, allow_none=True)


class GuideSchema(Schema):
    service_id = fields.String(required=True)
    version = fields.Integer(required=True)
    examples = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={
            "description": "the guide's example answers by top-level field id, as the "
            "form's fields take them: relative dates resolved, 'city' replaced by the "
            "city's example address"
        },
    )
    fee = fields.Nested(GuideFeeSchema, required=True)
    duration = fields.Nested(GuideDurationSchema, required=True)


def summary(record: ServiceDefinitionRecord) -> dict[str, Any]:
    """What the catalogue lists about a service."""
    data = record.data
    return {
        "id": record.service_id,
        "version": record.version,
        "leika": data.get("leika"),
        "title": data["title"],
        "description": data["description"],
        "category": data["category"],
        "trust_level": data["trust_level"],
        "payment_policy": data["payment"]["policy"],
        "leichte_sprache_title": (data.get("leichte_sprache") or {}).get("title"),
        # The served definition's: it moves with the data of the option sources it names.
        "etag": served_etag(data, record.fingerprint),
    }


def _client_has(etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (as sent, or as compression changed it)."""
    wanted = request.if_none_match
    return any(wanted.contains(tag) for tag in etag_variants(etag))


def _cached(body: Any, etag: str, status: int = 200):
    """Answer 304 when the client has this version; otherwise the body with its ETag."""
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache"}
    if _client_has(etag):
        return "", 304, headers
    return body, status, headers


# The catalogue's JSON body as last sent by this process, by catalogue stamp.
_listing: tuple[str, str, bytes] | None = None


def _catalogue_body() -> tuple[str, bytes]:
    """The catalogue's ETag and JSON body, built only when the catalogue changed."""
    global _listing
    stamp, records = definitions.current_catalogue()
    cached = _listing
    if cached is None or cached[0] != stamp:
        etag = catalogue_etag(stamp)
        body = current_app.json.dumps(ServiceSummarySchema(many=True).dump(map(summary, records)))
        _listing = cached = (stamp, etag, body.encode())
    return cached[1], cached[2]


@blp.route("/services", methods=["GET"])
@blp.response(200, ServiceSummarySchema(many=True))
@blp.alt_response(304, description="The client's copy (If-None-Match) is current", success=True)
def list_services():
    """Every published service (newest version); ETag over the whole catalogue."""
    etag, body = _catalogue_body()
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache"}
    if _client_has(etag):
        return Response(status=304, headers=headers)
    return Response(body, mimetype="application/json", headers=headers)


@blp.route("/services/<string:service_id>", methods=["GET"])
@blp.alt_response(200, schema=ServiceDefinitionSchema, success=True)
@blp.alt_response(304, description="The client's copy (If-None-Match) is current", success=True)
def get_service(service_id: str):
    """The full definition of a service's newest published version (the options of
    fields with ``options_from`` resolved; the ETag moves with them)."""
    record = definitions.published(service_id, content=False)
    definition = definitions.by_key(record)
    if definitions.is_survey(definition):
        # Surveys are served by /api/surveys/<id>: they are no service to apply for.
        raise DomainError("service_not_found", kind="not_found")
    etag = served_etag(definition.data, record.fingerprint)
    if _client_has(etag):
        return _cached(None, etag)
    data, etag = served(definition, record.fingerprint)
    return _cached(data, etag)


@blp.route("/services/<string:service_id>/answers-schema", methods=["GET"])
@blp.alt_response(200, schema=AnswersSchemaDocument, success=True)
@blp.alt_response(304, description="The client's copy (If-None-Match) is current", success=True)
def get_answers_schema(service_id: str):
    """The JSON Schema of the answers a submitted application of the newest version holds."""
    record = definitions.published(service_id)
    if definitions.is_survey(record):
        # A survey's answers are no application's: it has no answers schema here.
        raise DomainError("service_not_found", kind="not_found")
    document = answers_schema(definitions.definition_of(record))
    return _cached(document, f"answers-{record.fingerprint}")


@blp.route("/services/<string:service_id>/guide", methods=["GET"])
@blp.alt_response(200, schema=GuideSchema, success=True)
@blp.alt_response(304, description="The client's copy (If-None-Match) is current", success=True)
def get_guide(service_id: str):
    """What the guide of the newest published version needs from the server: the example
    answers resolved for today and the city, the fee for them, the typical duration."""
    record = definitions.published(service_id)
    if definitions.is_survey(record):
        # A survey has no guide: it is answered, not applied for.
        raise DomainError("service_not_found", kind="not_found")
    body = GuideSchema().dump(guide_data(definitions.definition_of(record)))
    return _cached(body, guide_etag(body))


@blp.route("/services/<string:service_id>/versions/<int:number>", methods=["GET"])
@blp.alt_response(200, schema=ServiceDefinitionSchema, success=True)
@blp.alt_response(304, description="The client's copy (If-None-Match) is current", success=True)
def get_service_version(service_id: str, number: int):
    """A specific version (drafts keep the version they were started with); options from
    option sources resolved as for the newest version."""
    record = definitions.version(service_id, number)
    if record.state == "draft" or definitions.is_survey(record):
        # Unpublished definitions are for admins only; surveys are served by
        # /api/surveys/<id>.
        raise DomainError("service_not_found", kind="not_found")
    data, etag = served(definitions.definition_of(record), record.fingerprint)
    return _cached(data, etag)


@blp.route("/services/<string:service_id>/residence", methods=["GET"])
@blp.response(200, ResidenceSchema)
def get_residence(service_id: str):
    """Whether the service is for residents only and whether the signed-in citizen's
    address (from the ID card, else the profile) lies in the city."""
    record = definitions.published(service_id)
    return residence_check(current_user(), record.data.get("residence"))


@blp.route("/streets", methods=["GET"])
@blp.arguments(StreetQuerySchema, location="query")
@blp.response(200, StreetSchema(many=True))
def streets(query: dict[str, Any]):
    """Street names of the city for address fields, best matches first."""
    return [
        {"name": street.name, "postal_code": street.postal_code}
        for street in search_streets(query["q"], limit=query["limit"])
    ]
