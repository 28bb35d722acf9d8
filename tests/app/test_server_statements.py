"""Statements prepared once per PostgreSQL connection (``app.server_statements``)."""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal

import pytest

from app import server_statements
from app.db import db

postgres_only = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="prepares on PostgreSQL only (TEST_DATABASE_URL)",
)


def test_marks_are_numbered_and_literal_percent_signs_kept():
    sql = "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d = ANY(%s::text[]) LIMIT %s"
    assert server_statements._numbered(sql) == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d = ANY($2::text[]) LIMIT $3"
    )


def test_types_are_declared_from_the_values():
    values = [True, 7, "x", datetime(2026, 1, 2, 3, 4), date(2026, 1, 2), 1.5, Decimal(1), b"x"]
    assert server_statements._declared_types(values) == (
        "boolean, bigint, text, timestamp, date, double precision, numeric, bytea"
    )
    assert server_statements._declared_types([["a", "b"], [1]]) == "text[], bigint[]"
    assert server_statements._declared_types([[True, False], [date(2026, 1, 2)]]) == (
        "boolean[], date[]"
    )

    class Name(str):
        pass

    # A subclass is typed as its base, alone or in an array.
    assert server_statements._declared_types([Name("x"), [Name("a"), "b"]]) == "text, text[]"
    # No clear type: the statement runs as it is.
    for unclear in ([None], [[]], [["a", 1]], [[True, 1]], [("a", "b")], [object()]):
        assert server_statements._declared_types(unclear) is None


def _prepared_here() -> set[str]:
    rows = db.execute_sql("SELECT name FROM pg_prepared_statements").fetchall()
    return {name for (name,) in rows}


@postgres_only
def test_a_statement_is_prepared_once_and_answers_as_it_would(app):
    sql = "SELECT %s::int + 1, %s"
    with db.connection_context():
        first = server_statements.execute(sql, [1, "a"]).fetchall()
        prepared = _prepared_here()
        second = server_statements.execute(sql, [41, "b"]).fetchall()
        assert _prepared_here() == prepared
        plain = db.execute_sql(sql, [41, "b"]).fetchall()
    assert first == [(2, "a")]
    assert second == plain == [(42, "b")]
    assert any(name.startswith("portal_") for name in prepared)
    assert (
        server_statements.executed_sql(
            f"EXECUTE {server_statements._names[(sql, 'bigint, text')]} (%s, %s)"
        )
        == sql
    )


@postgres_only
def test_a_statement_without_values_is_prepared_too(app):
    sql = "SELECT 40 + 2"
    with db.connection_context():
        before = _prepared_here()
        assert server_statements.execute(sql, []).fetchall() == [(42,)]
        assert server_statements.execute(sql, []).fetchall() == [(42,)]
        assert len(_prepared_here() - before) == 1
    assert (sql, "") not in server_statements._refused


@postgres_only
def test_what_cannot_be_prepared_runs_as_it_is(app):
    with db.connection_context():
        before = _prepared_here()
        assert server_statements.execute("SHOW TIME ZONE", []).fetchall()  # not preparable
        assert server_statements.execute("SELECT %s IS NULL", [None]).fetchall() == [(True,)]
        with db.atomic():
            # In a transaction a failed PREPARE would abort it: nothing is prepared there.
            assert server_statements.execute("SELECT %s::int * 3", [5]).fetchall() == [(15,)]
        assert _prepared_here() == before


@postgres_only
def test_switched_off_nothing_is_prepared(app, monkeypatch):
    monkeypatch.setattr(db.obj, "server_prepare", False)
    with db.connection_context():
        before = _prepared_here()
        assert server_statements.execute("SELECT %s::int - 1", [5]).fetchall() == [(4,)]
        assert _prepared_here() == before


@postgres_only
def test_a_table_changed_under_a_prepared_statement_is_prepared_afresh(app):
    with db.connection_context():
        db.execute_sql("CREATE TABLE prepared_probe (x integer)")
        try:
            db.execute_sql("INSERT INTO prepared_probe VALUES (1)")
            sql = "SELECT x FROM prepared_probe WHERE %s"
            assert server_statements.execute(sql, [True]).fetchall() == [(1,)]
            # The result's type changes: PostgreSQL refuses the old plan.
            db.execute_sql("ALTER TABLE prepared_probe ALTER COLUMN x TYPE text")
            assert server_statements.execute(sql, [True]).fetchall() == [("1",)]
            assert server_statements.execute(sql, [True]).fetchall() == [("1",)]
        finally:
            db.execute_sql("DROP TABLE prepared_probe")


@postgres_only
def test_an_array_of_areas_is_planned_once_not_on_every_run(app):
    """PostgreSQL would keep planning a statement afresh whose array it guesses shorter
    than the ten rows it assumes for any array (a clerk's seven areas): the portal has
    its prepared statements planned once."""
    sql = "SELECT count(*) FROM unnest(%s::text[]) AS k(area) WHERE k.area > %s"
    areas = ["abfall", "hundesteuer", "kita", "meldewesen", "parken", "soziales", "gewerbe"]
    with db.connection_context():
        for _ in range(8):
            assert server_statements.execute(sql, [areas, "a"]).fetchone() == (7,)
        assert db.execute_sql("SHOW plan_cache_mode").fetchone() == ("force_generic_plan",)
        (generic, custom) = db.execute_sql(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%unnest($1::text[])%"],
        ).fetchone()
        assert (generic, custom) == (8, 0)
