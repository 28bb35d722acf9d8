"""Service definitions as stored: every version kept, built-ins synced from files.

An application points at the exact definition version it was started with, so a
definition is never changed once published; admins publish a new version instead.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from peewee import Case, fn

from app.accounts import audit
from app.db import db, on_commit, utcnow
from app.errors import DomainError, FieldError
from app.i18n import LOCALES
from app.models import Application, AuditEvent, ServiceDefinitionRecord, User
from app.revisions import Revisions
from app.service_definitions import (
    DefinitionError,
    ServiceDefinition,
    load_builtin,
    parse_definition,
    plugins,
)
from app.service_definitions.problems import Problem, coded

log = logging.getLogger(__name__)

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

    Where a query selected ``KEY_COLUMNS`` of the definition with the row, those are
    used; otherwise the version is found by its key (``by_id``).
    """
    record = application.__rel__.get("definition")
    if record is None or record.fingerprint is None:
        return by_id(application.definition_id)
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


# The content hash of every version this process has met that can no longer change
# (published or retired: publishing is the last change to a version's content), by
# key. Lists of applications then name each row's version by its key alone, without
# joining the definitions: a join costs the database more per page than the rows.
_frozen_fingerprints: dict[int, str] = {}


def by_id(key: int) -> ServiceDefinition:
    """The parsed definition version with the key ``key``.

    A frozen version's content hash is remembered per process; a draft's is read every
    time, because saving a draft changes it."""
    fingerprint = _frozen_fingerprints.get(key)
    if fingerprint is None:
        state, fingerprint = (
            ServiceDefinitionRecord.select(
                ServiceDefinitionRecord.state, ServiceDefinitionRecord.fingerprint
            )
            .where(ServiceDefinitionRecord.id == key)
            .tuples()
            .get()
        )
        if state != "draft":
            _frozen_fingerprints[key] = fingerprint
    return by_key_values(key, fingerprint)


def forget_frozen_versions() -> None:
    """Forget the remembered content hashes: for when stored versions were removed
    outside the portal (a test emptying its database), since SQLite may then give a new
    version the key of a removed one."""
    _frozen_fingerprints.clear()


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
            elif record.fingerprint != definition.fingerprint:
                # The city published its own version with this number (console): it stays
                # in force, and the shipped one is not stored. Said aloud, so an operator
                # upgrading sees which shipped changes to carry over by hand.
                log.warning(
                    "Built-in %s version %s was not stored: the city's own version %s "
                    "(%s) has that number and stays in force",
                    definition.id,
                    definition.version,
                    record.version,
                    record.source,
                )
    return added


# Catalogue changes this process has committed: whoever keeps the stamp for a while
# (``api.catalogue_not_modified``) reads it again at once when this moves.
_changes_here = 0


def _changed_here() -> None:
    global _changes_here
    _changes_here += 1


def changes_here() -> int:
    """How many changes to the stored definitions, or to the data of option sources
    their forms show, this process has committed."""
    return _changes_here + plugins.option_changes()


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


def is_survey(definition: ServiceDefinition | ServiceDefinitionRecord) -> bool:
    """Whether a definition (parsed or stored) is a city survey, not a service."""
    return definition.data.get("kind") == "survey"


def newest_published(*, surveys: bool = False) -> list[ServiceDefinitionRecord]:
    """The newest published version of every service (``surveys``: of every survey
    instead), by id."""
    newest: dict[str, ServiceDefinitionRecord] = {}
    for record in (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.state == "published")
        .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
    ):
        newest[record.service_id] = record
    return [record for record in newest.values() if is_survey(record) == surveys]


def catalogue() -> list[ServiceDefinitionRecord]:
    """The newest published version of every service, by service id (surveys have their
    own list: ``newest_published(surveys=True)``)."""
    return newest_published()


