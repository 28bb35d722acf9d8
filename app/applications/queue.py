"""The clerks' side: queues per service and status, search, assignment, notes.

Clerks see only their service areas; every look at an application's personal data is
written to the audit log. Queues page by keyset ((submitted_at, id) or (due_at, id);
the cursor says which), so a deep page costs the same as the first one.
"""

from __future__ import annotations

import base64
import functools
import heapq
import itertools
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import peewee
from peewee import Tuple

from app.accounts import audit
from app.accounts.users import staff_areas
from app.applications import definitions, lifecycle, references
from app.db import db, is_postgres, utcnow
from app.errors import DomainError, FieldError
from app.models import (
    Application,
    ApplicationEvent,
    Profile,
    ServiceDefinitionRecord,
    StaffArea,
    User,
)
from app.prepared import PreparedSelect
from app.service_definitions import workflow


def areas_of(user: User) -> list[str] | None:
    """The areas a user may work on; None means all (admins)."""
    if user.role == "admin":
        return None
    if user.role == "staff":
        return staff_areas(user)
    return []


def may_work_on(user: User, application: Application) -> bool:
    """Whether ``user`` is entitled to this application's personal data."""
    allowed = areas_of(user)
    return allowed is None or application.area in allowed


# What a clerk looks at. ``open``: every case still waiting for a decision (the
# workflow's statuses that are neither decided nor ended); ``mine``/``unassigned``:
# those assigned to the clerk / to nobody; ``overdue``: those past their due date;
# ``waiting``: those waiting for the citizen (a question to answer, a fee to pay);
# ``all``: every submitted case, decided ones included.
VIEWS = ("open", "mine", "unassigned", "overdue", "waiting", "all")
# Orders: by submission (oldest first) or by due date (earliest first).
SORTS = ("submitted", "due")


def encode_cursor(application: Application | QueueRow, sort: str = "submitted") -> str:
    """An opaque cursor pointing just after ``application`` in the order ``sort``."""
    stamp = application.due_at if sort == "due" else application.submitted_at
    raw = f"{sort}|{stamp.isoformat()}|{application.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        order, stamp, application_id = raw.split("|", 2)
        if order != sort:
            # A cursor of another order would skip or repeat cases.
            raise ValueError(order)
        return datetime.fromisoformat(stamp), application_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("after", "invalid_value")]
        ) from exc


# Every stored version's key, asked by queue pages.
_VERSION_KEYS = PreparedSelect(lambda: ServiceDefinitionRecord.select(*definitions.KEY_COLUMNS))
# Open and waiting statuses worked out for a set of stored versions (their keys): the
# set changes only when a version is stored or removed. Per name: (keys, when they were
# read, this process's catalogue changes then, statuses).
_statuses_of_versions: dict[str, tuple[tuple[tuple[int, str], ...], float, int, list[str]]] = {}
# How long statuses worked out from the stored versions serve without asking the
# database again (``CATALOGUE_RECHECK_MS``): a version stored by another process or node
# is seen within that time (before any case can be in one of its new statuses, which
# takes a submission), one stored by this process at once. 0: asked on every page.
_recheck_seconds = 0.0


def configure(config: dict[str, Any]) -> None:
    """Take the recheck time of the stored versions from the configuration."""
    global _recheck_seconds
    _recheck_seconds = config["CATALOGUE_RECHECK_MS"] / 1000


def _all_definitions() -> list[definitions.ServiceDefinition]:
    found = [
        definitions.by_key(ServiceDefinitionRecord(id=key, fingerprint=fingerprint))
        for key, fingerprint in _VERSION_KEYS.tuples()
    ]
    # Surveys have no workflow and never become cases.
    return [definition for definition in found if not definitions.is_survey(definition)]


def _remembered(name: str, work_out) -> list[str]:
    found = _statuses_of_versions.get(name)
    changes = definitions.changes_here()
    now = time.monotonic()
    if found is not None and found[2] == changes and now - found[1] < _recheck_seconds:
        return found[3]
    keys = tuple(sorted(_VERSION_KEYS.tuples()))
    if found is None or found[0] != keys:
        found = (keys, now, changes, work_out())
    else:
        found = (keys, now, changes, found[3])
    _statuses_of_versions[name] = found
    return found[3]


