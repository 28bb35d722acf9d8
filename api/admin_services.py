"""Administration of service definitions: create, change, publish and retire versions;
the console's service list with each version's history, templates, import, export,
duplicates and the comparison of two versions."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate

from api.downloads import content_disposition
from api.errors import error_response, locale
from api.preconditions import if_match_revisions
from api.schemas import ErrorSchema, UtcDateTime, file_response
from api.security import client_ip, require_user, roles_required
from app.accounts import invitations
from app.applications import definitions
from app.console import service_parts, services
from app.models import ServiceDefinitionRecord
from app.service_definitions import schema
from app.service_definitions.problems import Problem

blp = Blueprint(
    "admin_services",
    __name__,
    url_prefix="/api/admin/services",
    description="Service definitions (admin)",
)


class DefinitionBodySchema(Schema):
    definition = fields.Dict(required=True)


# --- The editor's schemas -------------------------------------------------------------


class DefinitionProblemSchema(Schema):
    """One problem of a definition, where it is and what it is."""

    field = fields.String(
        required=True,
        metadata={"description": "Path in the definition (steps[1].fields[0].label.de)"},
    )
    code = fields.String(required=True, metadata={"description": "The problem's code"})
    message = fields.String(required=True, metadata={"description": "Text in the reply's language"})


class DefinitionProblemsSchema(Schema):
    problems = fields.List(fields.Nested(DefinitionProblemSchema), required=True)


class EditorPersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "Name, else e-mail address"})


class EditorSchema(Schema):
    """A version as the editor opens it (``ETag`` carries its revision)."""

    service_id = fields.String(required=True)
    version = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(definitions.STATES))
    revision = fields.Integer(required=True, metadata={"description": "Send it as If-Match"})
    definition = fields.Dict(
        required=True,
        metadata={"description": "A draft's working copy if it has one, else the content"},
    )
    problems = fields.List(fields.Nested(DefinitionProblemSchema), required=True)
    changed_at = UtcDateTime(required=True, allow_none=True)
    changed_by = fields.Nested(EditorPersonSchema, required=True, allow_none=True)


class EditorCurrentSchema(Schema):
    """The version as it is now, for the client's conflict screen."""

    revision = fields.Integer(required=True)
    definition = fields.Dict(required=True)
    changed_at = UtcDateTime(required=True, allow_none=True)
    changed_by = fields.Nested(EditorPersonSchema, required=True, allow_none=True)


class EditConflictSchema(ErrorSchema):
    """412 ``edit_conflict``: someone saved the version since the client read it."""

    current = fields.Nested(EditorCurrentSchema, required=True)


EDIT_CONFLICT = EditConflictSchema


def _if_match(required: bool) -> dict:
    return {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": required,
                "description": (
                    'The revision the client read, as its ETag ("3"); a list ("3", "4") '
                    "or * (any) per RFC 9110; weak tags (W/) never match"
                ),
                "schema": {"type": "string"},
            }
        ]
    }


def _problems(problems: list[Problem]) -> list[dict[str, str]]:
    lang = locale()
    return [item.to_dict(lang) for item in problems]


def _editor(record: ServiceDefinitionRecord, problems: list[Problem] | None = None):
    view = services.editor(record, problems)
    body = {
        "service_id": view.service_id,
        "version": view.version,
        "state": view.state,
        "revision": view.revision,
        "definition": view.definition,
        "problems": _problems(view.problems),
        "changed_at": view.changed_at,
        "changed_by": view.changed_by,
    }
    return body, 200, {"ETag": f'"{view.revision}"', "Cache-Control": "private, no-store"}


