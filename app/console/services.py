"""The console's service list: every service with its versions, who did what to each
version and when (read from the audit log), and the admin's operations on them:
start from a template, import a YAML file, duplicate, a new draft from the newest
version, export as YAML, compare two versions, publish (checked again first).

Stored versions are changed only through ``app.applications.definitions``; this module
adds what the console needs around it. No HTTP here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml
from peewee import JOIN, fn

from app.accounts import audit
from app.applications import definitions
from app.db import db
from app.errors import DomainError, FieldError
from app.models import Application, AuditEvent, Profile, ServiceDefinitionRecord, User
from app.revisions import Revisions
from app.service_definitions import DefinitionError
from app.service_definitions.problems import Problem
from app.service_definitions.yaml_io import parse_yaml

# The audit actions that make up a version's history, in the words of the console.
HISTORY_ACTIONS = {
    "definition_created": "created",
    "definition_imported": "imported",
    "definition_duplicated": "duplicated",
    "definition_updated": "updated",
    "definition_published": "published",
    "definition_retired": "retired",
}

# Import files larger than this are not definitions (the biggest built-in is ~30 kB).
MAX_IMPORT_CHARS = 500_000


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to a version: what, when, by whom (None: the system)."""

    action: str
    at: datetime
    by: str | None


@dataclass
class VersionInfo:
    """One version as the console lists it."""

    version: int
    state: str
    area: str
    source: str
    title: dict[str, str]
    created_at: datetime
    created_by: str | None
    published_at: datetime | None
    retired_at: datetime | None
    applications: int
    history: list[HistoryEntry] = field(default_factory=list)

    def last(self, action: str) -> HistoryEntry | None:
        """The newest history entry of ``action``, if any."""
        found = [entry for entry in self.history if entry.action == action]
        return found[-1] if found else None

    @property
    def updated(self) -> HistoryEntry | None:
        return self.last("updated")

    @property
    def published(self) -> HistoryEntry | None:
        return self.last("published")

    @property
    def retired(self) -> HistoryEntry | None:
        return self.last("retired")


@dataclass
class ServiceInfo:
    """One service with all its versions, oldest first."""

    service_id: str
    title: dict[str, str]
    area: str
    versions: list[VersionInfo]
    # ``service`` or ``survey`` (a city survey), as its newest version says.
    kind: str = "service"


def _subject(service_id: str, version: int) -> str:
    return f"{service_id}@{version}"


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def services(service_id: str | None = None) -> list[ServiceInfo]:
    """Every service (or the one ``service_id``) with its versions and their histories.

    Costs three queries however many versions there are: the versions, the count of
    applications per version, the audit events about versions.
    """
    query = (
        ServiceDefinitionRecord.select(ServiceDefinitionRecord, User)
        .join(User, on=(ServiceDefinitionRecord.created_by == User.id), join_type=JOIN.LEFT_OUTER)
        .order_by(ServiceDefinitionRecord.service_id, ServiceDefinitionRecord.version)
    )
    if service_id is not None:
        query = query.where(ServiceDefinitionRecord.service_id == service_id)
    records = list(query)
    if service_id is not None and not records:
        raise DomainError("service_not_found", kind="not_found")
    ids = [record.id for record in records]
    counts = (
        dict(
            Application.select(Application.definition, fn.COUNT(Application.id))
            .where(Application.definition.in_(ids))
            .group_by(Application.definition)
            .tuples()
        )
        if ids
        else {}
    )
    histories = _histories({_subject(r.service_id, r.version) for r in records}, service_id)
    found: dict[str, ServiceInfo] = {}
    for record in records:
        subject = _subject(record.service_id, record.version)
        history = histories.get(subject, [])
        if not any(entry.action in ("created", "imported", "duplicated") for entry in history):
            # Built-in versions are stored (and published) by the start-up sync, which
            # audits nothing: the portal itself did it.
            history.insert(0, HistoryEntry("created", record.created_at, _email(record.created_by)))
            if record.published_at and not any(e.action == "published" for e in history):
                history.insert(1, HistoryEntry("published", record.published_at, None))
        info = VersionInfo(
            version=record.version,
            state=record.state,
            area=record.area,
            source=record.source,
            title=record.data.get("title") or {},
            created_at=record.created_at,
            created_by=_email(record.created_by),
            published_at=record.published_at,
            retired_at=record.retired_at,
            applications=counts.get(record.id, 0),
            history=history,
        )
        service = found.setdefault(
            record.service_id, ServiceInfo(record.service_id, info.title, info.area, [])
        )
        service.versions.append(info)
        # The service reads as its newest version does.
        service.title, service.area = info.title, info.area
        service.kind = "survey" if record.data.get("kind") == "survey" else "service"
    return list(found.values())


