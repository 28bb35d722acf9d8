"""Administration of service definitions: create, change, publish and retire versions;
the console's service list with each version's history, templates, import, export,
duplicates and the comparison of two versions."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate

from api.downloads import content_disposition
from api.schemas import UtcDateTime, file_response
from api.security import client_ip, require_user, roles_required
from app.applications import definitions
from app.console import services
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
    """Publish a draft version: new applications use it, older ones keep theirs. The
    draft is loaded again first; any problem refuses it, named by its path."""
    return services.publish(definitions.version(service_id, number), require_user(), client_ip())


@blp.route("/<string:service_id>/versions/<int:number>/retire", methods=["POST"])
@roles_required("admin")
@blp.response(200, VersionSchema)
def retire(service_id: str, number: int):
    """Retire a version: no new applications; running ones carry on."""
    return definitions.change_state(
        definitions.version(service_id, number), "retired", require_user(), client_ip()
    )


# --- The console's service list -------------------------------------------------------

TEXT = validate.Length(min=1, max=200)


class HistoryEntrySchema(Schema):
    action = fields.String(
        required=True,
        validate=validate.OneOf(sorted(set(services.HISTORY_ACTIONS.values()))),
        metadata={"description": "What happened to the version"},
    )
    at = UtcDateTime(required=True)
    by = fields.String(
        allow_none=True, required=True, metadata={"description": "Admin's e-mail; null: the portal"}
    )


class ServiceTitleSchema(Schema):
    de = fields.String()
    en = fields.String()


class VersionInfoSchema(Schema):
    version = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(definitions.STATES))
    area = fields.String(required=True)
    source = fields.String(required=True)
    title = fields.Nested(ServiceTitleSchema, required=True)
    created_at = UtcDateTime(required=True)
    created_by = fields.String(allow_none=True, required=True)
    published_at = UtcDateTime(allow_none=True, required=True)
    retired_at = UtcDateTime(allow_none=True, required=True)
    updated = fields.Nested(HistoryEntrySchema, allow_none=True)
    published = fields.Nested(HistoryEntrySchema, allow_none=True)
    retired = fields.Nested(HistoryEntrySchema, allow_none=True)
    applications = fields.Integer(
        required=True, metadata={"description": "Applications started with this version"}
    )
    history = fields.List(fields.Nested(HistoryEntrySchema), required=True)


class ServiceInfoSchema(Schema):
    service_id = fields.String(required=True)
    title = fields.Nested(ServiceTitleSchema, required=True)
    area = fields.String(required=True)
    versions = fields.List(fields.Nested(VersionInfoSchema), required=True)


class NewServiceSchema(Schema):
    service_id = fields.String(required=True, validate=validate.Length(min=1, max=63))
    title_de = fields.String(required=True, validate=TEXT)
    title_en = fields.String(required=True, validate=TEXT)
    area = fields.String(required=True, validate=validate.Length(min=1, max=63))


class DuplicateSchema(Schema):
    service_id = fields.String(required=True, validate=validate.Length(min=1, max=63))
    title_de = fields.String(required=True, validate=TEXT)
    title_en = fields.String(required=True, validate=TEXT)


class ImportSchema(Schema):
    text = fields.String(
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "The definition file's content (YAML or JSON)"},
    )
    new_version_confirmed = fields.Boolean(
        load_default=False,
        metadata={"description": "The id exists: store the file as its next version"},
    )


class DiffQuerySchema(Schema):
    old = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    new = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class DiffLineSchema(Schema):
    kind = fields.String(
        required=True, validate=validate.OneOf(["added", "removed", "same", "hunk"])
    )
    text = fields.String(required=True)
    old = fields.Integer(allow_none=True, metadata={"description": "Line in the older version"})
    new = fields.Integer(allow_none=True, metadata={"description": "Line in the newer version"})


class DiffSchema(Schema):
    service_id = fields.String(required=True)
    old = fields.Integer(required=True)
    new = fields.Integer(required=True)
    lines = fields.List(fields.Nested(DiffLineSchema), required=True)


def _titles(data: dict[str, Any]) -> dict[str, str]:
    return {"de": data["title_de"].strip(), "en": data["title_en"].strip()}


@blp.route("/overview", methods=["GET"])
@roles_required("admin")
@blp.response(200, ServiceInfoSchema(many=True))
def overview():
    """Every service with its versions: state, area, who did what when, applications."""
    return services.services()


@blp.route("/<string:service_id>/versions", methods=["GET"])
@roles_required("admin")
@blp.response(200, ServiceInfoSchema)
def service_versions(service_id: str):
    """One service with its versions and their histories."""
    return services.services(service_id)[0]


@blp.route("/new", methods=["POST"])
@roles_required("admin")
@blp.arguments(NewServiceSchema)
@blp.response(201, VersionSchema)
def create_from_template(data: dict[str, Any]):
    """Start a new service from the minimal template, as a draft."""
    return services.create_from_template(
        data["service_id"].strip(), _titles(data), data["area"].strip(), require_user(), client_ip()
    )


@blp.route("/import", methods=["POST"])
@roles_required("admin")
@blp.arguments(ImportSchema)
@blp.response(201, VersionSchema)
def import_file(data: dict[str, Any]):
    """Store a definition file as a draft; problems are listed by path and nothing is
    stored. An existing id needs ``new_version_confirmed`` (else 409)."""
    return services.import_yaml(
        data["text"],
        require_user(),
        client_ip(),
        new_version_confirmed=data["new_version_confirmed"],
    )


@blp.route("/<string:service_id>/versions/<int:number>/duplicate", methods=["POST"])
@roles_required("admin")
@blp.arguments(DuplicateSchema)
@blp.response(201, VersionSchema)
def duplicate(data: dict[str, Any], service_id: str, number: int):
    """Copy a version as version 1 of a new service (a draft)."""
    return services.duplicate(
        definitions.version(service_id, number),
        data["service_id"].strip(),
        _titles(data),
        require_user(),
        client_ip(),
    )


@blp.route("/<string:service_id>/drafts", methods=["POST"])
@roles_required("admin")
@blp.response(201, VersionSchema)
def new_draft(service_id: str):
    """A new draft version with the content of the newest version."""
    return services.new_draft(service_id, require_user(), client_ip())


@blp.route("/<string:service_id>/versions/<int:number>/export", methods=["GET"])
@roles_required("admin")
@file_response(blp, ["application/yaml"], "The version as a definition file")
def export(service_id: str, number: int):
    """Download a version as a YAML definition file (loads with the loader)."""
    name, text = services.export(definitions.version(service_id, number))
    response = current_app.response_class(text, mimetype="application/yaml")
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/<string:service_id>/diff", methods=["GET"])
@roles_required("admin")
@blp.arguments(DiffQuerySchema, location="query")
@blp.response(200, DiffSchema)
def diff(query: dict[str, Any], service_id: str):
    """The unified diff between two versions' YAML, line by line."""
    old = definitions.version(service_id, query["old"])
    new = definitions.version(service_id, query["new"])
    return {
        "service_id": service_id,
        "old": old.version,
        "new": new.version,
        "lines": services.diff(old, new),
    }