def _conflict(record: ServiceDefinitionRecord):
    view = services.editor(record, [])
    current = EditorCurrentSchema().dump(
        {
            "revision": view.revision,
            "definition": view.definition,
            "changed_at": view.changed_at,
            "changed_by": view.changed_by,
        }
    )
    response = error_response(412, "edit_conflict", extra={"current": current})
    response.headers["ETag"] = f'"{view.revision}"'
    return response


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
@blp.alt_response(412, schema=EDIT_CONFLICT, description="If-Match names an older revision")
@blp.doc(**_if_match(required=False))
def update(data: dict[str, Any], service_id: str, number: int):
    """Change a draft version with a definition that loads (published ones are frozen).
    ``If-Match: "<revision>"`` is optional here; when given, a newer revision refuses
    the change (412 ``edit_conflict``). The working copy is replaced too."""
    record = definitions.version(service_id, number)
    try:
        return definitions.update_draft(
            record, data["definition"], require_user(), client_ip(), if_match_revisions()
        )
    except definitions.EditConflict as conflict:
        return _conflict(conflict.record)


@blp.route("/<string:service_id>/versions/<int:number>/publish", methods=["POST"])
@roles_required("admin")
@blp.response(200, VersionSchema)
@blp.alt_response(412, schema=EDIT_CONFLICT, description="If-Match names another revision")
@blp.alt_response(409, schema=ErrorSchema, description="The version is no draft")
@blp.alt_response(
    422, schema=ErrorSchema, description="The draft has problems: errors as {field, code, message}"
)
@blp.doc(**_if_match(required=False))
def publish(service_id: str, number: int):
    """Publish a draft version: new applications use it, older ones keep theirs. The
    draft is loaded again first; any problem refuses it (422), each error shaped like
    the editor's problems (``field`` its path, ``code`` the problem's code). With
    ``If-Match: "<revision>"`` (the builder always sends it), a revision saved since
    refuses it (412 ``edit_conflict`` with the current state); the working copy becomes
    the content and the state changes in one step, moving the revision."""
    record = definitions.version(service_id, number)
    try:
        return services.publish(record, require_user(), client_ip(), if_match_revisions())
    except definitions.EditConflict as conflict:
        return _conflict(conflict.record)


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
    kind = fields.String(
        required=True,
        validate=validate.OneOf(["service", "survey"]),
        metadata={"description": "survey: a city survey (listed under Umfragen)"},
    )
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


# --- The editor -----------------------------------------------------------------------


@blp.route("/<string:service_id>/versions/<int:number>/editor", methods=["GET"])
@roles_required("admin")
@blp.response(200, EditorSchema, headers={"ETag": {"schema": {"type": "string"}}})
def open_editor(service_id: str, number: int):
    """A version as the editor opens it: a draft's working copy (else its content),
    its problems in the reply's language, its revision (also as ``ETag``), who changed
    it last. Published and retired versions show their content, read-only."""
    return _editor(definitions.version(service_id, number))


@blp.route("/<string:service_id>/versions/<int:number>/editor", methods=["PUT"])
@roles_required("admin")
@blp.arguments(DefinitionBodySchema)
@blp.response(200, EditorSchema, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(412, schema=EDIT_CONFLICT, description="If-Match names another revision")
@blp.alt_response(428, schema=ErrorSchema, description="No If-Match: precondition_required")
@blp.alt_response(409, schema=ErrorSchema, description="The version is no draft: definition_frozen")
@blp.alt_response(422, schema=ErrorSchema, description="id or version differ from the version's")
@blp.doc(**_if_match(required=True))
def save_editor(data: dict[str, Any], service_id: str, number: int):
    """Save the editor's working copy of a draft, problems and all, under ``If-Match:
    "<revision>"`` (required: 428 ``precondition_required`` without it; 412
    ``edit_conflict`` with the current state when someone saved since). Its ``id`` and
    ``version`` must be the version's (422). A copy without problems also becomes the
    version's content, which the rest of the portal reads. Only drafts (409
    ``definition_frozen``)."""
    record = definitions.version(service_id, number)
    try:
        saved, problems = definitions.save_working(
            record, data["definition"], require_user(), if_match_revisions(), client_ip()
        )
    except definitions.EditConflict as conflict:
        return _conflict(conflict.record)
    return _editor(saved, problems)


@blp.route("/check", methods=["POST"])
@roles_required("admin")
@blp.arguments(DefinitionBodySchema)
@blp.response(200, DefinitionProblemsSchema)
def check(data: dict[str, Any]):
    """The problems of a definition, each at its path, in the reply's language; nothing
    is stored (for checking while the admin types)."""
    return {"problems": _problems(definitions.problems_of(data["definition"]))}


class PartLabelSchema(Schema):
    de = fields.String(required=True)
    en = fields.String(required=True)


class OptionPartSchema(Schema):
    name = fields.String(required=True)
    schema = fields.Dict(required=True, metadata={"description": "The option's JSON Schema"})


class FieldTypePartSchema(Schema):
    name = fields.String(required=True)
    label = fields.Nested(PartLabelSchema, required=True)
    options = fields.List(fields.Nested(OptionPartSchema), required=True)
    required_options = fields.List(fields.String(), required=True)
    answer_kind = fields.String(
        required=True,
        validate=validate.OneOf(
            ["text", "number", "date", "choice", "boolean", "object", "files", "items"]
        ),
    )
    operators = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Condition operators allowed on a field of the type"},
    )
    member_operators = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Operators allowed on it as group.inner of a repeat group (or none)"
        },
    )


