"""Service definitions as stored: every version kept, built-ins synced from files.

An application points at the exact definition version it was started with, so a
definition is never changed once published; admins publish a new version instead.
"""

from __future__ import annotations

from typing import Any

import peewee
from peewee import Case, fn

from app.accounts import audit
from app.db import db, on_commit, utcnow
from app.errors import DomainError, FieldError
from app.models import Application, ServiceDefinitionRecord, User
from app.service_definitions import (
    DefinitionError,
    ServiceDefinition,
    load_builtin,
    parse_definition,
)

STATES = ("draft", "published", "retired")
# Allowed lifecycle of a stored definition version.
TRANSITIONS = {("draft", "published"), ("published", "retired"), ("draft", "retired")}


class BuiltinChanged(RuntimeError):
    """A built-in file changed without a new version number."""


# Parsed definitions by (row id, content hash); versions are few and never change
# once published, so the cache stays small and never goes stale.
_parsed: dict[tuple[int, str], ServiceDefinition] = {}


def definition_of(record: ServiceDefinitionRecord) -> ServiceDefinition:
    """The parsed definition of a stored version (cached per version)."""
    key = (record.id, record.fingerprint)
    found = _parsed.get(key)
    if found is None:
        found = _parsed[key] = parse_definition(record.data, source=record.source)
    return found


# Enough to find a version in the cache without loading (and parsing) its content.
KEY_COLUMNS = (ServiceDefinitionRecord.id, ServiceDefinitionRecord.fingerprint)


def of_application(application: Application) -> ServiceDefinition:
    """The definition version ``application`` was started with.

    Lists select ``KEY_COLUMNS`` of the definition with their rows (see
    ``with_definition_keys``); otherwise only the version's key is read, and its
    content only when this process has not parsed that version yet.
    """
    record = application.__rel__.get("definition")
    if record is None or record.fingerprint is None:
        record = (
            ServiceDefinitionRecord.select(*KEY_COLUMNS)
            .where(ServiceDefinitionRecord.id == application.definition_id)
            .get()
        )
    return by_key(record)


def by_key(record: ServiceDefinitionRecord) -> ServiceDefinition:
    """The parsed definition of a record of which only ``KEY_COLUMNS`` may be loaded;
    its content is read only when this process has not parsed that version yet."""
    return by_key_values(record.id, record.fingerprint)


def by_key_values(key: int, fingerprint: str) -> ServiceDefinition:
    """``by_key`` for a version's key read as plain values (lists of tuples)."""
    found = _parsed.get((key, fingerprint))
    if found is None:
        found = definition_of(ServiceDefinitionRecord.get_by_id(key))
    return found


def with_definition_keys(query: peewee.ModelSelect) -> peewee.ModelSelect:
    """``query`` over applications, also selecting each one's definition key, so a
    list costs one query however many rows it shows."""
    return query.select_extend(*KEY_COLUMNS).join(
        ServiceDefinitionRecord, on=(Application.definition == ServiceDefinitionRecord.id)
    )


def sync_builtin() -> list[str]:
    """Store built-in definitions that are new; refuse silently changed ones.

    Returns the ``service_id@version`` of every version added.
    """
    added = []
    with db.atomic():
        for definition in load_builtin().values():
            record = ServiceDefinitionRecord.get_or_none(
                (ServiceDefinitionRecord.service_id == definition.id)
                & (ServiceDefinitionRecord.version == definition.version)
            )
            if record is None:
                _store(definition, "published", f"builtin:{definition.id}.yaml", None)
                added.append(f"{definition.id}@{definition.version}")
            elif record.fingerprint != definition.fingerprint and record.source.startswith(
                "builtin:"
            ):
                raise BuiltinChanged(
                    f"{definition.id}.yaml changed but still says version {definition.version}; "
                    "raise its version so applications keep the one they started with"
                )
    return added


# Catalogue changes this process has committed: whoever keeps the stamp for a while
# (``api.catalogue_not_modified``) reads it again at once when this moves.
_changes_here = 0


def _changed_here() -> None:
    global _changes_here
    _changes_here += 1


def changes_here() -> int:
    """How many changes to the stored definitions this process has committed."""
    return _changes_here


def _store(
    definition: ServiceDefinition, state: str, source: str, actor: User | None
) -> ServiceDefinitionRecord:
    record = ServiceDefinitionRecord.create(
        service_id=definition.id,
        version=definition.version,
        state=state,
        area=definition.area,
        data=definition.as_dict(),
        fingerprint=definition.fingerprint,
        source=source,
        created_by=actor,
        published_at=utcnow() if state == "published" else None,
    )
    on_commit(_changed_here)
    return record


def store_draft(definition: ServiceDefinition, actor: User) -> ServiceDefinitionRecord:
    """Store a checked definition as a draft version written by ``actor`` (the caller
    audit-logs what it did)."""
    return _store(definition, "draft", "admin", actor)


def published(service_id: str, *, content: bool = True) -> ServiceDefinitionRecord:
    """The newest published version of a service, or not found.

    ``content=False`` reads only ``KEY_COLUMNS`` (see ``by_key``).
    """
    record = (
        ServiceDefinitionRecord.select(*(() if content else KEY_COLUMNS))
        .where(
            (ServiceDefinitionRecord.service_id == service_id)
            & (ServiceDefinitionRecord.state == "published")
        )
        .order_by(ServiceDefinitionRecord.version.desc())
        .first()
    )
    if record is None:
        raise DomainError("service_not_found", kind="not_found")
    return record


