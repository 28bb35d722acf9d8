"""Definition versions stored before definitions named their decisions, hand-over and
notice kind get the meaning the engine used to assume, so their applications behave
as before."""

from __future__ import annotations

import copy
import json

import peewee
import pytest

from app import builtin_plugins, migrations
from app.migrations import Step
from app.service_definitions import load_builtin

builtin_plugins.register_all()
MIGRATION = dict(migrations.available())["v0012_workflow_decisions"]


def _as_stored_before(data: dict) -> dict:
    old = copy.deepcopy(data)
    for status in old["workflow"]["statuses"]:
        status.pop("decision", None)
    old["workflow"].pop("handover", None)
    old["payment"].pop("notice_kind", None)
    return old


@pytest.mark.parametrize(
    "service_id", ["dog_tax_registration", "registration_certificate", "resident_parking"]
)
def test_old_versions_say_what_the_engine_assumed(tmp_path, service_id):
    definition = load_builtin()[service_id]
    old = _as_stored_before(definition.as_dict())
    assert old != definition.as_dict()
    database = peewee.SqliteDatabase(str(tmp_path / "old.sqlite3"))
    migrations.upgrade(database)
    database.execute_sql(
        "INSERT INTO service_definition (service_id, version, state, area, data, fingerprint,"
        " source, created_at) VALUES (?, 1, 'published', ?, ?, 'old', 'builtin', '2026-01-01')",
        (service_id, definition.area, json.dumps(old)),
    )
    MIGRATION.upgrade(Step(database))
    data, fingerprint = database.execute_sql(
        "SELECT data, fingerprint FROM service_definition"
    ).fetchone()
    assert json.loads(data) == definition.as_dict()
    assert fingerprint == definition.fingerprint