class OperatorPartSchema(Schema):
    name = fields.String(required=True)
    label = fields.Nested(PartLabelSchema, required=True)
    value = fields.String(
        required=True,
        validate=validate.OneOf(["value", "values", "boolean", "date", "number"]),
        metadata={"description": "What the operator compares with"},
    )


class WorkflowPartSchema(Schema):
    name = fields.String(required=True)
    label = fields.Nested(PartLabelSchema, required=True)
    workflow = fields.Dict(required=True, metadata={"description": "The full table as stored"})


class PluginPartSchema(Schema):
    name = fields.String(required=True)
    label = fields.Nested(PartLabelSchema, required=True)
    description = fields.Nested(PartLabelSchema, required=True)


class PartsSchema(Schema):
    """Everything the editor's pickers offer, read from the registries and the schema."""

    languages = fields.List(fields.String(), required=True)
    field_types = fields.List(fields.Nested(FieldTypePartSchema), required=True)
    condition_operators = fields.List(fields.Nested(OperatorPartSchema), required=True)
    fee_rule_kinds = fields.List(fields.String(), required=True)
    fee_periods = fields.List(fields.String(), required=True)
    payment_policies = fields.List(fields.String(), required=True)
    notice_kinds = fields.List(fields.String(), required=True)
    trust_levels = fields.List(fields.String(), required=True)
    workflows = fields.List(fields.Nested(WorkflowPartSchema), required=True)
    checks = fields.List(fields.Nested(PluginPartSchema), required=True)
    decision_rule_sets = fields.List(fields.Nested(PluginPartSchema), required=True)
    document_kinds = fields.List(fields.String(), required=True)
    document_generators = fields.List(fields.Nested(PluginPartSchema), required=True)
    decision_proposals = fields.List(
        fields.Nested(PluginPartSchema),
        required=True,
        metadata={"description": "Plugins that prefill the values a clerk sets at a decision"},
    )
    decision_field_types = fields.List(fields.String(), required=True)
    document_channels = fields.List(fields.String(), required=True)
    prefill_sources = fields.List(fields.String(), required=True)
    handoff_backends = fields.List(fields.Nested(PluginPartSchema), required=True)
    handoff_moments = fields.List(fields.String(), required=True)
    areas = fields.List(fields.String(), required=True)
    categories = fields.List(fields.String(), required=True)


@blp.route("/parts", methods=["GET"])
@roles_required("admin")
@blp.response(200, PartsSchema)
def parts():
    """The parts a definition is built from, for the editor's pickers: field types with
    their options, condition operators, fee and payment settings, workflows, registered
    checks, rule sets and document generators, hand-off backends and moments, prefill
    sources, areas, categories."""
    return service_parts.parts(invitations.known_areas(current_app.config))