def version(service_id: str, number: int) -> ServiceDefinitionRecord:
    """One stored version (any state), or not found."""
    record = ServiceDefinitionRecord.get_or_none(
        (ServiceDefinitionRecord.service_id == service_id)
        & (ServiceDefinitionRecord.version == number)
    )
    if record is None:
        raise DomainError("service_not_found", kind="not_found")
    return record


def catalogue() -> list[ServiceDefinitionRecord]:
    """The newest published version of every service, by service id."""
    newest: dict[str, ServiceDefinitionRecord] = {}
    for record in (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.state == "published")
        .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
    ):
        newest[record.service_id] = record
    return list(newest.values())


def catalogue_stamp() -> str:
    """A short value that changes whenever the catalogue may have changed.

    Every change to what is published stores a version (new id), publishes one (new
    ``published_at``), retires one (new ``retired_at``) or removes one (fewer rows), so
    one small aggregate over the versions tells every process and node, through the
    shared database, whether its cached catalogue is still current. Published content is
    never changed in place (``update_draft`` refuses it); a data migration that did so
    would have to publish a new version, or processes keep the old catalogue until the
    next change.
    """
    # Asked on every catalogue request: the statement is built once per database kind,
    # since building it costs more than running it.
    kind = type(db.obj)
    statement = _stamp_sql.get(kind)
    if statement is None:
        record = ServiceDefinitionRecord
        statement = _stamp_sql[kind] = record.select(
            fn.COUNT(record.id),
            fn.MAX(record.id),
            fn.SUM(Case(None, [(record.state == "published", 1)], 0)),
            fn.MAX(record.published_at),
            fn.MAX(record.retired_at),
        ).sql()
    row = db.execute_sql(*statement).fetchone()
    return "|".join("" if value is None else str(value) for value in row)


_stamp_sql: dict[type, tuple[str, list[Any]]] = {}


# The catalogue as last read by this process, with the stamp it was read under.
_catalogue: tuple[str, list[ServiceDefinitionRecord]] | None = None


def current_catalogue() -> tuple[str, list[ServiceDefinitionRecord]]:
    """``(stamp, catalogue())``, read from the database only when the stamp moved."""
    global _catalogue
    stamp = catalogue_stamp()
    cached = _catalogue
    if cached is not None and cached[0] == stamp:
        return cached
    # The rows are read after the stamp: a change in between only makes the next
    # request read them again, never pairs an old list with a newer stamp.
    _catalogue = cached = (stamp, catalogue())
    return cached


def _parse_or_refuse(data: dict[str, Any]) -> ServiceDefinition:
    try:
        return parse_definition(data, source="definition")
    except DefinitionError as exc:
        errors = [
            FieldError(path or "definition", "definition_invalid", {"problem": problem})
            for path, problem in exc.problems
        ]
        raise DomainError("definition_invalid", field_errors=errors) from exc


def create_version(data: dict[str, Any], actor: User, ip: str = "") -> ServiceDefinitionRecord:
    """Store a new draft version of a (new or existing) service, validated first."""
    definition = _parse_or_refuse(data)
    existing = (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.service_id == definition.id)
        .order_by(ServiceDefinitionRecord.version.desc())
        .first()
    )
    if existing is not None and definition.version <= existing.version:
        raise DomainError(
            "invalid_input",
            field_errors=[
                FieldError("version", "version_too_low", {"minimum": existing.version + 1})
            ],
        )
    record = _store(definition, "draft", "admin", actor)
    audit.record(
        "definition_created", actor, "service", f"{definition.id}@{definition.version}", ip
    )
    return record


def update_draft(
    record: ServiceDefinitionRecord, data: dict[str, Any], actor: User, ip: str = ""
) -> ServiceDefinitionRecord:
    """Replace a draft version's content; published versions are frozen."""
    if record.state != "draft":
        raise DomainError("definition_frozen", kind="conflict")
    definition = _parse_or_refuse(data)
    if (definition.id, definition.version) != (record.service_id, record.version):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("id", "definition_identity_changed")]
        )
    record.data = definition.as_dict()
    record.fingerprint = definition.fingerprint
    record.area = definition.area
    record.save()
    on_commit(_changed_here)
    audit.record(
        "definition_updated", actor, "service", f"{record.service_id}@{record.version}", ip
    )
    return record


def change_state(
    record: ServiceDefinitionRecord, state: str, actor: User, ip: str = ""
) -> ServiceDefinitionRecord:
    """Publish or retire a version, following the allowed transitions."""
    if (record.state, state) not in TRANSITIONS:
        raise DomainError("definition_state", kind="conflict", current=record.state, wanted=state)
    record.state = state
    if state == "published":
        record.published_at = utcnow()
    else:
        record.retired_at = utcnow()
    record.save()
    on_commit(_changed_here)
    audit.record(
        f"definition_{state}", actor, "service", f"{record.service_id}@{record.version}", ip
    )
    return record
