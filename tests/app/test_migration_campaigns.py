"""v0047: step views recorded before it keep their rows and carry no campaign; the
campaign tables start empty, and a tag is unique."""

from __future__ import annotations

import peewee
import pytest

from tests.app.old_databases import postgres_database, sqlite_database, upgrade_before, upgrade_one

NAME = "v0047_campaigns"
AT = "2027-03-02 09:00:00"


def _check(database: peewee.Database) -> None:
    upgrade_before(database, NAME)
    database.execute_sql(
        "INSERT INTO step_view (journey, service_id, version, step, at, day)"
        f" VALUES ('{'j' * 22}', 'waste_bins', 1, 'property', '{AT}', '2027-03-02')"
    )
    upgrade_one(database, NAME)
    rows = database.execute_sql("SELECT journey, campaign FROM step_view").fetchall()
    assert rows == [("j" * 22, None)]
    for table in ("campaign", "campaign_entry"):
        assert database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    insert = (
        "INSERT INTO campaign (tag, name, service_id, created_at)"
        f" VALUES ('flyer-2027', 'Flyer', NULL, '{AT}')"
    )
    database.execute_sql(insert)
    with pytest.raises(peewee.IntegrityError), database.atomic():
        database.execute_sql(insert)
    entry = (
        "INSERT INTO campaign_entry (day, tag, service_id, count, updated_at)"
        f" VALUES ('2027-03-02', 'flyer-2027', '', 1, '{AT}')"
    )
    database.execute_sql(entry)
    with pytest.raises(peewee.IntegrityError), database.atomic():
        database.execute_sql(entry)


def test_sqlite_rows_from_before(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_postgres_rows_from_before():
    with postgres_database("campaigns_migration") as database:
        _check(database)
