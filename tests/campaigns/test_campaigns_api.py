"""Campaigns: created, renamed, archived and deleted by admins only, with field errors
that change nothing; landings counted for known tags only and rate limited; the tag
carried with a journey's step views; the daily aggregation's ``entry`` and
``entry_submitted``; the dashboard's figures and the exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from app import statistics as stats
from app.db import db
from app.models import AuditEvent, Campaign, CampaignEntry, StatisticsDaily, StepView
from app.statistics import aggregation, records
from tests.statistics.helpers import definition

BASE = "/api/admin/campaigns"
JOURNEY = "J" * 22


def _codes(response) -> dict[str, str]:
    return {item["field"]: item["code"] for item in response.get_json()["errors"]}


def _create(admin, tag="flyer-abfall-2027", service_id="waste_bins", name="Abfall 2027"):
    response = admin.post(BASE, json={"tag": tag, "name": name, "service_id": service_id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _version() -> int:
    with db.connection_context():
        return definition("waste_bins").version


def _views(journey: str, steps: list[str], campaign: str | None) -> list[dict]:
    at = datetime.utcnow().isoformat() + "Z"
    version = _version()
    return [
        {
            "journey": journey,
            "service_id": "waste_bins",
            "version": version,
            "step": step,
            "at": at,
            **({"campaign": campaign} if campaign else {}),
        }
        for step in steps
    ]


def test_an_admin_creates_lists_renames_and_archives_a_campaign(signed_in):
    admin = signed_in("admin@example.org", "admin")
    created = _create(admin)
    assert created["url"] == "http://localhost:5000/leistungen/waste_bins?q=flyer-abfall-2027"
    assert created["archived"] is False and created["entries"] == 0
    portal = _create(admin, tag="aushang-rathaus", service_id=None, name="Rathaus")
    assert portal["url"] == "http://localhost:5000/?q=aushang-rathaus"
    listed = admin.get(BASE).get_json()["campaigns"]
    assert [item["tag"] for item in listed] == ["aushang-rathaus", "flyer-abfall-2027"]
    renamed = admin.patch(f"{BASE}/flyer-abfall-2027", json={"name": "  Abfall  neu "})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Abfall neu"
    archived = admin.patch(f"{BASE}/flyer-abfall-2027", json={"archived": True})
    assert archived.get_json()["archived"] is True
    refused = admin.get(f"{BASE}/flyer-abfall-2027/flyer.pdf?format=a5&lang=de")
    assert refused.status_code == 422 and _codes(refused) == {"tag": "campaign_archived"}
    with db.connection_context():
        actions = [event.action for event in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == [
        "campaign_created",
        "campaign_created",
        "campaign_renamed",
        "campaign_archived",
    ]


def test_bad_duplicate_and_unknown_are_field_errors_that_change_nothing(signed_in):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    cases = [
        ({"tag": "Flyer_2027", "name": "x"}, {"tag": "campaign_invalid_tag"}),
        ({"tag": "ab", "name": "x"}, {"tag": "campaign_invalid_tag"}),
        ({"tag": "a" * 41, "name": "x"}, {"tag": "campaign_invalid_tag"}),
        ({"tag": "-flyer", "name": "x"}, {"tag": "campaign_invalid_tag"}),
        ({"tag": "flyer-abfall-2027", "name": "x"}, {"tag": "campaign_tag_taken"}),
        (
            {"tag": "flyer-neu", "name": "x", "service_id": "no_such_service"},
            {"service_id": "campaign_unknown_service"},
        ),
        ({"tag": "flyer-neu", "name": "   "}, {"name": "campaign_name_required"}),
    ]
    for body, codes in cases:
        response = admin.post(BASE, json=body)
        assert response.status_code == 422 and _codes(response) == codes, body
    english = admin.post(BASE, json={"tag": "BAD"}, headers={"Accept-Language": "en"}).get_json()
    assert english["errors"]
    taken = admin.post(
        BASE, json={"tag": "flyer-abfall-2027", "name": "x"}, headers={"Accept-Language": "en"}
    )
    assert taken.get_json()["errors"][0]["message"].startswith("This tag already exists")
    with db.connection_context():
        assert Campaign.select().count() == 1
        assert AuditEvent.select().count() == 1


def test_only_admins_manage_campaigns(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    for role, areas in (("citizen", ()), ("staff", ("abfall",)), ("statistics", ())):
        other = signed_in(f"{role}@example.org", role, areas)
        assert other.get(BASE).status_code == 403
        assert other.post(BASE, json={"tag": "flyer-x", "name": "x"}).status_code == 403
        assert other.get(f"{BASE}/flyer-abfall-2027/flyer.pdf").status_code == 403
        assert other.delete(f"{BASE}/flyer-abfall-2027").status_code == 403
    assert client.get(BASE).status_code == 401
    with db.connection_context():
        assert Campaign.select().count() == 1


def test_landings_count_for_known_tags_only(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    for _ in range(3):
        sent = client.post(
            "/api/statistics/entries", json={"tag": "flyer-abfall-2027", "service_id": "waste_bins"}
        )
        assert sent.status_code == 204
    assert (
        client.post("/api/statistics/entries", json={"tag": "flyer-abfall-2027"}).status_code == 204
    )
    for junk in ({"tag": "no-such-tag"}, {"tag": "flyer-abfall-2027", "service_id": "nope"}):
        assert client.post("/api/statistics/entries", json=junk).status_code == 204
    bad = client.post("/api/statistics/entries", json={"tag": ""})
    assert bad.status_code == 422
    with db.connection_context():
        rows = {(row.tag, row.service_id): row.count for row in CampaignEntry.select()}
    assert rows == {("flyer-abfall-2027", "waste_bins"): 3, ("flyer-abfall-2027", ""): 1}


def test_landings_are_rate_limited(client):
    statuses = [
        client.post("/api/statistics/entries", json={"tag": "anything"}).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [204] * 20 and statuses[20] == 429


def test_a_campaign_with_counts_is_archived_not_deleted(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    _create(admin, tag="tippfehler", service_id=None, name="Tippfehler")
    assert admin.delete(f"{BASE}/tippfehler").status_code == 204
    client.post("/api/statistics/entries", json={"tag": "flyer-abfall-2027"})
    refused = admin.delete(f"{BASE}/flyer-abfall-2027")
    assert refused.status_code == 422 and _codes(refused) == {"tag": "campaign_has_counts"}
    assert admin.delete(f"{BASE}/nope").status_code == 404
    with db.connection_context():
        assert [c.tag for c in Campaign.select()] == ["flyer-abfall-2027"]


def test_entries_and_submissions_via_a_tag_reach_figures_and_exports(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    admin.patch(f"{BASE}/flyer-abfall-2027", json={"archived": True})  # still counted
    for _ in range(6):
        client.post(
            "/api/statistics/entries", json={"tag": "flyer-abfall-2027", "service_id": "waste_bins"}
        )
    client.post("/api/statistics/entries", json={"tag": "junk-tag", "service_id": "waste_bins"})
    views = []
    for n in range(5):
        views += _views(f"{JOURNEY}{n:02d}", ["property", "_submitted"], "flyer-abfall-2027")
    # Submitted once although the view came twice; a junk tag is dropped; without a tag
    # the journey counts for nobody.
    views += _views(f"{JOURNEY}00", ["_submitted"], "flyer-abfall-2027")
    views += _views(f"{JOURNEY}77", ["property", "_submitted"], "junk-tag")
    views += _views(f"{JOURNEY}88", ["property", "_submitted"], None)
    assert client.post("/api/statistics/step-views", json={"views": views}).status_code == 202
    with db.connection_context():
        assert {v.campaign for v in StepView.select()} == {"flyer-abfall-2027", None}
        aggregation.run()
        daily = {
            (row.metric, row.key): row.count
            for row in StatisticsDaily.select().where(
                StatisticsDaily.metric.in_(("entry", "entry_submitted"))
            )
        }
    assert daily == {("entry", "flyer-abfall-2027"): 6, ("entry_submitted", "flyer-abfall-2027"): 5}
    figures = admin.get("/api/statistics/figures?service_id=waste_bins").get_json()
    assert figures["campaigns"]["tags"] == [
        {
            "tag": "flyer-abfall-2027",
            "name": "Abfall 2027",
            "entries": 6,
            "submitted": 5,
            "suppressed": False,
        }
    ]
    exported = admin.get("/api/statistics/export.json").get_json()
    month = records.today().strftime("%Y-%m")
    assert exported["campaigns"] == [
        {
            "tag": "flyer-abfall-2027",
            "name": "Abfall 2027",
            "service_id": "waste_bins",
            "month": month,
            "entries": 6,
            "submitted": 5,
        }
    ]
    text = admin.get("/api/statistics/export.csv?table=campaigns").get_data(as_text=True)
    assert list(csv.DictReader(io.StringIO(text))) == [
        {
            "tag": "flyer-abfall-2027",
            "name": "Abfall 2027",
            "service_id": "waste_bins",
            "month": month,
            "entries": "6",
            "submitted": "5",
        }
    ]
    listed = admin.get(BASE).get_json()["campaigns"][0]
    assert (listed["entries"], listed["submitted"]) == (6, 5)


def test_small_campaign_counts_are_hidden(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    for _ in range(2):
        client.post(
            "/api/statistics/entries", json={"tag": "flyer-abfall-2027", "service_id": "waste_bins"}
        )
    with db.connection_context():
        aggregation.run()
    [row] = admin.get("/api/statistics/figures").get_json()["campaigns"]["tags"]
    assert row["entries"] is None and row["suppressed"] is True
    assert admin.get(BASE).get_json()["campaigns"][0]["entries"] is None


def test_the_consoles_totals_never_give_a_hidden_month_away(signed_in, client):
    admin = signed_in("admin@example.org", "admin")
    _create(admin)
    today = records.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    with db.connection_context():
        Campaign.update(created_at=datetime(last_month.year, last_month.month, 1, 12)).execute()
        CampaignEntry.create(
            day=last_month, tag="flyer-abfall-2027", service_id="waste_bins", count=3
        )
    for _ in range(6):
        client.post(
            "/api/statistics/entries", json={"tag": "flyer-abfall-2027", "service_id": "waste_bins"}
        )
    with db.connection_context():
        aggregation.run()
    month = f"from={today:%Y-%m}-01&to={stats.month_end(today).isoformat()}"
    [row] = admin.get(f"/api/statistics/figures?{month}").get_json()["campaigns"]["tags"]
    assert row["entries"] == 6
    # 9 in all, but 3 of them in a month whose cell is hidden: no total.
    assert admin.get(BASE).get_json()["campaigns"][0]["entries"] is None
