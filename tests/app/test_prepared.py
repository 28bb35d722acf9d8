"""Prepared selects: built once per database kind, same rows as the query itself."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import peewee
import pytest

from app.accounts import users
from app.db import db, utcnow
from app.models import AuthSession, User
from app.prepared import PreparedSelect, _converter


def _session_with_user(token_hash):
    return (
        AuthSession.select(AuthSession, User)
        .join(User)
        .where(AuthSession.token_hash == token_hash)
        .limit(1)
    )


def _store_session(user: User, token_hash: str) -> AuthSession:
    now = utcnow()
    return AuthSession.create(
        token_hash=token_hash,
        user=user,
        csrf_token="csrf-" + token_hash[:32],
        method="email",
        user_agent="",
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=1),
    )


def test_rows_match_the_query_and_joined_models_are_attached(app) -> None:
    with db.connection_context():
        erika = users.create_user("erika@example.org", "citizen", [])
        anton = users.create_user("anton@example.org", "citizen", [])
        _store_session(erika, "a" * 64)
        _store_session(anton, "b" * 64)
        prepared = PreparedSelect(_session_with_user, "token_hash")
        for token_hash, email in (("a" * 64, "erika@example.org"), ("b" * 64, "anton@example.org")):
            found = prepared.first(token_hash=token_hash)
            expected = _session_with_user(token_hash).get()
            assert found.id == expected.id
            assert found.csrf_token == expected.csrf_token
            assert found.expires_at == expected.expires_at  # converted like the field does
            assert found.__data__["user"] == expected.user.id
            assert found.user.email == email  # the joined user, without another query
        assert prepared.first(token_hash="c" * 64) is None
        assert prepared.rows(token_hash="c" * 64) == []


def test_statement_is_built_once_per_database_kind(app) -> None:
    built = []

    def build(token_hash):
        built.append(token_hash)
        return _session_with_user(token_hash)

    prepared = PreparedSelect(build, "token_hash")
    with db.connection_context():
        for _ in range(3):
            prepared.rows(token_hash="x")
    assert len(built) == 1


def test_a_name_without_placeholder_is_refused(app) -> None:
    prepared = PreparedSelect(
        lambda token_hash, user: _session_with_user(token_hash), "token_hash", "user"
    )
    with db.connection_context(), pytest.raises(ValueError, match="user"):
        prepared.rows(token_hash="x", user=1)


def _sessions_of_email(email):
    # Joins the user only to filter: every selected column is the session's own.
    return (
        AuthSession.select().join(User).where(User.email == email).order_by(AuthSession.token_hash)
    )


def test_rows_of_a_join_selecting_own_columns_only_match_the_query(app) -> None:
    with db.connection_context():
        erika = users.create_user("erika@example.org", "citizen", [])
        anton = users.create_user("anton@example.org", "citizen", [])
        _store_session(erika, "a" * 64)
        _store_session(erika, "b" * 64)
        _store_session(anton, "c" * 64)
        prepared = PreparedSelect(_sessions_of_email, "email")
        found = prepared.rows(email="erika@example.org")
        expected = list(_sessions_of_email("erika@example.org"))
        assert [type(row) for row in found] == [AuthSession, AuthSession]
        assert [row.__data__ for row in found] == [row.__data__ for row in expected]
        assert [row.token_hash for row in found] == ["a" * 64, "b" * 64]
        assert all(isinstance(row.created_at, type(utcnow())) for row in found)
        assert found[0].user.email == "erika@example.org"  # loaded on demand, as usual
        assert prepared.rows(email="nobody@example.org") == []
        # ... and took the short way that skips the join-aware row building.
        assert [built.own_columns_only for built in prepared._by_kind.values()] == [True]


def _same_models(found: list, expected: list) -> None:
    """Models as peewee's own wrapper makes them: values, attached models, nothing dirty."""
    assert [type(row) for row in found] == [type(row) for row in expected]
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.__data__ == theirs.__data__
        assert mine._dirty == theirs._dirty == set()
        assert mine.__rel__.keys() == theirs.__rel__.keys()
        for name, joined in theirs.__rel__.items():
            assert mine.__rel__[name].__data__ == joined.__data__
            assert mine.__rel__[name]._dirty == set()


