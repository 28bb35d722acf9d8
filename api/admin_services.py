"""Administration of service definitions: create, change, publish and retire versions."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields

from api.schemas import UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.applications import definitions
from app.models import ServiceDefinitionRecord
from app.service_definitions import schema

blp = Blueprint(
    "admin_services",
    __name__,
    url_prefix="/api/admin/services",
    description="Service definitions (admin)",
)


class DefinitionBodySchema(Schema):
    definition = fields.Dict(required=True)


class VersionSchema(Schema):
    service_id = fields.String()
    version = fields.Integer()
    state = fields.String()
    area = fields.String()
    source = fields.String()
    fingerprint = fields.String()
    created_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)
    retired_at = UtcDateTime(allow_none=True)


class JsonSchemaDocument(Schema):
    """A JSON Schema (draft 2020-12); its keywords are JSON Schema's own."""

    class Meta:
        unknown = INCLUDE

    schema = fields.String(required=True, data_key="$schema")
    id = fields.String(data_key="$id")
    title = fields.String()
    type = fields.String(required=True)
    required = fields.List(fields.String())
    properties = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    defs = fields.Dict(keys=fields.String(), values=fields.Dict(), data_key="$defs")


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.response(200, VersionSchema(many=True))
def list_versions():
    """Every stored version of every service."""
    return list(
        ServiceDefinitionRecord.select().order_by(
            ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version
        )
    )


@blp.route("/schema", methods=["GET"])
@roles_required("admin")
@blp.alt_response(200, schema=JsonSchemaDocument, success=True)
def definition_schema():
    """The JSON Schema definitions are checked against."""
    return schema()


@blp.route("", methods=["POST"])
@roles_required("admin")
@blp.arguments(DefinitionBodySchema)
@blp.response(201, VersionSchema)
def create(data: dict[str, Any]):
    """Store a new draft version (validated; problems named by path)."""
    return definitions.create_version(data["definition"], require_user(), client_ip())


@blp.route("/<string:service_id>/versions/<int:number>", methods=["PUT"])
@roles_required("admin")
@blp.arguments(DefinitionBodySchema)
@blp.response(200, VersionSchema)
def update(data: dict[str, Any], service_id: str, number: int):
    """Change a draft version (published ones are frozen)."""
    record = definitions.version(service_id, number)
    return definitions.update_draft(record, data["definition"], require_user(), client_ip())


@blp.route("/<string:service_id>/versions/<int:number>/publish", methods=["POST"])
@roles_required("admin")
@blp.response(200, VersionSchema)
def publish(service_id: str, number: int):
    """Publish a draft version: new applications use it, older ones keep theirs."""
    return definitions.change_state(
        definitions.version(service_id, number), "published", require_user(), client_ip()
    )


@blp.route("/<string:service_id>/versions/<int:number>/retire", methods=["POST"])
@roles_required("admin")
@blp.response(200, VersionSchema)
def retire(service_id: str, number: int):
    """Retire a version: no new applications; running ones carry on."""
    return definitions.change_state(
        definitions.version(service_id, number), "retired", require_user(), client_ip()
    )
