"""Rate limits on code requests and sign-in attempts."""

from __future__ import annotations


def test_code_requests_per_address_are_limited(make_client):
    email = "flood@example.org"
    statuses = [
        make_client().post("/api/auth/email/start", json={"email": email}).status_code
        for _ in range(4)
    ]
    assert statuses == [202, 202, 202, 429]


def test_code_requests_per_client_are_limited(client):
    statuses = [
        client.post("/api/auth/email/start", json={"email": f"user{i}@example.org"}).status_code
        for i in range(6)
    ]
    assert statuses[:5] == [202] * 5 and statuses[5] == 429
    body = client.post("/api/auth/email/start", json={"email": "x@example.org"}).get_json()
    assert body["code"] == "too_many_requests" and body["message"].startswith("Zu viele")


def test_code_guessing_is_limited(client):
    client.post("/api/auth/email/start", json={"email": "guess@example.org"})
    statuses = [
        client.post(
            "/api/auth/email/verify", json={"email": "guess@example.org", "code": f"{i:06d}"}
        ).status_code
        for i in range(11)
    ]
    assert 429 in statuses and statuses[:5].count(422) == 5


def test_passkey_attempts_are_limited(client):
    statuses = [
        client.post(
            "/api/auth/passkey/verify", json={"challenge_id": "x", "credential": {}}
        ).status_code
        for _ in range(21)
    ]
    assert statuses[-1] == 429 and set(statuses[:20]) == {422}