def open_statuses() -> list[str]:
    """Workflow statuses of any stored definition in which a case waits for a decision
    (neither decided nor ended), in a stable order."""

    def work_out() -> list[str]:
        found: set[str] = set()
        for definition in _all_definitions():
            found.update(
                status
                for status in workflow.statuses(definition)
                if not workflow.is_decided(definition, status)
            )
        return sorted(found)

    return _remembered("open", work_out)


def waiting_statuses() -> list[str]:
    """Statuses in which a case waits for the citizen: a fee to pay, or a status the
    citizen moves on from (answering a question) other than by ending the case."""

    def work_out() -> list[str]:
        found = {"awaiting_payment"}
        for definition in _all_definitions():
            for row in definition.data["workflow"]["transitions"]:
                if row["actor"] == "citizen" and not workflow.is_terminal(definition, row["to"]):
                    found.add(row["from"])
        return sorted(found)

    return _remembered("waiting", work_out)


def effective_sort(view: str, status: str | None, sort: str) -> str:
    """The order a queue is listed in: by due date only where every listed case has
    one (cases still waiting for their fee, and ``all``, are listed by submission)."""
    if sort != "due":
        return "submitted"
    if status:
        return "submitted" if status in workflow.ENGINE_STATUSES else "due"
    return "submitted" if view in ("waiting", "all") else "due"


def _statuses_for(view: str, status: str | None) -> tuple[list[str] | None, bool]:
    """The statuses a view scans one by one (None: any), and whether it lists only cases
    awaiting a decision (``Application.awaiting_decision``, one partial index per area
    instead of a scan per area and open status)."""
    if status:
        return [status], False
    if view == "waiting":
        return waiting_statuses(), False
    if view == "all":
        return None, False
    return None, True


def queue(
    user: User,
    service_id: str | None = None,
    status: str | None = None,
    area: str | None = None,
    assigned_to: int | None = None,
    after: str | None = None,
    limit: int = 50,
    listing: bool = False,
    view: str = "all",
    sort: str = "submitted",
    now: datetime | None = None,
) -> list[Application] | list[QueueRow]:
    """Submitted applications the user may see in ``view``, in the order ``sort``
    (see ``effective_sort``); ``status`` narrows the view to one status.

    ``listing``: only the columns a queue page shows (``LISTING_COLUMNS``), not the
    answers, as plain rows (``QueueRow``) for showing, not models for changing.

    One ordered index scan per service area (and status), merged by the database, and
    the page's rows by their ids, all in one statement (``_page``).
    """
    if view not in VIEWS:
        raise DomainError("invalid_input", field_errors=[FieldError("view", "invalid_value")])
    allowed = areas_of(user)
    if area:
        if allowed is not None and area not in allowed:
            return []
        areas = [area]
    elif allowed is None:
        areas = [row.area for row in Application.select(Application.area).distinct()]
    else:
        areas = allowed
    order = effective_sort(view, status, sort)
    cursor = _decode_cursor(after, order) if after else None
    if view == "mine":
        assigned_to = user.id
    statuses, awaiting = _statuses_for(view, status)
    conditions = _Conditions(
        service_id=service_id,
        assigned_to=assigned_to,
        unassigned=view == "unassigned",
        overdue_at=(now or utcnow()) if view == "overdue" else None,
        cursor=cursor,
        listing=listing,
        order=order,
        awaiting=awaiting,
    )
    parts = [
        (name, one_status)
        for name in sorted(set(areas))
        for one_status in (statuses if statuses is not None else [None])
    ]
    return _page(parts, conditions, limit)


@dataclass(frozen=True)
class _Conditions:
    service_id: str | None
    assigned_to: int | None
    unassigned: bool
    overdue_at: datetime | None
    cursor: tuple[datetime, str] | None
    listing: bool
    order: str
    awaiting: bool = False


# (service, status, assignee, unassigned, overdue, cursor, order, awaiting a decision)
_Shape = tuple[bool, bool, bool, bool, bool, bool, str, bool]