def _histories(subjects: set[str], service_id: str | None) -> dict[str, list[HistoryEntry]]:
    query = (
        AuditEvent.select(AuditEvent, User)
        .join(User, on=(AuditEvent.actor == User.id), join_type=JOIN.LEFT_OUTER)
        .where(
            (AuditEvent.subject_type == "service") & AuditEvent.action.in_(list(HISTORY_ACTIONS))
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    if service_id is not None:
        query = query.where(AuditEvent.subject_id.startswith(f"{service_id}@"))
    histories: dict[str, list[HistoryEntry]] = {}
    for event in query:
        if event.subject_id in subjects:
            histories.setdefault(event.subject_id, []).append(
                HistoryEntry(HISTORY_ACTIONS[event.action], event.at, _email(event.actor))
            )
    return histories


# --- YAML -----------------------------------------------------------------------------


# Keys a reader looks for first, in this order; the rest follow as stored. The database
# may keep a mapping's keys sorted, which would put ``id`` and ``type`` anywhere.
_FIRST_KEYS = (
    "id",
    "version",
    "leika",
    "type",
    "title",
    "label",
    "description",
    "category",
    "area",
    "trust_level",
)


def _readable(value: Any) -> Any:
    if isinstance(value, dict):
        first = [key for key in _FIRST_KEYS if key in value]
        rest = [key for key in value if key not in _FIRST_KEYS]
        return {key: _readable(value[key]) for key in first + rest}
    if isinstance(value, list):
        return [_readable(item) for item in value]
    return value


def to_yaml(record: ServiceDefinitionRecord) -> str:
    """A version as a definition file in the built-in files' format: the loader reads
    it back to the same definition (same fingerprint)."""
    header = (
        f"# {record.service_id}, version {record.version} ({record.state}), "
        "exported from the portal's console.\n"
    )
    body = yaml.safe_dump(
        _readable(record.data),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return header + body


def export(record: ServiceDefinitionRecord) -> tuple[str, str]:
    """``(file name, YAML text)`` of a version."""
    return f"{record.service_id}-v{record.version}.yaml", to_yaml(record)


# --- Problems -------------------------------------------------------------------------


def _refuse(problems: list[tuple[str, str]]) -> DomainError:
    return DomainError("definition_invalid", field_errors=definitions.problem_errors(problems))


def check(data: Any, source: str = "definition"):
    """The loaded definition, or a ``DomainError`` listing every problem by path, in
    German and English."""
    return definitions.parse_or_refuse(data, source)


# --- Operations -----------------------------------------------------------------------


def _newest(service_id: str) -> ServiceDefinitionRecord | None:
    return (
        ServiceDefinitionRecord.select()
        .where(ServiceDefinitionRecord.service_id == service_id)
        .order_by(ServiceDefinitionRecord.version.desc())
        .first()
    )


def _store_draft(
    data: dict[str, Any], action: str, actor: User, ip: str, **details: Any
) -> ServiceDefinitionRecord:
    definition = check(data)
    definitions.require_same_kind(definition.id, data, definition.version)
    with db.atomic():
        record = definitions.store_draft(definition, actor)
        audit.record(
            action, actor, "service", _subject(definition.id, definition.version), ip, **details
        )
    return record


def template(service_id: str, title: dict[str, str], area: str) -> dict[str, Any]:
    """The smallest definition that loads: one step, one text field, no fee, the
    standard workflow. The admin builds the real form from here."""
    return {
        "id": service_id,
        "version": 1,
        "title": dict(title),
        "description": {"de": title["de"], "en": title["en"]},
        "category": area,
        "area": area,
        "trust_level": "basic",
        "steps": [
            {
                "id": "request",
                "title": {"de": "Ihr Anliegen", "en": "Your request"},
                "fields": [
                    {
                        "id": "request_text",
                        "type": "text",
                        "required": True,
                        "label": {"de": "Ihr Anliegen", "en": "Your request"},
                    }
                ],
            }
        ],
        "payment": {"policy": "none"},
        "workflow": "standard",
    }


def survey_template(service_id: str, title: dict[str, str], area: str) -> dict[str, Any]:
    """The smallest survey that loads: one step with one question with five answers,
    answered without an account, once per device, not published until the admin does."""
    return {
        "id": service_id,
        "kind": "survey",
        "version": 1,
        "title": dict(title),
        "description": {"de": title["de"], "en": title["en"]},
        "category": area,
        "area": area,
        "trust_level": "basic",
        "survey": {
            "anonymous": True,
            "one_answer_per": "device",
            "banner": {"de": title["de"], "en": title["en"]},
        },
        "steps": [
            {
                "id": "questions",
                "title": {"de": "Ihre Meinung", "en": "Your opinion"},
                "fields": [
                    {
                        "id": "opinion",
                        "type": "radio",
                        "required": True,
                        "label": {"de": "Wie finden Sie das?", "en": "What do you think?"},
                        "options": [
                            {"value": value, "label": {"de": de, "en": en}}
                            for value, de, en in (
                                ("very_good", "Sehr gut", "Very good"),
                                ("good", "Gut", "Good"),
                                ("neutral", "Teils, teils", "So-so"),
                                ("bad", "Schlecht", "Bad"),
                                ("very_bad", "Sehr schlecht", "Very bad"),
                            )
                        ],
                    }
                ],
            }
        ],
    }


_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def _require_new_id(service_id: str, field_name: str = "service_id") -> None:
    if not _SLUG.match(service_id):
        raise DomainError(
            "invalid_input", field_errors=[FieldError(field_name, "service_id_format")]
        )
    if _newest(service_id) is not None:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError(field_name, "service_id_taken", {"service_id": service_id})],
        )


def create_from_template(
    service_id: str,
    title: dict[str, str],
    area: str,
    actor: User,
    ip: str = "",
    kind: str = "service",
) -> ServiceDefinitionRecord:
    """A new service (``kind="survey"``: a city survey) as a draft from the minimal
    template."""
    _require_new_id(service_id)
    if not _SLUG.match(area):
        raise DomainError("invalid_input", field_errors=[FieldError("area", "service_id_format")])
    build = survey_template if kind == "survey" else template
    return _store_draft(build(service_id, title, area), "definition_created", actor, ip)


def duplicate(
    record: ServiceDefinitionRecord,
    service_id: str,
    title: dict[str, str],
    actor: User,
    ip: str = "",
) -> ServiceDefinitionRecord:
    """A copy of a version as version 1 of a new service, as a draft."""
    _require_new_id(service_id)
    data = yaml.safe_load(yaml.safe_dump(record.data))  # a deep, plain copy
    data.update(id=service_id, version=1, title=dict(title))
    return _store_draft(
        data,
        "definition_duplicated",
        actor,
        ip,
        source=_subject(record.service_id, record.version),
    )


def new_draft(service_id: str, actor: User, ip: str = "") -> ServiceDefinitionRecord:
    """A new draft version with the newest version's content."""
    newest = _newest(service_id)
    if newest is None:
        raise DomainError("service_not_found", kind="not_found")
    data = yaml.safe_load(yaml.safe_dump(newest.data))
    data["version"] = newest.version + 1
    return _store_draft(
        data, "definition_created", actor, ip, source=_subject(service_id, newest.version)
    )


def import_yaml(
    text: str, actor: User, ip: str = "", *, new_version_confirmed: bool = False
) -> ServiceDefinitionRecord:
    """Store a definition file as a draft; problems (YAML, schema, loader) are listed by
    path and nothing is stored. A file whose id exists becomes that service's next
    version, but only once the admin confirmed it (else ``definition_exists``)."""
    if len(text) > MAX_IMPORT_CHARS:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("text", "import_too_large", {"max": MAX_IMPORT_CHARS})],
        )
    try:
        data = parse_yaml(text, "import")
    except DefinitionError as exc:
        raise _refuse(exc.problems) from exc
    definition = check(data, "import")
    newest = _newest(definition.id)
    data = definition.as_dict()
    if newest is not None:
        if not new_version_confirmed:
            raise DomainError(
                "definition_exists",
                kind="conflict",
                field_errors=[
                    FieldError(
                        "service_id",
                        "definition_exists",
                        {"service_id": definition.id, "version": newest.version + 1},
                    )
                ],
                service_id=definition.id,
                version=newest.version + 1,
            )
        data["version"] = newest.version + 1
    return _store_draft(data, "definition_imported", actor, ip)


