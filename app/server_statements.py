"""Hot statements prepared once per PostgreSQL connection and then only executed.

PostgreSQL parses and plans every statement it is sent. For the short, indexed
statements of the hot paths (a citizen's lists, the clerk's queue page, a pass check)
that is most of the server's work: the inbox's thread list takes 0.23 ms to plan and
0.16 ms to run. A statement prepared on the connection (``PREPARE``) is planned
once; each request then sends ``EXECUTE name(values)``. Measured on the benchmark's
data, one round trip each: own applications 345 → 220 µs, thread list 693 → 282 µs,
queue page 827 → 518 µs, pass check 364 → 205 µs.

The parameter types are declared from the first values (``int`` → ``bigint``, ``str``
→ ``text``, …), so an expression PostgreSQL could not type from context alone (a
constant in ``SUM(CASE … THEN $1 …)``) still prepares. Statements with a value of no
clear type (``None``), statements inside a transaction (a failed ``PREPARE`` would
abort it) and statements PostgreSQL refuses to prepare run as before.

Connection poolers in transaction mode (PgBouncer before 1.21, and with any version
for SQL-level ``PREPARE``) hand a client's statements to different server
connections: set ``DATABASE_SERVER_PREPARE=0`` there.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import threading
import weakref
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import peewee

from app.db import db, in_transaction

log = logging.getLogger(__name__)

# ``%s`` marks a value in peewee's SQL for psycopg2; ``%%`` is a literal percent sign.
_MARKS = re.compile(r"%%|%s")
_SCALAR_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int
    (int, "bigint"),
    (str, "text"),
    (datetime, "timestamp"),  # before date: a datetime is a date
    (date, "date"),
    (float, "double precision"),
    (Decimal, "numeric"),
    (bytes, "bytea"),
)
# The same, looked up by a value's own class (subclasses go the long way above).
_EXACT_TYPES: dict[type, str] = dict(_SCALAR_TYPES)

# (SQL, declared types) -> the statement's name on every connection.
_names: dict[tuple[str, str], str] = {}
# The statement's name -> its SQL (for reading what was executed, as in tests' counts).
_sql_of: dict[str, str] = {}
# Statements PostgreSQL would not prepare: run as they are from then on.
_refused: set[tuple[str, str]] = set()
# Connection -> names prepared on it. Weak: a connection the pool closes takes its
# statements with it, and a new one (even at the same address) starts empty.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
# Marks a connection whose plan cache mode is set (see ``execute``).
_GENERIC = "plan_cache_mode"


def execute(sql: str, params: list[Any]) -> Any:
    """Run ``sql`` with ``params`` on the bound database, as a statement prepared on
    the connection where that is possible and enabled; returns the cursor."""
    database = db.obj
    if not getattr(database, "server_prepare", False) or in_transaction():
        return db.execute_sql(sql, params)
    types = _declared_types(params)
    if types is None or (sql, types) in _refused:
        return db.execute_sql(sql, params)
    key = (sql, types)
    name = _names.get(key)
    if name is None:
        digest = hashlib.sha256(f"{types}\0{sql}".encode()).hexdigest()[:24]
        name = _names.setdefault(key, f"portal_{digest}")
        _sql_of[name] = sql
    connection = database.connection()
    with _lock:
        done = _prepared.setdefault(connection, set())
    if _GENERIC not in done:
        done.add(_GENERIC)
        # PostgreSQL plans a prepared statement afresh on each run while it guesses the
        # values' plan cheaper than the one for any values: an array of a clerk's areas
        # counts as ten rows for any values, so seven areas were planned on every page
        # (0.24 ms, more than running it). These statements are short indexed reads
        # whose plan does not depend on the values: plan them once. Only prepared
        # statements follow this setting.
        with contextlib.suppress(peewee.DatabaseError):
            db.execute_sql("SET plan_cache_mode = force_generic_plan")
    if name not in done:
        try:
            # Without parameters PostgreSQL wants no list at all (``()`` is an error).
            declared = f" ({types})" if types else ""
            db.execute_sql(f"PREPARE {name}{declared} AS {_numbered(sql)}")
        except peewee.DatabaseError:
            log.warning("PostgreSQL did not prepare a statement; it runs as it is", exc_info=True)
            _refused.add(key)
            return db.execute_sql(sql, params)
        done.add(name)
    marks = ", ".join(["%s"] * len(params))
    try:
        return db.execute_sql(f"EXECUTE {name} ({marks})" if params else f"EXECUTE {name}", params)
    except peewee.DatabaseError:
        # Outside a transaction nothing was aborted. A table changed under the statement
        # (a column's type, say) or the server forgot it: prepare it afresh next time.
        done.discard(name)
        with contextlib.suppress(peewee.DatabaseError):
            db.execute_sql(f"DEALLOCATE {name}")
        return db.execute_sql(sql, params)


def executed_sql(statement: str) -> str | None:
    """The SQL behind ``EXECUTE name …`` as this module sends it; None for a
    ``PREPARE`` (once per connection); any other statement as it is."""
    if statement.startswith("PREPARE portal_"):
        return None
    if statement.startswith("EXECUTE portal_"):
        return _sql_of.get(statement.split()[1], statement)
    return statement


def _declared_types(params: list[Any]) -> str | None:
    """The parameters' PostgreSQL types, comma-separated; None if one has no clear type."""
    names = []
    for value in params:
        found = _type_of(value)
        if found is None:
            return None
        names.append(found)
    return ", ".join(names)


def _type_of(value: Any) -> str | None:
    exact = _EXACT_TYPES.get(type(value))
    if exact is not None:
        return exact
    if isinstance(value, list):  # psycopg2 sends a list as an ARRAY (a tuple as a row)
        # One pass over the items' classes: a page's arrays hold dozens of strings.
        classes = set(map(type, value))
        if len(classes) == 1:
            item = _EXACT_TYPES.get(classes.pop())
            if item is not None:
                return f"{item}[]"
        kinds = {_type_of(item) for item in value}
        if len(kinds) != 1 or None in kinds:
            return None  # empty, mixed or untyped: let PostgreSQL infer from context
        return f"{kinds.pop()}[]"
    for python_type, name in _SCALAR_TYPES:
        if isinstance(value, python_type):
            return name
    return None


def _numbered(sql: str) -> str:
    """peewee's SQL with ``$1``, ``$2``, … for its ``%s`` marks, as ``PREPARE`` wants it."""
    counter = iter(range(1, 1 << 16))

    def number(mark: re.Match[str]) -> str:
        return "%" if mark.group() == "%%" else f"${next(counter)}"

    return _MARKS.sub(number, sql)