def _area_keys_query(
    area: Any = None,
    service_id: Any = None,
    status: Any = None,
    assigned_to: Any = None,
    overdue_at: Any = None,
    cursor_at: Any = None,
    cursor_id: Any = None,
    limit: Any = None,
    *,
    shape: _Shape,
) -> peewee.ModelSelect:
    """The sort key and id of the first ``limit`` cases of one area (and status), in
    order: one ordered index scan."""
    by_service, by_status, by_assignee, unassigned, overdue, after_cursor, order, awaiting = shape
    sort_column = Application.due_at if order == "due" else Application.submitted_at
    query = Application.select(sort_column, Application.id).where(
        (Application.area == area) & Application.submitted_at.is_null(False)
    )
    if awaiting:
        # The bare column, as the partial indexes' condition says it (migration v0037).
        query = query.where(Application.awaiting_decision)
    if order == "due":
        query = query.where(Application.due_at.is_null(False))
    if by_service:
        query = query.where(Application.service_id == service_id)
    if by_status:
        query = query.where(Application.status == status)
    if by_assignee:
        query = query.where(Application.assigned_to == assigned_to)
    if unassigned:
        query = query.where(Application.assigned_to.is_null(True))
    if overdue:
        query = query.where(Application.due_at < overdue_at)
    if after_cursor:
        # A row-value comparison lets both databases continue the index scan at the cursor.
        query = query.where(Tuple(sort_column, Application.id) > Tuple(cursor_at, cursor_id))
    return query.order_by(sort_column, Application.id).limit(limit)


# One prepared statement per combination of filters (building them cost more than
# running them).
_area_keys: dict[_Shape, PreparedSelect] = {}
# What a queue page shows of each application (answers are large and not shown).
LISTING_COLUMNS = (
    Application.id,
    Application.reference,
    Application.service_id,
    Application.definition,
    Application.area,
    Application.status,
    Application.applicant_name,
    Application.submitted_at,
    Application.assigned_to,
    Application.fee_cents,
    Application.citizen_replied_at,
    Application.due_at,
)


def _shape_of(conditions: _Conditions, by_status: bool) -> _Shape:
    return (
        bool(conditions.service_id),
        by_status,
        conditions.assigned_to is not None,
        conditions.unassigned,
        conditions.overdue_at is not None,
        conditions.cursor is not None,
        conditions.order,
        conditions.awaiting,
    )


def _placeholder_names(shape: _Shape) -> list[str]:
    """The values a part's statement of this shape binds."""
    used = {
        "area": True,
        "service_id": shape[0],
        "status": shape[1],
        "assigned_to": shape[2],
        "overdue_at": shape[4],
        "cursor_at": shape[5],
        "cursor_id": shape[5],
        "limit": True,
    }
    return [name for name, wanted in used.items() if wanted]


def _values_of(conditions: _Conditions, limit: int) -> dict[str, Any]:
    cursor_at, cursor_id = conditions.cursor if conditions.cursor else (None, None)
    return {
        "service_id": conditions.service_id,
        "assigned_to": conditions.assigned_to,
        "overdue_at": conditions.overdue_at,
        "cursor_at": cursor_at,
        "cursor_id": cursor_id,
        "limit": limit,
    }


def _area_keys_of(shape: _Shape) -> PreparedSelect:
    prepared = _area_keys.get(shape)
    if prepared is None:
        prepared = _area_keys[shape] = PreparedSelect(
            functools.partial(_area_keys_query, shape=shape), *_placeholder_names(shape)
        )
    return prepared


def _area_statements(
    parts: list[tuple[str, str | None]], conditions: _Conditions, limit: int
) -> list[tuple[str, list[Any]]]:
    """Each part's statement and values. The shape and the shared values are worked out
    once per page, not once per part: a clerk for every area has fifteen parts."""
    values = _values_of(conditions, limit)
    by_status = {flag: _area_keys_of(_shape_of(conditions, flag)) for flag in (False, True)}
    return [
        by_status[bool(status)].statement(area=area, status=status, **values)
        for area, status in parts
    ]


def _first_ids(
    parts: list[tuple[str, str | None]], conditions: _Conditions, limit: int
) -> list[str]:
    """The ids of the first ``limit`` cases over all ``parts`` (area, status), in order.

    Each part is one ordered index scan that stops after ``limit`` rows; the database
    merges them in one statement (``UNION ALL`` of the scans, ordered by the sort key and
    id, limited), so only the page's keys come back, in one round trip however many
    areas and statuses a view spans. A single query over several areas would instead
    sort all their rows, which at a million applications is slow.
    """
    if not parts:
        return []
    if len(parts) > _MAX_PARTS:
        # SQLite allows 500 members in one compound select: merge chunks here.
        chunks = [
            _first_keys(parts[start : start + _MAX_PARTS], conditions, limit)
            for start in range(0, len(parts), _MAX_PARTS)
        ]
        merged = heapq.merge(*chunks)
        return [key[1] for key in itertools.islice(merged, limit)]
    return [key[1] for key in _first_keys(parts, conditions, limit)]