def catalogue_stamp() -> str:
    """A short value that changes whenever the catalogue may have changed.

    Every change to what is published stores a version (new id), publishes one (new
    ``published_at``), retires one (new ``retired_at``) or removes one (fewer rows), so
    one small aggregate over the versions tells every process and node, through the
    shared database, whether its cached catalogue is still current. Published content is
    never changed in place (``update_draft`` refuses it); a data migration that did so
    would have to publish a new version, or processes keep the old catalogue until the
    next change. The stamp of every registered option source follows (the definitions
    served carry their options, and the catalogue lists their ETags).
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
    stamp = "|".join("" if value is None else str(value) for value in row)
    return stamp + "".join(
        f"|{name}={plugins.option_sources.get(name).stamp()}"
        for name in plugins.option_sources.names()
    )


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


def _loaded(data: Any) -> tuple[ServiceDefinition | None, list[Problem]]:
    try:
        return parse_definition(data, source="definition"), []
    except DefinitionError as exc:
        return None, [coded(item) for item in exc.problems]


def problems_of(data: Any) -> list[Problem]:
    """Every problem the loader finds in ``data`` (empty when it loads), each with its
    path, code and parameters."""
    return _loaded(data)[1]


def problem_errors(problems: list[tuple[str, str]]) -> list[FieldError]:
    """Loader problems as field errors: each at its path, its message (``path: text``)
    in every language from the catalogues."""
    errors = []
    for item in map(coded, problems):
        where = item.path or "definition"
        errors.append(
            FieldError(
                where,
                "definition_invalid",
                {"problem": item.text},
                messages={lang: f"{where}: {item.render(lang)}" for lang in LOCALES},
            )
        )
    return errors


def parse_or_refuse(data: Any, source: str = "definition") -> ServiceDefinition:
    """The loaded definition, or a ``DomainError`` (422) listing every problem by path."""
    try:
        return parse_definition(data, source=source)
    except DefinitionError as exc:
        raise DomainError("definition_invalid", field_errors=problem_errors(exc.problems)) from exc


def create_version(data: dict[str, Any], actor: User, ip: str = "") -> ServiceDefinitionRecord:
    """Store a new draft version of a (new or existing) service, validated first."""
    definition = parse_or_refuse(data)
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


class EditConflict(DomainError):
    """The revision a client named is not the stored one: someone saved in between.
    ``record`` is the version as it is now, for the client's conflict screen."""

    def __init__(self, record: ServiceDefinitionRecord) -> None:
        super().__init__("edit_conflict", kind="precondition_failed")
        self.record = record


def _check_revision(record: ServiceDefinitionRecord, expected: Revisions | None) -> None:
    # No ``If-Match`` (old callers of the strict PUT and of publish): any revision will do.
    if expected is not None and not expected.matches(record.revision):
        raise EditConflict(record)


def _same(stored: Any, given: Any) -> bool:
    # ``True == 1`` and ``1.0 == 1`` in Python; an id or version must be the stored one
    # exactly, so ``"version": 1.0`` or ``true`` does not pass for version 1.
    return type(given) is type(stored) and given == stored


def _require_identity(record: ServiceDefinitionRecord, data: Any) -> None:
    """Refuse ``data`` whose ``id`` or ``version`` is not the stored version's (both
    editor routes use this one rule)."""
    if not isinstance(data, dict):
        return  # the loader names what is wrong with it
    errors = [
        FieldError(key, "definition_identity_changed")
        for key, stored in (("id", record.service_id), ("version", record.version))
        if not _same(stored, data.get(key))
    ]
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    require_same_kind(record.service_id, data, record.version)


def require_same_kind(service_id: str, data: Any, version: int | None = None) -> None:
    """Refuse ``data`` whose kind (service or survey) differs from another stored
    version's of ``service_id`` (``version`` itself excepted): answers and results of
    one id must stay one kind's."""
    if not isinstance(data, dict):
        return
    kind = "survey" if data.get("kind") == "survey" else "service"
    query = ServiceDefinitionRecord.select().where(ServiceDefinitionRecord.service_id == service_id)
    if version is not None:
        query = query.where(ServiceDefinitionRecord.version != version)
    for other in query:
        stored = "survey" if is_survey(other) else "service"
        if stored != kind:
            raise DomainError(
                "invalid_input",
                field_errors=[
                    FieldError(
                        "kind", "survey_kind_changed", {"service_id": service_id, "kind": stored}
                    )
                ],
            )


