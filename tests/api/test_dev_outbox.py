"""The development outbox holds every sign-in code: only this machine or an admin sees it."""

from __future__ import annotations

import pytest

REMOTE = {"REMOTE_ADDR": "10.0.0.5"}
EMAIL = "outbox@example.org"


@pytest.fixture
def code_mail(client) -> str:
    """A sign-in code mailed to EMAIL (in the outbox)."""
    assert client.post("/api/auth/email/start", json={"email": EMAIL}).status_code == 202
    return client.latest_code(EMAIL)


def _assert_refused(response, code: str) -> None:
    assert response.status_code == 403
    assert code not in response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == "dev_outbox_refused"
    assert "Administrator" in body["message"]


@pytest.mark.parametrize("path", ["/dev/outbox.json", "/dev/outbox"])
def test_a_remote_client_is_refused(make_client, code_mail, path):
    _assert_refused(make_client().get(path, environ_base=REMOTE), code_mail)


def test_a_spoofed_forwarded_for_does_not_make_a_remote_client_local(make_client, code_mail):
    for header in ("X-Forwarded-For", "X-Real-IP"):
        response = make_client().get(
            "/dev/outbox.json", environ_base=REMOTE, headers={header: "127.0.0.1"}
        )
        _assert_refused(response, code_mail)


def test_a_loopback_client_reads_the_outbox(make_client, code_mail):
    for address in ("127.0.0.1", "::1"):
        mails = make_client().get("/dev/outbox.json", environ_base={"REMOTE_ADDR": address})
        assert mails.status_code == 200
        assert mails.get_json()[0]["subject"].endswith(code_mail)


def test_a_loopback_peer_forwarding_for_someone_else_is_refused(make_client, code_mail):
    # A reverse proxy on this machine that the portal was not told about
    # (PORTAL_PROXY_COUNT=0): every request arrives from 127.0.0.1.
    response = make_client().get("/dev/outbox.json", headers={"X-Forwarded-For": "203.0.113.9"})
    _assert_refused(response, code_mail)


def test_an_instance_published_under_another_name_trusts_no_loopback_peer(
    app, other_app, database_url, code_mail
):
    # A staging instance behind a proxy or tunnel on the same machine that adds no
    # forwarding header: every visitor arrives from 127.0.0.1 with nothing to tell them
    # apart, so loopback proves nothing there and only an admin may read the outbox.
    staging = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": app.config["INSTANCE_PATH"],
            "DATABASE_URL": database_url,
            "PORTAL_BASE_URL": "https://staging.example.org",
        }
    )
    response = staging.test_client().get(
        "/dev/outbox.json", environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    _assert_refused(response, code_mail)


def test_an_admin_reads_the_outbox_from_anywhere(signed_in, code_mail):
    admin = signed_in("admin@example.org", role="admin")
    response = admin.get("/dev/outbox.json", environ_base=REMOTE)
    assert response.status_code == 200
    assert any(m["subject"].endswith(code_mail) for m in response.get_json())


@pytest.mark.parametrize("role", ["citizen", "staff", "officer"])
def test_other_signed_in_users_are_refused_from_remote(signed_in, code_mail, role):
    user = signed_in(f"{role}@example.org", role=role)
    _assert_refused(user.get("/dev/outbox.json", environ_base=REMOTE), code_mail)


def test_behind_a_configured_proxy_the_forwarded_client_counts(
    app, other_app, database_url, code_mail
):
    proxied = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": app.config["INSTANCE_PATH"],
            "DATABASE_URL": database_url,
            "PORTAL_PROXY_COUNT": "1",
        }
    )
    client = proxied.test_client()
    # The proxy (on this machine) appends the address it saw; a client's own
    # "127.0.0.1" before it is not trusted.
    spoofed = client.get("/dev/outbox.json", headers={"X-Forwarded-For": "127.0.0.1, 10.0.0.5"})
    _assert_refused(spoofed, code_mail)
    local = client.get("/dev/outbox.json", headers={"X-Forwarded-For": "127.0.0.1"})
    assert local.status_code == 200 and local.get_json()[0]["subject"].endswith(code_mail)
    # Without a forwarded address the loopback peer is only the proxy itself.
    _assert_refused(client.get("/dev/outbox.json"), code_mail)


def test_the_page_says_who_can_see_it(make_client, code_mail):
    german = make_client().get("/dev/outbox").get_data(as_text=True)
    assert code_mail in german
    assert "nur auf dem Rechner, auf dem das Portal läuft" in german
    assert 'lang="de"' in german
    english = make_client("en").get("/dev/outbox").get_data(as_text=True)
    assert "Only the machine the portal runs on and signed-in administrators" in english
    assert 'lang="en"' in english