# Members of one UNION ALL at most (SQLite's own limit is 500).
_MAX_PARTS = 200


class _Slot(NamedTuple):
    """Stands for a page's own value (the limit, the cursor …) while a compound
    statement's parameters are worked out once, so that later pages only fill them in."""

    name: str


# (parts, shape, placeholder) -> the compound statement's SQL, its parameters with a
# ``_Slot`` where a page's own value goes, and those slots' positions. Area sets and
# shapes stay few; the bound keeps odd use from growing it.
_compound: dict[tuple[Any, ...], tuple[str, list[Any], list[tuple[int, str]]]] = {}
_MAX_COMPOUND = 256

# Where the page's ids go in the statement of its rows.
_PAGE = "__page__"
# The rows of a page, per kind of row and order, their ids spliced in as a subquery.
_page_rows = {
    (listing, order): PreparedSelect(
        lambda listing=listing, order=order: (
            Application.select(*(LISTING_COLUMNS if listing else ()))
            .where(Application.id.in_(peewee.SQL(_PAGE)))
            .order_by(
                Application.due_at if order == "due" else Application.submitted_at,
                Application.id,
            )
        )
    )
    for listing in (False, True)
    for order in SORTS
}


def _page(
    parts: list[tuple[str, str | None]], conditions: _Conditions, limit: int
) -> list[Application] | list[QueueRow]:
    """The first ``limit`` cases over ``parts`` (area, status), in order, in one
    statement: the page's keys (``_keys_statement``, see ``_first_ids``) as a subquery
    of its rows, which the database orders as it ordered the keys, so the cursor
    continues from the last row."""
    if not parts:
        return []
    if len(parts) > _MAX_PARTS:
        return _rows_by_id(_first_ids(parts, conditions, limit), conditions.listing)
    keys, params = _keys_statement(parts, conditions, limit)
    prepared = _page_rows[(conditions.listing, conditions.order)]
    page = f'SELECT "id" FROM ({keys}) AS "page"'  # noqa: S608 - placeholders only
    # PostgreSQL would join a subquery by hashing, reading the whole table; as an array
    # worked out first, the page's ids are looked up by the primary key.
    sql = prepared.sql().replace(
        f"IN {_PAGE}", f"= ANY (ARRAY({page}))" if is_postgres() else f"IN ({page})", 1
    )
    if conditions.listing:
        return list(map(QueueRow._make, prepared.tuples_of(sql, params)))
    return prepared.rows_of(sql, params)


def _first_keys(
    parts: list[tuple[str, str | None]], conditions: _Conditions, limit: int
) -> list[tuple[Any, str]]:
    """``(sort key, id)`` of the first ``limit`` cases over ``parts``, in order."""
    sql, params = _keys_statement(parts, conditions, limit)
    return [tuple(row) for row in db.execute_sql(sql, params).fetchall()]


def _keys_statement(
    parts: list[tuple[str, str | None]], conditions: _Conditions, limit: int
) -> tuple[str, list[Any]]:
    """The statement of ``_first_keys``: SQL and parameters."""
    if is_postgres() and len(parts) > 1:
        return _lateral_keys_statement(parts, conditions, limit)
    if len(parts) == 1:
        return _area_statements(parts, conditions, limit)[0]
    values = _values_of(conditions, limit)
    key = (tuple(parts), _shape_of(conditions, False), db.obj.param)
    compiled = _compound.get(key)
    if compiled is None:
        compiled = _compound_statement(parts, conditions, list(values))
        if len(_compound) >= _MAX_COMPOUND:
            _compound.clear()
        _compound[key] = compiled
    sql, params, slots = compiled
    params = list(params)
    for position, name in slots:
        params[position] = values[name]
    return sql, params


