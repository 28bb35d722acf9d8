"""Hot select statements built once per database kind and run with new values.

Building a peewee query (walking its expression tree into SQL) costs more than running
a short indexed one; on paths asked hundreds of times a second that is most of the
request. A :class:`PreparedSelect` builds its query once per kind of bound database
with named placeholders, keeps the SQL, and on each call only binds the values and
turns the rows into models exactly as the query would.

Turning rows into models is the other half of the cost: peewee's cursor wrappers work
out, for every row, which model each column belongs to and set every value through
the field's descriptor. Where a query has a plain shape (its own columns, and columns
of models joined along a foreign key of a selected model) the same models are made
from a plan worked out once: each column's model, field name and converter (none for
columns the driver already returns as the field would), and which joined model to
attach under which foreign key. Any other shape goes through peewee's own wrapper.

Values are bound as given, without a field's conversion: pass what the column stores
(a foreign key's id, not the model).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import peewee

from app import server_statements
from app.db import db

# Before the first row of ``joined_tuples``: no parent yet.
_NO_PARENT = object()


class _Slot:
    """Marks where a named value goes in the built statement's parameters."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


# Fields whose python_value returns what the database driver hands over unchanged
# (text as str, integers as int, on SQLite and PostgreSQL alike): their converter is
# skipped. Exact types only, so a subclass with its own conversion keeps it.
_AS_STORED = frozenset(
    {
        peewee.CharField,
        peewee.TextField,
        peewee.IntegerField,
        peewee.BigIntegerField,
        peewee.SmallIntegerField,
        peewee.AutoField,
        peewee.BigAutoField,
    }
)


def _temporal(
    field: peewee.Field, parse: Callable[[str], Any], lengths: tuple[int, ...], kept: type
):
    """The field's python_value with a short way for what the portal stores: SQLite
    returns timestamps and days as ISO text (``2026-12-05 09:30:00.123456``,
    ``2026-12-05``), which the field would parse with ``fromisoformat`` too; PostgreSQL
    returns datetime and date objects, which the field returns as they are (``kept``:
    the type it keeps; NULL stays None)."""
    convert = field.python_value

    def python_value(value: Any) -> Any:
        if type(value) is not str:
            if value is None or type(value) is kept:
                return value
            return convert(value)
        if len(value) in lengths and value[10:11] in (" ", ""):
            try:
                return parse(value)
            except ValueError:
                pass
        return convert(value)

    return python_value


def _converter(field: peewee.Field) -> Callable[[Any], Any] | None:
    """The field's python_value, or None where it would return the value as it is."""
    target = field
    while isinstance(target, peewee.ForeignKeyField):
        target = target.rel_field
    kind = type(target)
    if kind in _AS_STORED:
        return None
    if kind is peewee.DateTimeField:
        return _temporal(field, datetime.fromisoformat, (19, 26), datetime)
    if kind is peewee.DateField:
        return _temporal(field, date.fromisoformat, (10,), date)
    return field.python_value


class _RowPlan:
    """How one row becomes models, worked out once per statement.

    ``models``: the model of each slot (slot 0 is the query's own model);
    ``columns``: per selected column its slot, field name and converter;
    ``links``: (source slot, foreign key name, joined slot, joined key field name),
    in join order, for attaching joined models as peewee's wrapper does.
    """

    def __init__(
        self,
        models: tuple[type[peewee.Model], ...],
        columns: tuple[tuple[int, str, Callable[[Any], Any] | None], ...],
        links: tuple[tuple[int, str, int, str], ...],
    ) -> None:
        self.models, self.columns, self.links = models, columns, links
        # Converted columns by position; the rest are taken as the driver gives them.
        self._converted = tuple(
            (index, convert) for index, (_slot, _name, convert) in enumerate(columns) if convert
        )
        # Per slot: its model, its columns' names and a getter of their values.
        self._slots = tuple(
            (model, tuple(columns[i][1] for i in indexes), _getter(indexes))
            for model, indexes in (
                (model, [i for i, column in enumerate(columns) if column[0] == slot])
                for slot, model in enumerate(models)
            )
        )

    def build(self, rows: list[tuple[Any, ...]]) -> list[peewee.Model]:
        """The models of ``rows``: the query's own, with joined ones attached."""
        converted, slots, links = self._converted, self._slots, self.links
        built = []
        for row in rows:
            if converted:
                row = list(row)
                for index, convert in converted:
                    row[index] = convert(row[index])
            instances = []
            for model, names, values in slots:
                # What peewee's wrapper makes: an instance without defaults, holding
                # the selected values, nothing marked as changed.
                instance = model(__no_default__=True)
                instance.__data__ = dict(zip(names, values(row), strict=True))
                instances.append(instance)
            for source, attr, joined, key in links:
                data = instances[joined].__data__
                # An inner join whose selected columns are all NULL attaches nothing,
                # as peewee's wrapper does.
                if all(value is None for value in data.values()):
                    continue
                instances[source].__data__[attr] = data.get(key)
                instances[source].__rel__[attr] = instances[joined]
            built.append(instances[0])
        return built