def publish(
    record: ServiceDefinitionRecord,
    actor: User,
    ip: str = "",
    expected: Revisions | None = None,
) -> ServiceDefinitionRecord:
    """Publish a draft after loading it (its working copy, if the editor saved one)
    again: a problem (an unfinished edit, a plugin no longer registered) refuses it,
    each problem named by its path. ``expected`` (``If-Match``) names the revision the
    admin saw: anything saved since refuses it (412), so nobody publishes a colleague's
    autosave unseen."""
    return definitions.publish_draft(record, actor, ip, expected)


# --- Diff -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: ``kind`` is ``added``, ``removed``, ``same`` or
    ``hunk`` (the ``@@`` line that says where the next lines are)."""

    kind: str
    text: str
    old: int | None = None
    new: int | None = None


def diff(old: ServiceDefinitionRecord, new: ServiceDefinitionRecord) -> list[DiffLine]:
    """The unified diff (three lines of context) from ``old``'s YAML to ``new``'s."""
    before = to_yaml(old).splitlines()[1:]  # without the header naming the version
    after = to_yaml(new).splitlines()[1:]
    lines: list[DiffLine] = []
    old_no = new_no = 0
    for line in list(difflib.unified_diff(before, after, lineterm="", n=3))[2:]:
        if line.startswith("@@"):
            head = line.split()
            old_no = int(head[1][1:].split(",")[0]) - 1
            new_no = int(head[2][1:].split(",")[0]) - 1
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            new_no += 1
            lines.append(DiffLine("added", line[1:], None, new_no))
        elif line.startswith("-"):
            old_no += 1
            lines.append(DiffLine("removed", line[1:], old_no, None))
        else:
            old_no += 1
            new_no += 1
            lines.append(DiffLine("same", line[1:], old_no, new_no))
    return lines


# --- The editor -----------------------------------------------------------------------


@dataclass(frozen=True)
class Editor:
    """A version as the console's editor opens it: what it shows (the working copy of a
    draft, else the content), its problems, its revision and who changed it last."""

    service_id: str
    version: int
    state: str
    revision: int
    definition: dict[str, Any]
    problems: list[Problem]
    changed_at: datetime | None
    changed_by: dict[str, Any] | None


def person(user: User | None) -> dict[str, Any] | None:
    """``{id, name}`` of an admin as the console names them: the profile's name, else
    the e-mail address."""
    if user is None:
        return None
    profile = Profile.get_or_none(Profile.user == user)
    name = " ".join(p for p in (profile.given_names, profile.family_name) if p) if profile else ""
    return {"id": user.id, "name": name or user.email}


def editor(record: ServiceDefinitionRecord, problems: list[Problem] | None = None) -> Editor:
    """The editor's view of ``record``; ``problems`` when the caller has them already."""
    shown = definitions.editor_definition(record)
    return Editor(
        service_id=record.service_id,
        version=record.version,
        state=record.state,
        revision=record.revision,
        definition=shown,
        problems=definitions.problems_of(shown) if problems is None else problems,
        changed_at=record.changed_at,
        changed_by=person(record.changed_by),
    )