def _compound_statement(
    parts: list[tuple[str, str | None]], conditions: _Conditions, names: list[str]
) -> tuple[str, list[Any], list[tuple[int, str]]]:
    """The ``UNION ALL`` of the parts' scans, with ``_Slot``s for the values ``names``."""
    slots = {name: _Slot(name) for name in names}
    by_status = {flag: _area_keys_of(_shape_of(conditions, flag)) for flag in (False, True)}
    statements = [
        by_status[bool(status)].statement(area=area, status=status, **slots)
        for area, status in parts
    ]
    # Every part is peewee's SQL with placeholders; values are bound, never inlined.
    scans = " UNION ALL ".join(
        f"SELECT * FROM ({part}) AS p{number}"  # noqa: S608
        for number, (part, _params) in enumerate(statements)
    )
    # Ordered by position (the sort key, then the id, as within each scan) outside the
    # compound: SQLite then sorts the few rows the scans return once, where an ORDER BY
    # on the compound itself has it merge them, sorting each scan's rows again first.
    sql = f"SELECT * FROM ({scans}) ORDER BY 1, 2 LIMIT {db.obj.param}"  # noqa: S608
    params = [value for _part, part_values in statements for value in part_values]
    params.append(slots["limit"])
    positions = [(index, value.name) for index, value in enumerate(params) if type(value) is _Slot]
    return sql, params, positions


# The part's (area, status) as columns of the unnested arrays in the statement below.
_PART_COLUMNS = {"area": peewee.SQL('"k"."area"'), "status": peewee.SQL('"k"."status"')}
# Lateral statements per shape: (the part's statement, its SQL with the arrays around).
_lateral: dict[_Shape, tuple[PreparedSelect, str]] = {}


def _lateral_keys_statement(
    parts: list[tuple[str, str | None]], conditions: _Conditions, limit: int
) -> tuple[str, list[Any]]:
    """``_keys_statement`` on PostgreSQL: the same ordered index scan per part, run for
    each (area, status) of two arrays by a lateral join and merged in order.

    A ``UNION ALL`` of fifteen scans takes PostgreSQL longer to plan (1.6 ms) than to
    run; this statement's text is the same however many parts a page spans, and its
    plan is one scan repeated."""
    by_status = parts[0][1] is not None
    shape = _shape_of(conditions, by_status)
    found = _lateral.get(shape)
    if found is None:
        names = [n for n in _placeholder_names(shape) if n not in _PART_COLUMNS]
        part = PreparedSelect(
            functools.partial(_lateral_part_query, shape=shape, by_status=by_status), *names
        )
        arrays = (
            'unnest(%s::text[], %s::text[]) AS "k"("area", "status")'
            if by_status
            else 'unnest(%s::text[]) AS "k"("area")'
        )
        sql = (
            f'SELECT "p".* FROM {arrays} CROSS JOIN LATERAL ({part.sql()}) AS "p" '  # noqa: S608
            "ORDER BY 1, 2 LIMIT %s"
        )
        found = _lateral[shape] = (part, sql)
    part, sql = found
    _inner_sql, inner = part.statement(**_values_of(conditions, limit))
    arrays_params: list[Any] = [[area for area, _status in parts]]
    if by_status:
        arrays_params.append([status for _area, status in parts])
    return sql, [*arrays_params, *inner, limit]


def _lateral_part_query(shape: _Shape, by_status: bool, **placeholders: Any) -> peewee.ModelSelect:
    part_columns = _PART_COLUMNS if by_status else {"area": _PART_COLUMNS["area"]}
    return _area_keys_query(**part_columns, **placeholders, shape=shape)


class QueueRow(NamedTuple):
    """A row of a queue page (``queue(listing=True)``): the columns ``LISTING_COLUMNS``
    select, in that order. A page shows dozens; a plain row costs a fraction of a
    model."""

    id: str
    reference: str
    service_id: str
    definition_id: int
    area: str
    status: str
    applicant_name: str
    submitted_at: datetime
    assigned_to_id: int | None
    fee_cents: int
    citizen_replied_at: datetime | None
    due_at: datetime | None


# Fail at load time when the listed columns and the row's fields part ways.
if tuple(column.column_name for column in LISTING_COLUMNS) != QueueRow._fields:
    raise RuntimeError("QueueRow's fields must follow LISTING_COLUMNS")


def definition_of(row: Application | QueueRow) -> definitions.ServiceDefinition:
    """The definition version of a queue row or of an application."""
    if type(row) is QueueRow:
        return definitions.by_id(row.definition_id)
    return definitions.of_application(row)


# Rows by id, one statement per number of ids and kind of row.
_by_ids: dict[tuple[int, bool], PreparedSelect] = {}