# Autosave stores the working copy every moment the admin pauses; the version's history
# (read from the audit log) names who worked on it and when, not every keystroke. One
# ``definition_updated`` per admin and version within this window is enough: the
# record's own ``changed_at``/``changed_by`` always tell the latest save exactly.
UPDATE_EVENT_WINDOW = timedelta(minutes=10)


def _recently_recorded(record: ServiceDefinitionRecord, actor: User) -> bool:
    subject = f"{record.service_id}@{record.version}"
    return (
        AuditEvent.select(AuditEvent.id)
        .where(
            (AuditEvent.action == "definition_updated")
            & (AuditEvent.subject_type == "service")
            & (AuditEvent.subject_id == subject)
            & (AuditEvent.actor == actor)
            & (AuditEvent.at > utcnow() - UPDATE_EVENT_WINDOW)
        )
        .exists()
    )


def _refused_by(record_id: int) -> DomainError:
    """Why a conditional update of a draft changed no row: it is no draft any more
    (409 ``definition_frozen``), or it was saved in between (412 with the current state)."""
    current = ServiceDefinitionRecord.get_by_id(record_id)
    if current.state != "draft":
        return DomainError("definition_frozen", kind="conflict")
    return EditConflict(current)


def _save(
    record: ServiceDefinitionRecord, changes: dict[str, Any], actor: User, ip: str
) -> ServiceDefinitionRecord:
    # Only the revision read, and only while it is a draft, is replaced: a save or a
    # publish in between makes this one a conflict, never a silent overwrite (nor a
    # change to a version just published).
    changes.update(revision=record.revision + 1, changed_at=utcnow(), changed_by=actor)
    model = ServiceDefinitionRecord
    with db.atomic():
        saved = (
            model.update(changes)
            .where(
                (model.id == record.id)
                & (model.revision == record.revision)
                & (model.state == "draft")
            )
            .execute()
        )
        if saved != 1:
            raise _refused_by(record.id)
        if not _recently_recorded(record, actor):
            audit.record(
                "definition_updated", actor, "service", f"{record.service_id}@{record.version}", ip
            )
    if "data" in changes:
        on_commit(_changed_here)
    return model.get_by_id(record.id)


def _content(definition: ServiceDefinition) -> dict[str, Any]:
    return {
        "data": definition.as_dict(),
        "fingerprint": definition.fingerprint,
        "area": definition.area,
    }


def editor_definition(record: ServiceDefinitionRecord) -> dict[str, Any]:
    """What the editor shows: a draft's working copy if it has one, else the stored
    (valid) content; published and retired versions show their content."""
    if record.state == "draft" and record.working is not None:
        return record.working
    return record.data


def save_working(
    record: ServiceDefinitionRecord,
    data: dict[str, Any],
    actor: User,
    expected: Revisions | None,
    ip: str = "",
) -> tuple[ServiceDefinitionRecord, list[Problem]]:
    """Store the editor's working copy of a draft, whatever its problems, under the
    revisions the client names (``If-Match``, required). A copy without problems also
    becomes the version's content, which the rest of the portal reads; one with problems
    changes nothing anyone else sees. Returns the saved version and the copy's problems."""
    if expected is None:
        raise DomainError("precondition_required", kind="precondition_required")
    # Frozen first: a version published since the client read it moved its revision
    # too, and no choice on a conflict screen could change it any more.
    if record.state != "draft":
        raise DomainError("definition_frozen", kind="conflict")
    _check_revision(record, expected)
    _require_identity(record, data)
    definition, problems = _loaded(data)
    changes: dict[str, Any] = {"working": data}
    if definition is not None:
        changes.update(_content(definition))
    return _save(record, changes, actor, ip), problems


