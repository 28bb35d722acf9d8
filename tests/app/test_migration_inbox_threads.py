"""Messages stored before threads join their application's thread (or one of their
own); payment receipts stored before the (payment, kind) key find their payment."""

from __future__ import annotations

from datetime import datetime

import peewee
import pytest

from app.models import (
    ALL_MODELS,
    Application,
    Document,
    InboxMessage,
    Payment,
    User,
)
from tests.app.old_databases import (
    insert_as_then,
    postgres_database,
    sqlite_database,
    upgrade_before,
    upgrade_one,
)

NAME = "v0017_inbox_threads"


def _before_threads(database: peewee.Database) -> None:
    upgrade_before(database, NAME)


def _stored_before(database: peewee.Database) -> dict[str, object]:
    """Rows as the portal wrote them before the migration (only the old columns)."""
    with database.bind_ctx(ALL_MODELS):
        user = insert_as_then(database, User, email="alt@example.org", role="citizen")
        # Only the columns the version had then (the model has more since).
        (
            peewee.Table("service_definition")
            .bind(database)
            .insert(
                service_id="waste_bins",
                version=1,
                state="published",
                area="abfall",
                data="{}",
                fingerprint="x",
                source="builtin:waste_bins.yaml",
                created_at=datetime(2026, 1, 2, 10, 0),
            )
            .execute()
        )
        (record,) = database.execute_sql("SELECT id FROM service_definition").fetchone()
        case = insert_as_then(
            database,
            Application,
            user=user,
            definition=record,
            service_id="waste_bins",
            area="abfall",
            status="new",
        )
        payment = insert_as_then(
            database,
            Payment,
            user=user,
            subject_type="application",
            subject_id=case,
            amount_cents=500,
            purpose="Antrag",
            description="Antrag",
            provider="sandbox",
            return_path="/",
            public_id="pay-old-1",
        )
        first = insert_as_then(
            database,
            Document,
            id="doc-one",
            user=user,
            application=case,
            kind="payment_receipt",
            filename="Zahlungsbeleg-pay-old-1.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0",
        )
        # A receipt filed twice by the old name check racing itself.
        insert_as_then(
            database,
            Document,
            id="doc-two",
            user=user,
            application=case,
            kind="payment_receipt",
            filename="Zahlungsbeleg-pay-old-1.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0",
        )
        about = insert_as_then(
            database,
            InboxMessage,
            user=user,
            application=case,
            kind="status",
            subject="Eingereicht",
        )
        alone = insert_as_then(database, InboxMessage, user=user, kind="account", subject="Konto")
    return {"case": case, "payment": payment, "first": first, "about": about, "alone": alone}


def _check(database: peewee.Database) -> None:
    _before_threads(database)
    ids = _stored_before(database)
    upgrade_one(database, NAME)
    threads = dict(database.execute_sql("SELECT id, thread FROM inbox_message").fetchall())
    assert threads[ids["about"]] == ids["case"]
    assert threads[ids["alone"]] == f"m{ids['alone']}"
    payments = dict(database.execute_sql("SELECT id, payment_id FROM document").fetchall())
    assert payments == {"doc-one": ids["payment"], "doc-two": None}


def test_sqlite_rows_from_before(tmp_path):
    with sqlite_database(tmp_path) as database:
        _check(database)


@pytest.mark.postgres
def test_postgres_rows_from_before():
    with postgres_database("thread_migration") as database:
        _check(database)
