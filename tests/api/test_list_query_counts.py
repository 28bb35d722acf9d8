"""Every list a citizen or clerk opens costs the same number of queries for 2 rows as
for 12: no query per row (which is what made lists slow), and an officer's pass check
costs one for the pass. Counting queries is exact and machine-independent; how fast the paths are
is measured in ``bench/bench_http.py``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from app import server_statements
from app.db import db, is_postgres
from app.models import User
from app.payments import notices
from tests.api.engine_helpers import start, submitted
from tests.parking.support import answers, apply_and_pay, only_permit


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements the portal runs inside the block."""
    database = db.obj
    seen: list[str] = []
    original = database.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        # A statement prepared on the connection (PostgreSQL) counts as the SQL it runs;
        # preparing it is once per connection, not per request.
        executed = server_statements.executed_sql(sql)
        if executed is not None:
            seen.append(executed)
        return original(sql, params, *args, **kwargs)

    database.execute_sql = execute_sql
    try:
        yield seen
    finally:
        del database.execute_sql


def _queries(api, path: str) -> int:
    api.get(path)  # warm the per-process caches (definitions) first
    with counted() as seen:
        response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return len(seen)


def _add_notices(email: str, count: int, start_at: int) -> None:
    with db.connection_context():
        user = User.get(User.email == email)
        for number in range(start_at, start_at + count):
            notices.create_notice(
                user,
                kind="dog_tax",
                title="Hundesteuer",
                kassenzeichen=f"5.{number:06d}",
                instalments=[
                    notices.InstalmentInput(date(2027, 1, 15), 2100),
                    notices.InstalmentInput(date(2027, 4, 15), 2100),
                ],
                actor=None,
            )


@pytest.mark.parametrize(
    "path", ["/api/applications", "/api/inbox", "/api/inbox/threads", "/api/notices"]
)
def test_citizen_lists_do_not_query_per_row(signed_in, path):
    citizen = signed_in("rows@example.org")
    for index in range(2):
        submitted(citizen, "waste_bins", key=f"first{index}")
    _add_notices("rows@example.org", 2, 0)
    few = _queries(citizen, path)
    for index in range(10):
        submitted(citizen, "waste_bins", key=f"more{index}")
        start(citizen, "dog_tax_registration")
    _add_notices("rows@example.org", 10, 100)
    assert len(citizen.get(path).get_json()) >= 12
    assert _queries(citizen, path) == few


@pytest.mark.parametrize(
    "path",
    [
        "/api/staff/applications?limit=50",
        "/api/staff/applications/search?q=Mu",
        "/api/staff/notices?email=rows@example.org",
    ],
)
def test_staff_lists_do_not_query_per_row(signed_in, path):
    citizen = signed_in("rows@example.org")
    citizen.put("/api/account/profile", json={"given_names": "Erika", "family_name": "Musterfrau"})
    clerk = signed_in("clerk@example.org", role="staff", areas=("abfall", "kasse"))
    for index in range(2):
        submitted(citizen, "waste_bins", key=f"first{index}")
    _add_notices("rows@example.org", 2, 0)
    few = _queries(clerk, path)
    for index in range(10):
        submitted(citizen, "waste_bins", key=f"more{index}")
    _add_notices("rows@example.org", 10, 100)
    body = clerk.get(path).get_json()
    assert len(body["items"] if isinstance(body, dict) else body) >= 12
    assert _queries(clerk, path) == few


def test_verifying_a_pass_asks_the_database_once_for_the_pass(signed_in):
    """The pass's revocation, newest sequence and the revocation list's version in one
    statement. The officer's session is kept by the process while nothing changed
    (``app.accounts.auth_changes``): on SQLite that costs a read of the change count,
    on PostgreSQL nothing."""
    citizen = signed_in("holder@example.org")
    apply_and_pay(citizen, answers(plate="DN-QC 1"))
    text = only_permit(citizen)["pass_text"]
    officer = signed_in("officer@example.org", role="officer")

    def verify() -> dict:
        response = officer.post("/api/officer/passes/verify", json={"text": text, "zone": "A"})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    assert verify()["valid"]  # warms the key set and the kept session
    with counted() as seen:
        assert verify()["valid"]
    if is_postgres():
        assert len(seen) == 1, seen
    else:
        assert len(seen) == 2, seen
        assert seen[0] == "SELECT value FROM auth_change WHERE id = 1"
    assert "pass_revocation" in seen[-1]