def update_draft(
    record: ServiceDefinitionRecord,
    data: dict[str, Any],
    actor: User,
    ip: str = "",
    expected: Revisions | None = None,
) -> ServiceDefinitionRecord:
    """Replace a draft version's content with a definition that loads; published
    versions are frozen. With ``expected`` (``If-Match``), a version saved since refuses
    it. The working copy is replaced as well."""
    if record.state != "draft":
        raise DomainError("definition_frozen", kind="conflict")
    _check_revision(record, expected)
    _require_identity(record, data)
    definition = parse_or_refuse(data)
    changes = {"working": None, **_content(definition)}
    return _save(record, changes, actor, ip)


def editor_problem_errors(problems: list[tuple[str, str]]) -> list[FieldError]:
    """Loader problems as field errors shaped like the editor's problems: each at its
    path, with the problem's own code and its text (without the path) per language."""
    errors = []
    for item in map(coded, problems):
        errors.append(
            FieldError(
                item.path or "definition",
                item.code,
                dict(item.params),
                messages={lang: item.render(lang) for lang in LOCALES},
            )
        )
    return errors


# How often publishing without ``If-Match`` reads the draft again when autosaves keep
# moving it; each attempt publishes the newest revision, so a few always suffice.
_PUBLISH_ATTEMPTS = 3


def publish_draft(
    record: ServiceDefinitionRecord, actor: User, ip: str = "", expected: Revisions | None = None
) -> ServiceDefinitionRecord:
    """Publish a draft: its working copy (else its content) is loaded again (a problem
    refuses it, each at its path, 422) and becomes the content in the same conditional
    update that changes the state, so what is published is exactly the revision read.

    With ``expected`` (``If-Match``), another revision refuses it (412 with the current
    state); without, a save in between makes it read the draft again."""
    model = ServiceDefinitionRecord
    for _attempt in range(_PUBLISH_ATTEMPTS):
        if (record.state, "published") not in TRANSITIONS:
            raise DomainError(
                "definition_state", kind="conflict", current=record.state, wanted="published"
            )
        _check_revision(record, expected)
        source = f"{record.service_id}@{record.version}"
        try:
            definition = parse_definition(editor_definition(record), source=source)
        except DefinitionError as exc:
            raise DomainError(
                "definition_invalid", field_errors=editor_problem_errors(exc.problems)
            ) from exc
        changes = {
            "working": None,
            **_content(definition),
            "state": "published",
            "published_at": utcnow(),
            "revision": record.revision + 1,
        }
        with db.atomic():
            changed = (
                model.update(changes)
                .where(
                    (model.id == record.id)
                    & (model.revision == record.revision)
                    & (model.state == "draft")
                )
                .execute()
            )
            if changed == 1:
                audit.record("definition_published", actor, "service", source, ip)
                on_commit(_changed_here)
                return model.get_by_id(record.id)
        record = model.get_by_id(record.id)
    raise EditConflict(record)


def change_state(
    record: ServiceDefinitionRecord, state: str, actor: User, ip: str = ""
) -> ServiceDefinitionRecord:
    """Retire a version (or publish one without checking it again; the console publishes
    through ``publish_draft``), following the allowed transitions. The change applies
    only to the state read and moves the revision, so an editor still open on the
    version learns of it at its next save."""
    if (record.state, state) not in TRANSITIONS:
        raise DomainError("definition_state", kind="conflict", current=record.state, wanted=state)
    stamp = "published_at" if state == "published" else "retired_at"
    model = ServiceDefinitionRecord
    with db.atomic():
        changed = (
            model.update({"state": state, stamp: utcnow(), "revision": model.revision + 1})
            .where((model.id == record.id) & (model.state == record.state))
            .execute()
        )
        if changed != 1:
            current = model.get_by_id(record.id)
            raise DomainError(
                "definition_state", kind="conflict", current=current.state, wanted=state
            )
        audit.record(
            f"definition_{state}", actor, "service", f"{record.service_id}@{record.version}", ip
        )
    on_commit(_changed_here)
    return model.get_by_id(record.id)
