"""Feedback from the accessibility statement: stored, mailed to the contact, listed for admins."""

from __future__ import annotations

from app.mail import read_outbox


def test_anyone_can_report_a_barrier(make_client, app, signed_in):
    anonymous = make_client()
    response = anonymous.post(
        "/api/feedback",
        json={
            "kind": "accessibility",
            "message": "Der Kalender ist mit der Tastatur nicht bedienbar.",
            "email": "Leser@Example.org",
            "page": "/antrag/x/termin",
        },
    )
    assert response.status_code == 201
    assert response.get_json()["email"] == "leser@example.org"
    mail = read_outbox(app.config["INSTANCE_PATH"], app.config["FEEDBACK_EMAIL"])[0]
    assert mail["subject"].startswith("Barriere gemeldet") and "Tastatur" in mail["body"]
    admin = signed_in("admin@example.org", "admin")
    listed = admin.get("/api/admin/feedback", query_string={"open_only": "true"}).get_json()
    assert [f["message"] for f in listed] == ["Der Kalender ist mit der Tastatur nicht bedienbar."]
    assert admin.post(f"/api/admin/feedback/{listed[0]['id']}/handled").get_json()["handled_at"]
    assert admin.get("/api/admin/feedback", query_string={"open_only": "true"}).get_json() == []
    citizen = signed_in("c@example.org")
    assert citizen.get("/api/admin/feedback").status_code == 403


def test_bad_feedback_is_refused_field_by_field(make_client):
    response = make_client("en").post(
        "/api/feedback", json={"kind": "rant", "message": " ", "email": "nope"}
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == {"kind"}
    response = make_client().post("/api/feedback", json={"message": " ", "email": "nope"})
    assert {e["field"]: e["code"] for e in response.get_json()["errors"]} == {
        "message": "feedback_message",
        "email": "invalid_email",
    }


def test_feedback_is_rate_limited(client):
    statuses = [
        client.post("/api/feedback", json={"message": f"Hinweis {i}"}).status_code for i in range(6)
    ]
    assert statuses == [201] * 5 + [429]