def _getter(indexes: list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """The values at ``indexes`` of a row, as a tuple."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return operator.itemgetter(*indexes)


def _row_plan(query: peewee.ModelSelect) -> _RowPlan | None:
    """The plan for ``query``'s rows, or None when its shape needs peewee's wrapper:
    selected expressions, aliases, outer joins, joins not along a foreign key of a
    selected model, or one model joined twice."""
    root = query.model
    joined: dict[Any, tuple[Any, str, str]] = {}  # model -> (source, fk name, key name)
    pending = [root]
    while pending:
        source = pending.pop(0)
        for dest, attr, constructor, join_type in query._joins.get(source, ()):
            fk = source._meta.fields.get(attr) if isinstance(attr, str) else None
            if (
                not (isinstance(dest, type) and issubclass(dest, peewee.Model))
                or constructor is not dest
                or join_type != peewee.JOIN.INNER
                or not isinstance(fk, peewee.ForeignKeyField)
                or fk.rel_model is not dest
                or isinstance(fk.rel_field, peewee.ForeignKeyField)
                or dest is root
                or dest in joined
            ):
                return None
            joined[dest] = (source, attr, fk.rel_field.name)
            pending.append(dest)
    # Slots only for models with selected columns: one joined only to filter or order
    # is not attached (peewee does not attach it either).
    slots: dict[Any, int] = {root: 0}
    columns = []
    for node in query._returning:
        if (
            not isinstance(node, peewee.Field)
            or isinstance(node, peewee.FieldAlias)
            or not (node.model is root or node.model in joined)
        ):
            return None
        slot = slots.setdefault(node.model, len(slots))
        # ``field.coerce(False)`` asks for the value as stored, as peewee honours it.
        columns.append((slot, node.name, _converter(node) if node._coerce else None))
    links = []
    for model, (source, attr, key) in joined.items():  # in join order
        if model in slots:
            if source is not root:
                # Nested joins: whether peewee attaches a model whose columns are all
                # NULL depends on the models beyond it; its wrapper decides.
                return None
            links.append((slots[source], attr, slots[model], key))
    models = tuple(model for model, _slot in sorted(slots.items(), key=lambda item: item[1]))
    return _RowPlan(models, tuple(columns), tuple(links))


@dataclass(frozen=True)
class _Built:
    query: peewee.SelectQuery
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]
    # True when every selected column is the model's own, though the query joins others
    # (to filter or order by them): its rows can skip peewee's join-aware row building.
    own_columns_only: bool
    # How rows become models without peewee's wrapper, where the query's shape allows.
    plan: _RowPlan | None
    # Per selected column: its converter, or None (for ``tuples``); None for a shape
    # without a row plan (see ``PreparedSelect._converters_of_shape``).
    converters: tuple[Callable[[Any], Any] | None, ...] | None


class PreparedSelect:
    """A select statement whose SQL is built once per database kind: of a model
    (rows as models, or tuples), or of no model (tuples only).

    ``build`` receives one placeholder per name in ``names`` (as keyword arguments) and
    returns the query; use each placeholder where a value goes, e.g.
    ``Model.field == token_hash``.
    """

    def __init__(self, build: Callable[..., peewee.SelectQuery], *names: str) -> None:
        self._build = build
        self._names = names
        self._by_kind: dict[type, _Built] = {}
        # Converters of a query whose shape has no row plan (aliases, expressions, outer
        # joins), per database kind: peewee's, worked out from the first cursor.
        self._resolved: dict[type, tuple[Callable[[Any], Any] | None, ...]] = {}

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
        if isinstance(query, peewee.ModelSelect):
            own_columns_only = bool(query._joins) and all(
                isinstance(column, peewee.Field) and column.model is query.model
                for column in query._returning
            )
            plan = _row_plan(query)
            converters = (
                tuple(convert for _slot, _name, convert in plan.columns)
                if plan is not None
                else None
            )
        else:
            # A select of no model (e.g. of subqueries, bound to ``db``): tuples only,
            # with the values as the driver returns them.
            own_columns_only, plan = False, None
            converters = (None,) * len(query._returning)
        built = _Built(query, sql, tuple(params), slots, own_columns_only, plan, converters)
        # Two threads may build it at once; both results are the same.
        self._by_kind[kind] = built
        return built

    def _built(self) -> _Built:
        kind = type(db.obj)
        return self._by_kind.get(kind) or self._prepare(kind)

    @staticmethod
    def _bind(built: _Built, values: dict[str, Any]) -> list[Any]:
        params = list(built.params)
        for index, name in built.slots:
            params[index] = values[name]
        return params

    @classmethod
    def _execute(cls, built: _Built, values: dict[str, Any]) -> Any:
        return server_statements.execute(built.sql, cls._bind(built, values))

    def statement(self, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and its parameters for ``values``, to be part of a larger statement
        (e.g. one member of a ``UNION ALL``)."""
        built = self._built()
        return built.sql, self._bind(built, values)

    def sql(self) -> str:
        """The statement's SQL for the bound database, to be spliced into a larger one
        whose rows go through :meth:`rows_of` or :meth:`tuples_of`."""
        return self._built().sql

    def rows(self, **values: Any) -> list[Any]:
        """The query's rows as models (with joined models attached), for ``values``."""
        built = self._built()
        return self._models(built, self._execute(built, values))

    def rows_of(self, sql: str, params: list[Any]) -> list[Any]:
        """``rows()`` of ``sql``: a statement selecting exactly this one's columns (this
        one's SQL with a subquery spliced in, say), run with ``params``."""
        built = self._built()
        return self._models(built, server_statements.execute(sql, params))

    def fetched(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows as the driver returns them, for a cache to keep and
        :meth:`models_of` to turn into new models on every use (models are mutable:
        a kept one would carry one request's changes into the next)."""
        built = self._built()
        if built.plan is None:
            raise TypeError("fetched() needs a query with a row plan (a plain shape)")
        return self._execute(built, values).fetchall()

    def models_of(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        """The models of rows that :meth:`fetched` returned."""
        plan = self._built().plan
        if plan is None:
            raise TypeError("models_of() needs a query with a row plan (a plain shape)")
        return plan.build(rows)

    def _models(self, built: _Built, cursor: Any) -> list[Any]:
        if not isinstance(built.query, peewee.ModelSelect):
            raise TypeError("rows() needs a model select; use tuples()")
        if built.plan is not None:
            return built.plan.build(cursor.fetchall())
        if built.own_columns_only:
            # The same models the join-aware wrapper would make, at a fraction of its
            # cost per row: there are no joined models to attach.
            model = built.query.model
            wrapper = peewee.ModelObjectCursorWrapper(cursor, model, built.query._returning, model)
            return list(wrapper)
        # The query's own cursor wrapper makes the models, as iterating it would.
        return list(built.query._get_cursor_wrapper(cursor))

    def _converters_of_shape(
        self, built: _Built, cursor: Any
    ) -> tuple[Callable[[Any], Any] | None, ...]:
        """What ``query.tuples()`` converts each column with, for any model select: peewee
        resolves it from the cursor's description, which is the same on every run of
        the statement, so it is done once (a field's converter is skipped where the
        driver already returns what it would)."""
        kind = type(db.obj)
        found = self._resolved.get(kind)
        if found is None:
            model = built.query.model
            _columns, fields, converters, _same, _converted = peewee._resolve_model_columns(
                cursor, model, built.query._returning
            )
            found = self._resolved[kind] = tuple(
                _converter(field) if convert is not None and field is not None else convert
                for field, convert in zip(fields, converters, strict=True)
            )
        return found

    def first(self, **values: Any) -> Any | None:
        """The first row as a model, or None."""
        found = self.rows(**values)
        return found[0] if found else None

    def tuples(self, **values: Any) -> list[tuple[Any, ...]]:
        """The query's rows as tuples of the selected columns' values, each converted
        as its field converts it (what ``query.tuples()`` returns), for lists that
        shape their answer themselves and need no models."""
        built = self._built()
        return self._converted(built, self._execute(built, values))

    def joined_tuples(self, parent_width: int, **values: Any) -> list[tuple[Any, ...]]:
        """``tuples()`` of a one-to-many join ordered by the parent: the first
        ``parent_width`` columns (the parent's, its id first) are converted once per
        parent and repeated as they are on its further rows."""
        built = self._built()
        cursor = self._execute(built, values)
        converters = built.converters or self._converters_of_shape(built, cursor)
        parent = [(i, c) for i, c in enumerate(converters[:parent_width]) if c]
        child = [(i, c) for i, c in enumerate(converters) if c and i >= parent_width]
        done: list[tuple[Any, ...]] = []
        head: list[Any] = []
        parent_key: Any = _NO_PARENT
        for row in cursor.fetchall():
            if parent_key is _NO_PARENT or row[0] != parent_key:
                parent_key = row[0]
                head = list(row[:parent_width])
                for index, convert in parent:
                    head[index] = convert(head[index])
            tail = list(row[parent_width:])
            for index, convert in child:
                tail[index - parent_width] = convert(tail[index - parent_width])
            done.append((*head, *tail))
        return done

    def tuples_of(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """``tuples()`` of ``sql``: a statement selecting exactly this one's columns,
        run with ``params`` (see :meth:`rows_of`)."""
        built = self._built()
        return self._converted(built, server_statements.execute(sql, params))

    def _converted(self, built: _Built, cursor: Any) -> list[tuple[Any, ...]]:
        converters = built.converters
        if converters is None:
            converters = self._converters_of_shape(built, cursor)
        rows = cursor.fetchall()
        converted = [(index, convert) for index, convert in enumerate(converters) if convert]
        if not converted:
            return rows
        if rows and len(rows[0]) != len(converters):
            raise ValueError("the statement's columns are not the query's")
        done = []
        for row in rows:
            values = list(row)
            for index, convert in converted:
                values[index] = convert(values[index])
            done.append(tuple(values))
        return done
