"""Open notices: staff create them (API or CSV import), citizens see only their own."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import AuditEvent, Notice, NoticeInstalment
from tests.payments.helpers import create_notice

CSV = """email;art;titel;kassenzeichen;faellig_am;betrag
hund1@example.org;dog_tax;Hundesteuer 2027;HST-27-1;15.02.2027;21,00
hund1@example.org;dog_tax;Hundesteuer 2027;HST-27-1;15.05.2027;21,00
hund1@example.org;dog_tax;Hundesteuer 2027;HST-27-1;15.08.2027;21,00
hund1@example.org;dog_tax;Hundesteuer 2027;HST-27-1;15.11.2027;21,00
hund2@example.org;dog_tax;Hundesteuer 2027 (gefährlicher Hund);HST-27-2;2027-02-15;400
niemand@example.org;fee;Gebühr;GEB-1;01.03.2027;1.234,56
"""


def test_staff_create_with_explicit_instalments(signed_in):
    staff = signed_in("sb1@example.org", "staff", ("abfall",))
    citizen = signed_in("muell@example.org")
    created = create_notice(
        staff,
        "muell@example.org",
        kind="waste_fees",
        title="Abfallgebühren 2027",
        kassenzeichen="ABF/2027/0042",
        schedule=None,
        instalments=[
            {"due_date": "2027-03-01", "amount_cents": 12050},
            {"due_date": "2027-09-01", "amount_cents": 12050},
        ],
    )
    assert created["total_cents"] == 24100 and created["email"] == "muell@example.org"
    assert created["source"] == "staff"
    mine = citizen.get("/api/notices").get_json()
    assert [n["kassenzeichen"] for n in mine] == ["ABF/2027/0042"]
    assert mine[0]["next_due_date"] == "2027-03-01" and mine[0]["status"] == "open"
    with db.connection_context():
        assert AuditEvent.select().where(AuditEvent.action == "notice_created").count() == 1


def test_quarterly_schedule_splits_odd_amounts(signed_in):
    staff = signed_in("sb2@example.org", "staff", ("hundesteuer",))
    signed_in("zwei@example.org")
    created = create_notice(
        staff,
        "zwei@example.org",
        kassenzeichen="HST-2",
        schedule={"type": "quarterly", "year": 2027, "total_cents": 19201},
    )
    assert [i["amount_cents"] for i in created["instalments"]] == [4801, 4800, 4800, 4800]


def test_create_refuses_bad_input_and_changes_nothing(signed_in):
    staff = signed_in("sb3@example.org", "staff", ("hundesteuer",))
    signed_in("ziel@example.org")
    base = {
        "email": "ziel@example.org",
        "kind": "dog_tax",
        "title": "Hundesteuer",
        "kassenzeichen": "HST-3",
        "instalments": [{"due_date": "2027-02-15", "amount_cents": 2100}],
    }
    cases = [
        ({"email": "unbekannt@example.org"}, "email", "notice_no_account"),
        ({"kassenzeichen": "HST 3 #"}, "kassenzeichen", "notice_kassenzeichen"),
        ({"kind": "hundesteuer"}, "kind", "invalid_choice"),
        (
            {
                "instalments": [
                    {"due_date": "2027-05-15", "amount_cents": 2100},
                    {"due_date": "2027-02-15", "amount_cents": 2100},
                ]
            },
            "instalments",
            "notice_due_dates_order",
        ),
        (
            {"instalments": [{"due_date": "2027-02-15", "amount_cents": 0}]},
            "instalments.0.amount_cents",
            "out_of_range",
        ),
        (
            {"schedule": {"type": "quarterly", "year": 2027, "total_cents": 8400}},
            "instalments",
            "invalid_value",
        ),
    ]
    for change, field, code in cases:
        response = staff.post("/api/staff/notices", json=base | change)
        assert response.status_code == 422, (change, response.get_json())
        errors = {(e["field"], e["code"]) for e in response.get_json()["errors"]}
        assert (field, code) in errors, errors
    assert staff.post("/api/staff/notices", json=base).status_code == 201
    duplicate = staff.post("/api/staff/notices", json=base)
    assert duplicate.status_code == 422
    assert duplicate.get_json()["errors"][0]["code"] == "notice_kassenzeichen_taken"
    with db.connection_context():
        assert Notice.select().count() == 1


def test_citizens_and_officers_cannot_create_or_import(signed_in, make_client):
    signed_in("opfer@example.org")
    for who, role in (("buerger@example.org", "citizen"), ("officer@example.org", "officer")):
        client = signed_in(who, role)
        body = {
            "email": "opfer@example.org",
            "kind": "fee",
            "title": "Fake",
            "kassenzeichen": "FAKE-1",
            "instalments": [{"due_date": "2027-01-01", "amount_cents": 100}],
        }
        assert client.post("/api/staff/notices", json=body).status_code == 403
        assert client.get("/api/staff/notices").status_code == 403
        imported = client.post(
            "/api/staff/notices/import", data=CSV.encode(), headers={"Content-Type": "text/csv"}
        )
        assert imported.status_code == 403
    assert make_client().post("/api/staff/notices", json={}).status_code == 401


def test_csv_import(signed_in, app):
    # The finance system's file holds every kind: the treasury (Stadtkasse) imports it.
    staff = signed_in("sb4@example.org", "staff", ("kasse",))
    owner = signed_in("hund1@example.org")
    signed_in("hund2@example.org")
    response = staff.post(
        "/api/staff/notices/import",
        data=("\ufeff" + CSV).encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert len(result["created"]) == 2
    assert result["skipped"] == [{"line": 7, "kassenzeichen": "GEB-1", "reason": "no_account"}]
    notices = owner.get("/api/notices").get_json()
    assert len(notices) == 1 and notices[0]["total_cents"] == 8400
    assert [i["due_date"] for i in notices[0]["instalments"]] == [
        "2027-02-15",
        "2027-05-15",
        "2027-08-15",
        "2027-11-15",
    ]
    found = staff.get("/api/staff/notices?kassenzeichen=HST-27-2").get_json()
    assert found[0]["total_cents"] == 40000 and found[0]["source"] == "import"
    # The same file again: nothing new, every notice reported as existing.
    again = staff.post(
        "/api/staff/notices/import", data=CSV.encode(), headers={"Content-Type": "text/csv"}
    ).get_json()
    assert again["created"] == [] and {s["reason"] for s in again["skipped"]} == {
        "exists",
        "no_account",
    }


def test_csv_import_as_upload_in_windows_encoding(signed_in):
    import io

    staff = signed_in("sb5@example.org", "staff", ("hundesteuer",))
    signed_in("hund2@example.org")
    text = "email;art;titel;kassenzeichen;faellig_am;betrag\n" + (
        "hund2@example.org;dog_tax;Hundesteuer für Bello;HST-W-1;15.02.2027;96,00\n"
    )
    response = staff.post(
        "/api/staff/notices/import",
        data={"file": (io.BytesIO(text.encode("cp1252")), "export.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    with db.connection_context():
        assert Notice.get(Notice.kassenzeichen == "HST-W-1").title == "Hundesteuer für Bello"


def test_csv_import_with_errors_imports_nothing(signed_in):
    staff = signed_in("sb6@example.org", "staff", ("hundesteuer",))
    signed_in("hund1@example.org")
    bad = CSV.replace("15.05.2027;21,00", "31.02.2027;21,00").replace(
        "HST-27-2;2027-02-15;400", "HST-27-2;2027-02-15;vierhundert"
    )
    response = staff.post(
        "/api/staff/notices/import", data=bad.encode(), headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "notice_import_invalid"
    fields = {(e["field"], e["code"]) for e in body["errors"]}
    assert ("line.3.due_date", "invalid_date") in fields
    assert ("line.6.amount", "notice_import_amount") in fields
    missing = staff.post(
        "/api/staff/notices/import",
        data=b"email;titel\nx@example.org;y\n",
        headers={"Content-Type": "text/csv"},
    )
    assert missing.status_code == 422
    assert "kassenzeichen" in missing.get_json()["errors"][0]["message"]
    wrong_type = staff.post("/api/staff/notices/import", json={"csv": CSV})
    assert wrong_type.status_code == 422
    with db.connection_context():
        assert Notice.select().count() == 0 and NoticeInstalment.select().count() == 0


def test_cli_import(app, tmp_path, signed_in):
    signed_in("hund1@example.org")
    path = tmp_path / "hundesteuer.csv"
    path.write_text(CSV, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["payments", "import-notices", str(path)])
    assert result.exit_code == 0, result.output
    assert "Created 1 notices, skipped 2" in result.output
    broken = tmp_path / "kaputt.csv"
    broken.write_text(CSV.replace("21,00", "21,0,0"), encoding="utf-8")
    failed = app.test_cli_runner().invoke(args=["payments", "import-notices", str(broken)])
    assert failed.exit_code != 0 and "nothing was imported" in failed.output


def test_overdue_and_paid_status(signed_in):
    staff = signed_in("sb7@example.org", "staff", ("hundesteuer",))
    citizen = signed_in("alt@example.org")
    notice = create_notice(
        staff,
        "alt@example.org",
        kassenzeichen="HST-OLD",
        schedule={"type": "quarterly", "year": 2020, "total_cents": 8400},
    )
    assert notice["status"] == "overdue"
    assert all(i["overdue"] for i in notice["instalments"])
    detail = citizen.get(f"/api/notices/{notice['id']}").get_json()
    assert detail["payments"] == [] and detail["open_cents"] == 8400


SURCHARGE_CSV = """email;art;titel;kassenzeichen;faellig_am;betrag
bello@example.org;waste_fees;Abfallgebühren 2027;ABF-27-9;01.03.2027;120,00
bello@example.org;dog_tax;Hundesteuer Nachzahlung;HST-NZ-1;01.03.2027;250,00
"""


def test_notices_follow_the_service_areas(signed_in):
    """A clerk sees and issues only notices of the kinds of their areas; the
    treasury (Stadtkasse) and admins see and issue all."""
    treasury = signed_in("kasse@example.org", "staff", ("kasse",))
    waste = signed_in("muell.sb@example.org", "staff", ("abfall",))
    dogs = signed_in("hunde.sb@example.org", "staff", ("hundesteuer",))
    admin = signed_in("chef@example.org", "admin")
    citizen = signed_in("bello@example.org")
    create_notice(treasury, "bello@example.org", kassenzeichen="HST-27-7")
    create_notice(
        treasury, "bello@example.org", kind="waste_fees", title="Abfall", kassenzeichen="ABF-1"
    )

    def seen(client, **query):
        response = client.get("/api/staff/notices", query_string=query)
        assert response.status_code == 200, response.get_json()
        return sorted(n["kassenzeichen"] for n in response.get_json())

    assert seen(waste, email="bello@example.org") == ["ABF-1"]
    assert seen(waste, kassenzeichen="HST-27-7") == []
    assert seen(dogs, email="bello@example.org") == ["HST-27-7"]
    assert seen(treasury, email="bello@example.org") == ["ABF-1", "HST-27-7"]
    assert seen(admin, email="bello@example.org") == ["ABF-1", "HST-27-7"]

    refused = waste.post(
        "/api/staff/notices",
        json={
            "email": "bello@example.org",
            "kind": "dog_tax",
            "title": "Hundesteuer Nachzahlung",
            "kassenzeichen": "HST-NZ-0",
            "instalments": [{"due_date": "2027-03-01", "amount_cents": 25000}],
        },
    )
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "notice_kind_not_allowed"
    assert [(e["field"], e["code"]) for e in refused.get_json()["errors"]] == [
        ("kind", "notice_kind_not_your_area")
    ]
    assert "Aufgabenbereichen" in refused.get_json()["errors"][0]["message"]

    imported = waste.post(
        "/api/staff/notices/import",
        data=SURCHARGE_CSV.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert imported.status_code == 422
    assert [(e["field"], e["code"]) for e in imported.get_json()["errors"]] == [
        ("line.3.kind", "notice_kind_not_your_area")
    ]
    # Nothing of the file was imported, not even the clerk's own waste fee line.
    assert sorted(n["kassenzeichen"] for n in citizen.get("/api/notices").get_json()) == [
        "ABF-1",
        "HST-27-7",
    ]
    with db.connection_context():
        assert Notice.select().count() == 2

    allowed = dogs.post(
        "/api/staff/notices/import",
        data=SURCHARGE_CSV.replace("bello@example.org;waste_fees", "x@example.org;dog_tax")
        .replace("Abfallgebühren 2027;ABF-27-9", "Hundesteuer;HST-27-9")
        .encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert allowed.status_code == 200, allowed.get_json()
    assert len(allowed.get_json()["created"]) == 1


def test_notice_kind_without_area_stops_the_portal(other_app, tmp_path, database_url):
    from app.config import ConfigError

    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(tmp_path),
        "DATABASE_URL": database_url,
        "PORTAL_BASE_URL": "http://localhost:5000",
    }
    for mapping, problem in [
        ("dog_tax:hundesteuer", "'waste_fees' has no area"),
        (
            "dog_tax:hundesteuer,waste_fees:abfall,trade_tax:gewerbe,property_tax:kasse,"
            "fee:kasse,other:kasse,parking_fine:parken",
            "unknown kind 'parking_fine'",
        ),
        ("dog_tax", "expected kind:area"),
    ]:
        with pytest.raises(ConfigError, match=problem):
            other_app(env | {"PAYMENT_NOTICE_AREAS": mapping})
