"""Hot select statements built once per database kind and run with new values.

Building a peewee query (walking its expression tree into SQL) costs more than running
a short indexed one; on paths asked hundreds of times a second that is most of the
request. A :class:`PreparedSelect` builds its query once per kind of bound database
with named placeholders, keeps the SQL, and on each call only binds the values and
turns the rows into models exactly as the query would.

Values are bound as given, without a field's conversion: pass what the column stores
(a foreign key's id, not the model).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import peewee

from app.db import db


class _Slot:
    """Marks where a named value goes in the built statement's parameters."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


@dataclass(frozen=True)
class _Built:
    query: peewee.ModelSelect
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]
    # True when every selected column is the model's own, though the query joins others
    # (to filter or order by them): its rows can skip peewee's join-aware row building.
    own_columns_only: bool


class PreparedSelect:
    """A model select statement whose SQL is built once per database kind.

    ``build`` receives one placeholder per name in ``names`` (as keyword arguments) and
    returns the query; use each placeholder where a value goes, e.g.
    ``Model.field == token_hash``.
    """

    def __init__(self, build: Callable[..., peewee.ModelSelect], *names: str) -> None:
        self._build = build
        self._names = names
        self._by_kind: dict[type, _Built] = {}

    def _prepare(self, kind: type) -> _Built:
        markers = {name: _Slot(name) for name in self._names}
        placeholders = {name: peewee.Value(m, converter=False) for name, m in markers.items()}
        query = self._build(**placeholders)
        sql, params = query.sql()
        slots = tuple(
            (index, value.name) for index, value in enumerate(params) if isinstance(value, _Slot)
        )
        missing = set(self._names) - {name for _index, name in slots}
        if missing:
            raise ValueError(f"the query uses no placeholder for {sorted(missing)}")
        own_columns_only = bool(query._joins) and all(
            isinstance(column, peewee.Field) and column.model is query.model
            for column in query._returning
        )
        built = _Built(query, sql, tuple(params), slots, own_columns_only)
        # Two threads may build it at once; both results are the same.
        self._by_kind[kind] = built
        return built

    def rows(self, **values: Any) -> list[Any]:
        """The query's rows as models (with joined models attached), for ``values``."""
        kind = type(db.obj)
        built = self._by_kind.get(kind) or self._prepare(kind)
        params = list(built.params)
        for index, name in built.slots:
            params[index] = values[name]
        cursor = db.execute_sql(built.sql, params)
        if built.own_columns_only:
            # The same models the join-aware wrapper would make, at a fraction of its
            # cost per row: there are no joined models to attach.
            model = built.query.model
            wrapper = peewee.ModelObjectCursorWrapper(cursor, model, built.query._returning, model)
            return list(wrapper)
        # The query's own cursor wrapper makes the models, as iterating it would.
        return list(built.query._get_cursor_wrapper(cursor))

    def first(self, **values: Any) -> Any | None:
        """The first row as a model, or None."""
        found = self.rows(**values)
        return found[0] if found else None
