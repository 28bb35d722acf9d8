"""v0025: applications decided before it learn who decided them from their history
(the first status entry at or after the decision); undecided ones and sessions get
empty values; the statistics tables start empty."""

from __future__ import annotations

import peewee
import pytest

from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

NAME = "v0025_statistics"
AT = "2026-03-02 09:30:00"


def _check(database: peewee.Database) -> None:
    upgrade_before(database, NAME)
    mark = database.param
    database.execute_sql(
        'INSERT INTO "user" (email, role, trust_level, locale, user_handle, created_at)'
        f" VALUES ('a@example.org', 'citizen', 'basic', 'de', {mark}, '{AT}')",
        (b"h",),
    )
    database.execute_sql(
        "INSERT INTO service_definition (service_id, version, state, area, data, fingerprint,"
        f" source, created_at) VALUES ('waste_bins', 1, 'published', 'x', '{{}}', 'f', 'b', '{AT}')"
    )
    for row_id, decided in (
        ("auto", "2026-03-03 10:00:00"),
        ("clerk", "2026-03-04 10:00:00"),
        ("open", None),
    ):
        database.execute_sql(
            "INSERT INTO application (id, user_id, definition_id, service_id, area, status,"
            " answers, revision, fee_cents, fees, warnings, applicant_name, created_at,"
            f" updated_at, submitted_at, decided_at) VALUES ({mark}, 1, 1, 'waste_bins', 'x',"
            f" 'submitted', '{{}}', 1, 0, '{{}}', '[]', '', '{AT}', '{AT}', '{AT}', {mark})",
            (row_id, decided),
        )
    events = [
        ("auto", "2026-03-02 10:00:00", "staff", "in_review"),  # before the decision
        ("auto", "2026-03-03 10:00:00", "system", "approved"),
        ("clerk", "2026-03-04 10:00:01", "staff", "rejected"),
        ("clerk", "2026-03-05 10:00:00", "system", "completed"),
    ]
    for application, at, role, status in events:
        database.execute_sql(
            "INSERT INTO application_event (application_id, at, actor_role, kind, from_status,"
            " to_status, message, internal) VALUES"
            f" ({mark}, {mark}, {mark}, 'status', 'submitted', {mark}, '', {mark})",
            (application, at, role, status, False),
        )
    upgrade_one(database, NAME)
    rows = dict(database.execute_sql("SELECT id, decided_by FROM application").fetchall())
    assert rows == {"auto": "system", "clerk": "staff", "open": ""}
    via = {row[0] for row in database.execute_sql("SELECT submitted_via FROM application")}
    assert via == {""}
    for table in ("statistics_daily", "statistics_duration", "step_view", "counter_case"):
        assert database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_sqlite_rows_from_before(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_postgres_rows_from_before():
    with postgres_database("statistics_migration") as database:
        _check(database)
