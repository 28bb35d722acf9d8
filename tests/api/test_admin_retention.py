"""GET /api/admin/retention: the dry run per service and the last runs (admins only)."""

from __future__ import annotations

from app.db import db, utcnow
from app.models import Application
from app.retention import runs
from tests.api.engine_helpers import start
from tests.app.retention.support import DAY, exists, later, withdrawn


def test_admins_see_what_the_next_run_would_delete_and_the_last_runs(signed_in):
    citizen = signed_in("citizen@example.org")
    closed = withdrawn(citizen)
    draft = start(citizen, "waste_bins", key="old-draft")
    with db.connection_context():
        Application.update(updated_at=utcnow() - 91 * DAY).where(
            Application.id == draft["id"]
        ).execute()
        runs.run(later(0), started_by="cli")
    admin = signed_in("admin@example.org", "admin")
    response = admin.get("/api/admin/retention")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    services = {entry["service_id"]: entry for entry in body["services"]}
    assert set(services) >= {"waste_bins", "dog_tax_registration"}
    bins = services["waste_bins"]
    assert (bins["drafts_days"], bins["closed_days"], bins["defaulted"]) == (90, 1095, [])
    assert bins["title"]["de"] and bins["version"] >= 1
    # The draft went in the run above; the closed case has years to go.
    assert (bins["drafts"], bins["closed"], bins["held"]) == (0, 0, 0)
    assert bins["held_by"] == {"open_payment": 0, "open_refund": 0, "pending_handoff": 0}
    assert bins["oldest"] is None
    [last] = body["runs"]
    assert last["deleted_drafts"] == 1 and last["started_by"] == "cli"
    assert last["started_at"].endswith("Z") and last["finished_at"].endswith("Z")
    assert not exists(draft["id"]) and exists(closed["id"])


def test_the_report_counts_expired_drafts_without_deleting_them(signed_in):
    citizen = signed_in("later@example.org")
    draft = start(citizen, "waste_bins")
    with db.connection_context():
        Application.update(updated_at=utcnow() - 100 * DAY).where(
            Application.id == draft["id"]
        ).execute()
    admin = signed_in("admin@example.org", "admin")
    bins = next(
        s
        for s in admin.get("/api/admin/retention").get_json()["services"]
        if s["service_id"] == "waste_bins"
    )
    assert bins["drafts"] == 1 and bins["oldest"].endswith("Z")
    assert exists(draft["id"])
    assert admin.get("/api/admin/retention").get_json()["runs"] == []


def test_only_admins_read_it(signed_in, client):
    assert client.get("/api/admin/retention").status_code == 401
    for role, areas in (("citizen", ()), ("staff", ("abfall",)), ("statistics", ())):
        api = signed_in(f"{role}@example.org", role, areas)
        assert api.get("/api/admin/retention").status_code == 403, role