def _rows_by_id(ids: list[str], listing: bool) -> list[Application] | list[QueueRow]:
    """The applications ``ids`` in that order (``listing``: the queue page's columns,
    as plain rows)."""
    if not ids:
        return []
    key = (len(ids), listing)
    prepared = _by_ids.get(key)
    if prepared is None:
        names = [f"id{number}" for number in range(len(ids))]

        def build(**placeholders: Any) -> peewee.ModelSelect:
            return Application.select(*(LISTING_COLUMNS if listing else ())).where(
                Application.id.in_([placeholders[name] for name in names])
            )

        prepared = _by_ids[key] = PreparedSelect(build, *names)
    values = {f"id{number}": value for number, value in enumerate(ids)}
    position = {value: number for number, value in enumerate(ids)}
    if listing:
        found = list(map(QueueRow._make, prepared.tuples(**values)))
        return sorted(found, key=lambda row: position[row.id])
    rows = prepared.rows(**values)
    return sorted(rows, key=lambda application: position[application.id])


def search(user: User, text: str, limit: int = 20) -> list[Application]:
    """Find by reference (exact, typo-checked) or by applicant name (prefix)."""
    text = (text or "").strip()
    if not text:
        return []
    allowed = areas_of(user)
    query = Application.select().where(Application.submitted_at.is_null(False))
    if allowed is not None:
        query = query.where(Application.area.in_(allowed or [""]))
    reference = references.normalise(text)
    if reference:
        return list(query.where(Application.reference == reference).limit(1))
    if len(text) < 2:
        return []
    return list(
        query.where(Application.applicant_name.startswith(text))
        .order_by(Application.applicant_name, Application.id)
        .limit(limit)
    )


def entitled_to(user: User, key: str) -> Application:
    """An application by reference or id the user may work on (no audit entry: for
    answers that hold no personal data, such as who may be assigned)."""
    reference = references.normalise(key)
    application = Application.get_or_none(
        (Application.reference == reference) if reference else (Application.id == key)
    )
    if (
        application is None
        or application.submitted_at is None
        or not may_work_on(user, application)
    ):
        # Not entitled looks the same as not there: clerks cannot probe other areas.
        raise DomainError("not_found", kind="not_found")
    return application


def open_for(user: User, key: str, ip: str = "") -> Application:
    """An application by reference or id for a clerk; logs the access to personal data."""
    application = entitled_to(user, key)
    audit.record(
        "personal_data_viewed",
        user,
        "application",
        application.id,
        ip,
        reference=application.reference,
    )
    return application


def assign(
    user: User, application: Application, assignee_id: int | None, ip: str = ""
) -> Application:
    """Give the application to a clerk of its area (or to nobody)."""
    assignee = None
    if assignee_id is not None:
        assignee = User.get_or_none(User.id == assignee_id)
        if (
            assignee is None
            or assignee.closed_at is not None
            or assignee.deactivated_at is not None
            or not may_work_on(assignee, application)
            or assignee.role not in ("staff", "admin")
        ):
            raise DomainError(
                "invalid_input", field_errors=[FieldError("assignee_id", "assignee_not_entitled")]
            )
    application.assigned_to = assignee
    application.save(only=[Application.assigned_to])
    lifecycle.record_event(
        application,
        "assigned",
        user,
        "staff",
        message=assignee.email if assignee else "",
        internal=True,
    )
    audit.record(
        "application_assigned", user, "application", application.id, ip, assignee=assignee_id
    )
    return application


def colleagues(area: str) -> list[dict[str, Any]]:
    """Who may work on cases of ``area``: its staff and the admins (open accounts
    only), with name and e-mail address and nothing more, sorted by address."""
    in_area = StaffArea.select(StaffArea.user).where(StaffArea.area == area)
    people = (
        User.select(User.id, User.email, User.role, Profile.given_names, Profile.family_name)
        .join(Profile, peewee.JOIN.LEFT_OUTER, on=(Profile.user == User.id))
        .where(
            User.closed_at.is_null(True)
            & ((User.role == "admin") | ((User.role == "staff") & User.id.in_(in_area)))
        )
        .order_by(User.email)
        .objects()
    )
    return [
        {
            "id": person.id,
            "email": person.email,
            "name": " ".join(n for n in (person.given_names, person.family_name) if n) or "",
            "role": person.role,
        }
        for person in people
    ]


def add_note(user: User, application: Application, text: str) -> ApplicationEvent:
    """An internal note: clerks see it, the citizen never does."""
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise DomainError("invalid_input", field_errors=[FieldError("text", "note_length")])
    return lifecycle.record_event(application, "note", user, "staff", message=text, internal=True)