def test_joined_models_are_made_from_the_plan_like_peewee_makes_them(app) -> None:
    with db.connection_context():
        erika = users.create_user("erika@example.org", "citizen", [])
        _store_session(erika, "a" * 64)
        prepared = PreparedSelect(_session_with_user, "token_hash")
        found = prepared.rows(token_hash="a" * 64)
        _same_models(found, list(_session_with_user("a" * 64)))
        # Converted as the fields convert: timestamps, bytes.
        user = found[0].user
        assert isinstance(found[0].expires_at, type(utcnow()))
        assert bytes(user.user_handle) == bytes(erika.user_handle)
        assert [built.plan is not None for built in prepared._by_kind.values()] == [True]
        # Changing a loaded model saves only what changed, as with peewee's own rows.
        user.locale = "en"
        assert user.dirty_fields == [User.locale]


def test_tuples_are_the_querys_tuples(app) -> None:
    with db.connection_context():
        erika = users.create_user("erika@example.org", "citizen", [])
        _store_session(erika, "a" * 64)
        _store_session(erika, "b" * 64)

        def build(email):
            return (
                AuthSession.select(AuthSession.token_hash, AuthSession.expires_at, User.role)
                .join(User)
                .where(User.email == email)
                .order_by(AuthSession.token_hash)
            )

        prepared = PreparedSelect(build, "email")
        found = prepared.tuples(email="erika@example.org")
        assert found == list(build("erika@example.org").tuples())
        assert found[0][2] == "citizen"
        assert isinstance(found[0][1], type(utcnow()))
        assert prepared.tuples(email="nobody@example.org") == []


def test_shapes_without_a_plan_go_through_peewees_wrapper(app) -> None:
    with db.connection_context():
        erika = users.create_user("erika@example.org", "citizen", [])
        _store_session(erika, "a" * 64)

        def outer(token_hash):
            return (
                AuthSession.select(AuthSession, User)
                .join(User, peewee.JOIN.LEFT_OUTER)
                .where(AuthSession.token_hash == token_hash)
            )

        def aliased(token_hash):
            return AuthSession.select(
                AuthSession.token_hash, AuthSession.csrf_token.alias("token")
            ).where(AuthSession.token_hash == token_hash)

        for build in (outer, aliased):
            prepared = PreparedSelect(build, "token_hash")
            _same_models(prepared.rows(token_hash="a" * 64), list(build("a" * 64)))
            assert [built.plan for built in prepared._by_kind.values()] == [None]


def test_tuples_of_shapes_without_a_plan_are_the_querys_tuples(app) -> None:
    with db.connection_context():
        erika = users.create_user("erika@example.org", "citizen", [])
        _store_session(erika, "a" * 64)
        _store_session(erika, "b" * 64)

        def shaped(email):
            # Aliases, an aggregate, an outer join: no row plan, peewee's converters.
            return (
                AuthSession.select(
                    AuthSession.token_hash.alias("key"),
                    AuthSession.expires_at.alias("until"),
                    peewee.fn.MAX(AuthSession.last_seen_at).alias("latest"),
                    peewee.fn.COUNT(AuthSession.token_hash).alias("count"),
                    User.role,
                    User.created_at,
                )
                .join(User, peewee.JOIN.LEFT_OUTER)
                .where(User.email == email)
                .group_by(
                    AuthSession.token_hash, AuthSession.expires_at, User.role, User.created_at
                )
                .order_by(AuthSession.token_hash)
            )

        prepared = PreparedSelect(shaped, "email")
        for _ in range(2):  # the converters worked out on the first run serve the next
            found = prepared.tuples(email="erika@example.org")
            assert found == list(shaped("erika@example.org").tuples())
        assert len(found) == 2
        assert isinstance(found[0][1], datetime)
        assert isinstance(found[0][5], datetime)
        assert found[0][3] == 1
        assert prepared.tuples(email="nobody@example.org") == []


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (
            peewee.DateTimeField(),
            [
                "2026-12-05 09:30:00.123456",
                "2026-12-05 09:30:00",
                "2026-12-05",
                "2026-12-05T09:30:00",
                "2026-12-05 09:30:00+02:00",
                "2026-12-05 09:30:00.123",
                "",
                "not a time",
                None,
                datetime(2026, 1, 1, 8, 0),
                date(2026, 1, 1),
            ],
        ),
        (
            peewee.DateField(),
            [
                "2026-12-05",
                "2026-12-05 09:30:00",
                "20261205",
                "",
                "not a day",
                None,
                date(2026, 1, 1),
                # PostgreSQL hands a timestamp to a day column as it is: the day is kept.
                datetime(2026, 1, 1, 8, 0),
            ],
        ),
    ],
)
def test_timestamps_and_days_convert_as_their_fields_convert(field, values) -> None:
    convert = _converter(field)
    for value in values:
        mine, theirs = convert(value), field.python_value(value)
        assert (mine, type(mine)) == (theirs, type(theirs)), value
