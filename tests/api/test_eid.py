"""eID over HTTP: the whole simulated flow, and every way to cheat it refused."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from app.db import db, utcnow
from app.eid import tctoken
from app.models import AuditEvent, EidBinding, EidSession, User
from tests.conftest import BASE_URL


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class EidBrowser:
    """A browser going through the eID flow with the simulated AusweisApp."""

    def __init__(self, api) -> None:
        self.api = api

    def start(self, purpose: str = "login", return_to: str | None = None) -> dict:
        body = {"purpose": purpose}
        if return_to is not None:
            body["return_to"] = return_to
        response = self.api.post("/api/eid/start", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def open_client(self, started: dict) -> tuple[str, str]:
        """The simulated AusweisApp page: fetches the TCToken; returns session and PSK."""
        page = self.api.get(_path(started["simulator_url"]))
        assert page.status_code == 200, page.get_data(as_text=True)
        html = page.get_data(as_text=True)
        session = re.search(r'name="session" value="([^"]+)"', html)[1]
        psk = re.search(r'name="psk" value="([^"]+)"', html)[1]
        return session, psk

    def use_card(self, session: str, psk: str, identity: str = "erika", outcome: str = "ok") -> str:
        """Enter the PIN in the simulated AusweisApp; returns the RefreshAddress to open."""
        response = self.api.post(
            "/api/eid/simulator/client",
            data={
                "session": session,
                "psk": psk,
                "identity": identity,
                "pin": "123456",
                "outcome": outcome,
                "action": "identify",
            },
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["redirect_to"]

    def refresh(self, url: str) -> str:
        response = self.api.get(_path(url))
        assert response.status_code == 303, response.get_data(as_text=True)
        return response.headers["Location"]

    def run(
        self,
        identity: str = "erika",
        purpose: str = "login",
        return_to: str | None = None,
        outcome: str = "ok",
    ) -> str:
        """The whole flow; returns where the RefreshAddress sends the browser."""
        started = self.start(purpose, return_to)
        session, psk = self.open_client(started)
        return self.refresh(self.use_card(session, psk, identity, outcome))

    def session(self) -> dict:
        return self.api.get("/api/auth/session").get_json()

    def confirm_email(self, email: str) -> dict:
        assert self.api.post("/api/eid/email/start", json={"email": email}).status_code == 202
        response = self.api.post(
            "/api/eid/email/verify", json={"email": email, "code": self.api.latest_code(email)}
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def browser(client) -> EidBrowser:
    return EidBrowser(client)


@pytest.fixture
def make_browser(make_client):
    return lambda: EidBrowser(make_client())


def _actions() -> list[str]:
    with db.connection_context():
        return [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]


ALL_CARD_FIELDS = [
    "given_names",
    "family_name",
    "date_of_birth",
    "street",
    "house_number",
    "postal_code",
    "city",
]


def _signed_up_with_erika(browser: EidBrowser, email: str = "erika@example.org") -> dict:
    """Erika's account, bound to her card, with the card's data taken into the profile."""
    assert browser.run("erika") == "/anmelden/ausweis?schritt=e-mail"
    body = browser.confirm_email(email)
    browser.session()  # pick up the CSRF token of the new session
    taken = browser.api.post("/api/account/eid-data", json={"take": ALL_CARD_FIELDS})
    assert taken.status_code == 200, taken.get_json()
    return body


# --- start and TCToken ------------------------------------------------------------


def test_start_answers_the_ausweisapp_links(client):
    response = client.post("/api/eid/start", json={"purpose": "login", "return_to": "/konto"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["test_mode"] is True
    url = body["tc_token_url"]
    assert url.startswith(f"{BASE_URL}/api/eid/tctoken/")
    mobile, desktop = body["client_url_mobile"], body["client_url_desktop"]
    assert mobile.startswith("eid://127.0.0.1:24727/eID-Client?tcTokenURL=")
    assert desktop.startswith("http://127.0.0.1:24727/eID-Client?tcTokenURL=")
    for link in (mobile, desktop, body["simulator_url"]):
        # Encoded completely, so the token URL survives as one query parameter.
        assert parse_qs(urlsplit(link).query)["tcTokenURL"] == [url]
        assert "/" not in link.split("tcTokenURL=", 1)[1]
    assert unquote(mobile.split("tcTokenURL=", 1)[1]) == url
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("bp_eid="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    "bad", ["//evil.example/x", "https://evil.example/", "/api/account", "konto", "/\\evil.example"]
)
def test_start_refuses_foreign_return_addresses(client, bad):
    response = client.post("/api/eid/start", json={"purpose": "login", "return_to": bad})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "return_to"


def test_start_validates_purpose_and_confirm_needs_a_sign_in(client):
    assert client.post("/api/eid/start", json={"purpose": "pay"}).status_code == 422
    response = client.post("/api/eid/start", json={"purpose": "confirm"})
    assert response.status_code == 401


def test_tc_token_is_valid_xml_and_single_use(client):
    started = EidBrowser(client).start()
    path = _path(started["tc_token_url"])
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.headers["Cache-Control"] == "no-store"
    token = tctoken.validate(tctoken.parse(response.data), test_mode=True)
    assert token.refresh_address.startswith(f"{BASE_URL}/api/eid/refresh?ref=")
    assert token.server_address == f"{BASE_URL}/api/eid/simulator/paos"
    again = client.get(path)
    assert again.status_code == 410 and again.get_json()["code"] == "eid_session_used"
    unknown = client.get("/api/eid/tctoken/not-a-token")
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "eid_session_unknown"


def test_expired_attempt_gives_no_tc_token(client):
    started = EidBrowser(client).start()
    with db.connection_context():
        EidSession.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    response = client.get(_path(started["tc_token_url"]))
    assert response.status_code == 410 and response.get_json()["code"] == "eid_session_expired"


# --- the whole flow ---------------------------------------------------------------


def test_first_eid_sign_in_opens_a_verified_account(browser):
    location = browser.run("erika", return_to="/dienste/meldebescheinigung")
    assert location == "/anmelden/ausweis?schritt=e-mail"
    # Not signed in yet: the account needs a confirmed address first.
    assert browser.session()["authenticated"] is False
    status = browser.api.get("/api/eid/status").get_json()
    assert status["attempt"]["state"] == "email_required"
    assert status["attempt"]["identity"] == {"given_names": "ERIKA", "family_name": "MUSTERMANN"}
    body = browser.confirm_email("erika@example.org")
    assert body["authenticated"] is True and body["new_account"] is True
    assert body["user"]["trust_level"] == "high"
    # First the citizen compares the card with the profile, then goes on.
    assert body["redirect_to"] == "/konto/ausweis-daten?weiter=/dienste/meldebescheinigung"
    browser.session()
    profile = browser.api.get("/api/account/profile").get_json()
    # Nothing of the card reached the profile before the citizen confirmed.
    assert (profile["family_name"], profile["city"], profile["verified"]) == ("", "", [])
    review = browser.api.get("/api/account/eid-data").get_json()
    assert review["pending"] is True
    cards = {f["name"]: (f["card"], f["profile"]) for f in review["fields"]}
    assert cards["family_name"] == ("Mustermann", "")
    assert cards["street"] == ("Heidestrasse", "") and cards["city"] == ("Köln", "")
    assert (
        browser.api.post("/api/account/eid-data", json={"take": ALL_CARD_FIELDS}).status_code == 200
    )
    profile = browser.api.get("/api/account/profile").get_json()
    assert profile["given_names"] == "Erika" and profile["family_name"] == "Mustermann"
    assert profile["date_of_birth"] == "1964-08-12"
    assert (profile["street"], profile["house_number"]) == ("Heidestrasse", "17")
    assert (profile["postal_code"], profile["city"]) == ("51147", "Köln")
    assert set(profile["verified"]) == set(ALL_CARD_FIELDS)
    assert profile["sources"]["city"]["source"] == "eid"
    assert browser.api.get("/api/account/eid-data").get_json()["pending"] is False
    # Verified fields cannot be edited without a new eID check.
    refused = browser.api.put("/api/account/profile", json={"family_name": "Musterfrau"})
    assert (
        refused.status_code == 422 and refused.get_json()["errors"][0]["code"] == "verified_locked"
    )
    status = browser.api.get("/api/eid/status").get_json()
    assert status["binding"]["document_type"] == "ID" and status["trust_level"] == "high"
    assert status["attempt"]["state"] == "done"
    actions = _actions()
    assert {"account_created", "eid_bound", "login"} <= set(actions)
    with db.connection_context():
        # The pseudonym is stored hashed; the waiting identity is gone once used.
        assert EidSession.get().result is None and EidSession.get().psk == ""


def test_known_card_signs_in_directly(browser, make_browser):
    _signed_up_with_erika(browser)
    other_device = make_browser()
    location = other_device.run("erika", return_to="/dienste/meldebescheinigung")
    assert location == "/dienste/meldebescheinigung"
    session = other_device.session()
    assert session["authenticated"] is True
    assert session["user"]["email"] == "erika@example.org"
    assert session["user"]["trust_level"] == "high"
    assert "eid_login" in _actions()
    # Without return_to, the account page says it worked.
    assert make_browser().run("erika") == "/konto?eid=ok"


def test_session_cookie_of_an_eid_sign_in_is_a_fresh_session(browser, make_browser):
    _signed_up_with_erika(browser)
    device = make_browser()
    device.api.sign_in_by_email("someone@example.org")
    device.run("erika")
    session = device.session()
    assert session["user"]["email"] == "erika@example.org"
    with db.connection_context():
        # The earlier session of this browser was ended, not taken over.
        someone = User.get(User.email == "someone@example.org")
        assert not list(someone.sessions)


def test_first_eid_sign_in_can_join_an_existing_email_account(browser, signed_in):
    signed_in("erika@example.org")  # opened earlier with an e-mail code
    assert browser.run("erika") == "/anmelden/ausweis?schritt=e-mail"
    body = browser.confirm_email("erika@example.org")
    assert body["new_account"] is False and body["user"]["trust_level"] == "high"
    with db.connection_context():
        assert User.select().count() == 1 and EidBinding.select().count() == 1


def test_confirming_card_data_refuses_unknown_fields_and_changes_nothing(browser):
    assert browser.run("erika") == "/anmelden/ausweis?schritt=e-mail"
    browser.confirm_email("erika@example.org")
    browser.session()
    for bad in ({"take": ["phone"]}, {"take": "city"}, {}):
        response = browser.api.post("/api/account/eid-data", json=bad)
        assert response.status_code == 422, bad
        assert response.get_json()["errors"][0]["field"].startswith("take")
    assert browser.api.get("/api/account/profile").get_json()["verified"] == []
    assert browser.api.get("/api/account/eid-data").get_json()["pending"] is True
    # "Keep mine": nothing taken over, the review is closed.
    kept = browser.api.post("/api/account/eid-data", json={"take": []})
    assert kept.status_code == 200 and kept.get_json()["family_name"] == ""
    assert browser.api.get("/api/account/eid-data").get_json()["pending"] is False


def test_card_data_needs_a_card(signed_in):
    api = signed_in("jonas@example.org")
    assert api.get("/api/account/eid-data").status_code == 404
    response = api.post("/api/account/eid-data", json={"take": []})
    assert response.status_code == 409
    assert response.get_json()["code"] == "eid_nothing_to_confirm"


def test_email_step_needs_a_waiting_attempt(client):
    response = client.post("/api/eid/email/start", json={"email": "x@example.org"})
    assert response.status_code == 409 and response.get_json()["code"] == "eid_no_pending"


def test_email_step_with_a_wrong_code_keeps_the_attempt(browser):
    browser.run("erika")
    browser.api.post("/api/eid/email/start", json={"email": "erika@example.org"})
    wrong = browser.api.post(
        "/api/eid/email/verify", json={"email": "erika@example.org", "code": "000000"}
    )
    assert wrong.status_code == 422
    assert browser.api.get("/api/eid/status").get_json()["attempt"]["state"] == "email_required"
    body = browser.confirm_email("erika@example.org")
    assert body["user"]["trust_level"] == "high"


def test_confirm_links_the_signed_in_account(signed_in):
    api = signed_in("jonas@example.org")
    browser = EidBrowser(api)
    api.put("/api/account/profile", json={"given_names": "Jonas", "city": "Dueren"})
    location = browser.run("jonas", purpose="confirm", return_to="/dienste/gewerbeanzeige")
    assert location == "/konto/ausweis-daten?weiter=/dienste/gewerbeanzeige"
    account = api.get("/api/account").get_json()
    assert account["trust_level"] == "high"
    profile = api.get("/api/account/profile").get_json()
    assert (profile["given_names"], profile["street"], profile["city"]) == ("Jonas", "", "Dueren")
    # Keep the own given name, take the address; the city's street keeps its spelling.
    taken = api.post(
        "/api/account/eid-data", json={"take": ["street", "house_number", "postal_code", "city"]}
    )
    profile = taken.get_json()
    assert (profile["street"], profile["house_number"], profile["city"]) == (
        "Wirtelstraße",
        "12",
        "Düren",
    )
    assert profile["given_names"] == "Jonas" and "given_names" not in profile["verified"]
    assert "eid_bound" in _actions()


def test_confirm_after_signing_out_links_nothing(signed_in):
    api = signed_in("jonas@example.org")
    browser = EidBrowser(api)
    started = browser.start("confirm")
    session, psk = browser.open_client(started)
    refresh_url = browser.use_card(session, psk, "jonas")
    api.post("/api/auth/logout")
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=not_signed_in"
    with db.connection_context():
        assert EidBinding.select().count() == 0
        assert User.get(User.email == "jonas@example.org").trust_level == "basic"


def test_confirm_links_only_the_account_that_asked(signed_in):
    api = signed_in("jonas@example.org")
    browser = EidBrowser(api)
    started = browser.start("confirm")
    session, psk = browser.open_client(started)
    refresh_url = browser.use_card(session, psk, "jonas")
    # Someone else signs in on the same browser before the AusweisApp returns.
    api.post("/api/auth/logout")
    api.csrf = None
    api.sign_in_by_email("someone@example.org")
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=not_signed_in"
    with db.connection_context():
        assert EidBinding.select().count() == 0
        assert User.get(User.email == "someone@example.org").trust_level == "basic"


# --- binding rules over HTTP ------------------------------------------------------


def test_card_of_another_account_is_refused(browser, signed_in):
    _signed_up_with_erika(browser)
    mallory = EidBrowser(signed_in("mallory@example.org"))
    assert mallory.run("erika", purpose="confirm") == "/anmelden/ausweis?fehler=already_bound"
    assert mallory.api.get("/api/account").get_json()["trust_level"] == "basic"
    status = mallory.api.get("/api/eid/status").get_json()
    assert status["attempt"]["error"] == "already_bound"
    assert "anderen Bürgerkonto" in status["attempt"]["message"]
    assert "eid_conflict" in _actions()


def test_new_card_rebinds_for_the_signed_in_citizen(browser):
    _signed_up_with_erika(browser)
    browser.session()  # pick up the CSRF token of the new session
    assert browser.run("erika_neu", purpose="confirm") == "/konto?eid=ok"
    assert "eid_rebound" in _actions()
    with db.connection_context():
        assert EidBinding.select().count() == 1
    browser.api.post("/api/auth/logout")
    # The old card is no longer known; the new one signs in.
    assert browser.run("erika") == "/anmelden/ausweis?schritt=e-mail"
    assert browser.run("erika_neu") == "/konto?eid=ok"
    assert browser.session()["user"]["email"] == "erika@example.org"


def test_new_card_rebinds_after_an_email_code(browser, make_browser):
    _signed_up_with_erika(browser)
    device = make_browser()
    assert device.run("erika_neu") == "/anmelden/ausweis?schritt=e-mail"
    body = device.confirm_email("erika@example.org")
    assert body["new_account"] is False and body["user"]["email"] == "erika@example.org"
    assert "eid_rebound" in _actions()


def test_card_of_another_person_cannot_replace_the_verified_one(browser, make_browser):
    _signed_up_with_erika(browser)
    # Someone with access to Erika's mailbox but their own ID card.
    intruder = make_browser()
    assert intruder.run("jonas") == "/anmelden/ausweis?schritt=e-mail"
    intruder.api.post("/api/eid/email/start", json={"email": "erika@example.org"})
    response = intruder.api.post(
        "/api/eid/email/verify",
        json={"email": "erika@example.org", "code": intruder.api.latest_code("erika@example.org")},
    )
    assert response.status_code == 409 and response.get_json()["code"] == "eid_identity_mismatch"
    assert intruder.session()["authenticated"] is False
    with db.connection_context():
        erika = User.get(User.email == "erika@example.org")
        assert erika.profile.get().given_names == "Erika"


# --- what the RefreshAddress must not believe -------------------------------------


def test_forged_result_major_ok_without_a_result_is_refused(browser):
    started = browser.start()
    # The AusweisApp fetched the TCToken, but no card was ever used.
    document = browser.api.get(_path(started["tc_token_url"])).data
    refresh_address = tctoken.parse(document).refresh_address
    forged = f"{refresh_address}&ResultMajor=ok"
    assert browser.refresh(forged) == "/anmelden/ausweis?fehler=failed"
    assert browser.session()["authenticated"] is False
    with db.connection_context():
        assert User.select().count() == 0 and EidBinding.select().count() == 0
    # And the attempt is spent: a later real result cannot be slipped in through it.
    assert browser.refresh(forged) == "/anmelden/ausweis?fehler=already_used"


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        ("wrong_pin", "wrong_pin"),
        ("card_blocked", "card_blocked"),
        ("cancelled", "cancelled"),
        ("server_error", "server_error"),
    ],
)
def test_forged_ok_after_a_failed_card_step_is_refused(browser, outcome, code):
    started = browser.start()
    session, psk = browser.open_client(started)
    refresh_url = browser.use_card(session, psk, "erika", outcome)
    assert "ResultMajor=error" in refresh_url
    forged = refresh_url.split("&ResultMajor=")[0] + "&ResultMajor=ok"
    # getResult says what happened; the message follows the eID-Server, not the URL.
    assert browser.refresh(forged) == f"/anmelden/ausweis?fehler={code}"
    assert browser.session()["authenticated"] is False


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        ("cancelled", "cancelled"),
        ("wrong_pin", "wrong_pin"),
        ("card_blocked", "card_blocked"),
        ("server_error", "server_error"),
    ],
)
def test_error_messages_follow_the_result_minor(browser, outcome, code):
    location = browser.run("erika", outcome=outcome)
    assert location == f"/anmelden/ausweis?fehler={code}"
    status = browser.api.get("/api/eid/status").get_json()
    assert status["attempt"]["state"] == "failed" and status["attempt"]["error"] == code
    assert status["attempt"]["message"]


def test_error_in_the_url_never_signs_in_even_with_a_good_result(browser):
    _signed_up_with_erika(browser)
    browser.api.post("/api/auth/logout")
    started = browser.start()
    session, psk = browser.open_client(started)
    good = browser.use_card(session, psk, "erika", "ok")
    spoiled = good.replace("ResultMajor=ok", "ResultMajor=error&ResultMinor=cancellationByUser")
    assert browser.refresh(spoiled) == "/anmelden/ausweis?fehler=cancelled"
    assert browser.session()["authenticated"] is False


def test_replayed_refresh_address_is_refused(browser, make_browser):
    started = browser.start()
    session, psk = browser.open_client(started)
    refresh_url = browser.use_card(session, psk, "erika")
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?schritt=e-mail"
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=already_used"
    assert "eid_refused" in _actions()


def test_expired_attempt_is_refused_at_the_refresh_address(browser):
    started = browser.start()
    session, psk = browser.open_client(started)
    refresh_url = browser.use_card(session, psk, "erika")
    with db.connection_context():
        EidSession.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=expired"
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=already_used"
    assert browser.session()["authenticated"] is False


def test_refresh_address_is_bound_to_the_browser(browser, make_browser):
    _signed_up_with_erika(browser)
    browser.api.post("/api/auth/logout")
    started = browser.start()
    session, psk = browser.open_client(started)
    refresh_url = browser.use_card(session, psk, "erika")
    # Someone else opening the link gets nothing, and spoils nothing.
    attacker = make_browser()
    assert attacker.refresh(refresh_url) == "/anmelden/ausweis?fehler=other_browser"
    assert attacker.session()["authenticated"] is False
    assert "eid_refused" in _actions()
    assert browser.refresh(refresh_url) == "/konto?eid=ok"
    assert browser.session()["authenticated"] is True


def test_unknown_refresh_token_is_refused(client):
    response = client.get("/api/eid/refresh?ref=guessed&ResultMajor=ok")
    assert response.status_code == 303
    assert response.headers["Location"] == "/anmelden/ausweis?fehler=invalid"


def test_a_newer_attempt_replaces_the_cookie_of_an_older_one(browser):
    first = browser.start()
    session, psk = browser.open_client(first)
    refresh_url = browser.use_card(session, psk, "erika")
    browser.start()  # the citizen pressed the button again
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=other_browser"


# --- the simulator pages ----------------------------------------------------------


def test_simulated_ausweisapp_page_is_marked_and_csp_clean(client):
    started = EidBrowser(client).start()
    page = client.get(_path(started["simulator_url"]))
    html = page.get_data(as_text=True)
    assert "Testmodus" in html and "Erika Mustermann" in html and "Düren" in html
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    # No inline script or style: only files from this origin.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html
    for asset in re.findall(r'(?:src|href)="(/api/eid/simulator/assets/[^"]+)"', html):
        assert client.get(asset).status_code == 200
    english = client.get(_path(started["simulator_url"]), headers={"Accept-Language": "en"})
    assert english.status_code == 410  # single use, also for the simulated client


def test_simulated_ausweisapp_refuses_foreign_token_urls(client):
    page = client.get("/api/eid/simulator/client?tcTokenURL=https%3A%2F%2Fevil.example%2Ft")
    assert page.status_code == 400 and "Testmodus" in page.get_data(as_text=True)


def test_simulated_ausweisapp_checks_the_pin_and_can_cancel(browser):
    started = browser.start()
    session, psk = browser.open_client(started)
    response = browser.api.post(
        "/api/eid/simulator/client",
        data={
            "session": session,
            "psk": psk,
            "identity": "erika",
            "pin": "12",
            "action": "identify",
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"] == "Die PIN besteht aus 6 Ziffern."
    cancelled = browser.api.post(
        "/api/eid/simulator/client",
        data={"session": session, "psk": psk, "action": "cancel"},
        headers={"Accept": "application/json"},
    )
    refresh_url = cancelled.get_json()["redirect_to"]
    assert refresh_url.endswith("ResultMajor=error&ResultMinor=cancellationByUser")
    assert browser.refresh(refresh_url) == "/anmelden/ausweis?fehler=cancelled"


def test_simulator_soap_endpoint(client):
    from app.eid import messages

    document = messages.build_use_id_request(messages.UseIdRequest({"RestrictedID": "REQUIRED"}))
    response = client.post(
        "/api/eid/simulator/soap", data=document, headers={"Content-Type": "text/xml"}
    )
    assert response.status_code == 200
    assert messages.parse_use_id_response(response.data).result.ok
    fault = client.post("/api/eid/simulator/soap", data=b"<x/>")
    assert fault.status_code == 500 and b"Fault" in fault.data


def test_without_an_eid_server_everything_is_off(other_app, tmp_path):
    flask_app = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'off.sqlite3'}",
            "EID_ADAPTER": "",
        }
    )
    from app import migrations

    migrations.upgrade(db.obj)
    test_client = flask_app.test_client()
    response = test_client.post(
        "/api/eid/start", json={"purpose": "login"}, headers={"Origin": "http://localhost:5000"}
    )
    assert response.status_code == 503 and response.get_json()["code"] == "eid_unavailable"
    assert test_client.get("/api/eid/status").get_json()["enabled"] is False
    assert test_client.post("/api/eid/simulator/soap", data=b"<x/>").status_code == 404
    assert test_client.get("/api/eid/simulator/client").status_code == 404


def test_openapi_lists_the_eid_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in (
        "/api/eid/start",
        "/api/eid/tctoken/{token}",
        "/api/eid/refresh",
        "/api/eid/status",
    ):
        assert path in paths
    assert not any(p.startswith("/api/eid/simulator") for p in paths)