def test_a_clerks_queue_page_reads_the_change_count_once(signed_in):
    """The clerk's session and service areas are both kept by the process; the areas are
    checked at the count the session was checked at, so the page costs one read of the
    count (SQLite; none on PostgreSQL) and its own one statement."""
    citizen = signed_in("queued@example.org")
    clerk = signed_in("clerk@example.org", role="staff", areas=("abfall", "hundesteuer"))
    for index in range(3):
        submitted(citizen, "waste_bins", key=f"queued{index}")
    path = "/api/staff/applications?view=open&sort=due&limit=20"
    clerk.get(path)  # warms the kept session, areas and definitions
    with counted() as seen:
        response = clerk.get(path)
    assert response.status_code == 200, response.get_json()
    assert len(response.get_json()["items"]) == 3
    counts = [sql for sql in seen if "auth_change" in sql]
    assert len(counts) == (0 if is_postgres() else 1), seen
    # Tests re-read the stored versions' keys on every request (CATALOGUE_RECHECK_MS=0).
    own = [
        sql
        for sql in seen
        if "auth_change" not in sql and 'FROM "service_definition" AS "t1"' not in sql[:80]
    ]
    assert len(own) == 1 and 'FROM "application"' in own[0], seen


def test_a_queue_page_over_several_areas_sorts_its_few_keys_once_on_sqlite(signed_in):
    """The open view scans each area once, in the partial index of cases awaiting a
    decision (not once per area and open status), in order, stopping at the page size;
    the compound of the scans is sorted once, outside it. An ORDER BY on the compound
    itself has SQLite merge the scans, sorting every scan's rows first."""
    if is_postgres():  # known only once the test's database is bound
        pytest.skip("PostgreSQL merges the scans by a lateral join")
    citizen = signed_in("sorted@example.org")
    clerk = signed_in("clerk@example.org", role="staff", areas=("abfall", "hundesteuer"))
    for index in range(3):
        submitted(citizen, "waste_bins", key=f"sorted{index}")
    path = "/api/staff/applications?view=open&sort=due&limit=20"
    clerk.get(path)
    with counted() as seen:
        response = clerk.get(path)
    assert len(response.get_json()["items"]) == 3
    (page,) = [sql for sql in seen if 'FROM "application"' in sql]
    # One scan per area: two areas, two scans.
    assert page.count(" UNION ALL ") == 1, page
    statement_params = [None] * page.count("?")
    with db.connection_context():
        plan = [
            str(row[-1])
            for row in db.execute_sql(f"EXPLAIN QUERY PLAN {page}", statement_params).fetchall()
        ]
    assert not [step for step in plan if step.startswith("MERGE")], plan
    assert sum("application_awaiting_area_due_at_id" in step for step in plan) == 2, plan
    # The keys once, the page's rows once in the same order: never once per scan.
    assert sum("TEMP B-TREE" in step for step in plan) <= 2, plan


def test_a_citizens_notices_come_in_the_index_order_on_sqlite(signed_in):
    """The notices list reads a citizen's notices newest first from the index: their
    rows, long texts and all, are never sorted per visit."""
    if is_postgres():  # known only once the test's database is bound
        pytest.skip("the plan asked for is SQLite's")
    signed_in("ordered@example.org")
    _add_notices("ordered@example.org", 3, 500)
    citizen = signed_in("ordered@example.org")
    citizen.get("/api/notices")
    with counted() as seen:
        response = citizen.get("/api/notices")
    assert len(response.get_json()) == 3
    (listing,) = [sql for sql in seen if 'FROM "notice"' in sql]
    with db.connection_context():
        plan = [
            str(row[-1])
            for row in db.execute_sql(
                f"EXPLAIN QUERY PLAN {listing}", [None] * listing.count("?")
            ).fetchall()
        ]
    assert not [step for step in plan if "TEMP B-TREE" in step], plan
