"""BundID over HTTP against a fake BundID (pysaml2, BundID's profile): each level of
assurance gives its trust level, and every forged, unsigned, replayed, expired,
misaddressed or tampered answer is refused without a session."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import saml2.time_util

from app.db import db
from app.i18n import translate
from app.models import AuditEvent, BundidAssertion, BundidBinding, BundidRequest, User
from tests.conftest import BASE_URL, ApiClient
from tests.fakes.bundid_idp import (
    BPK2,
    LEVELS,
    QAA_LEVEL,
    FakeBundid,
    change_attribute,
)


@pytest.fixture
def fake_idp(tmp_path) -> FakeBundid:
    return FakeBundid(tmp_path)


@pytest.fixture
def live_app(app, other_app, fake_idp, tmp_path):
    """The portal configured for a real BundID, here the fake one."""
    metadata = tmp_path / "bundid-idp.xml"
    metadata.write_text(fake_idp.metadata(), encoding="utf-8")
    live = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": app.config["INSTANCE_PATH"],
            "DATABASE_URL": app.config["DATABASE_URL"],
            "PORTAL_BASE_URL": BASE_URL,
            # The same rate-limit counters, which every test starts afresh.
            "RATELIMIT_STORAGE_URI": app.config["RATELIMIT_STORAGE_URI"],
            "BUNDID_MODE": "live",
            "BUNDID_IDP_METADATA": str(metadata),
        }
    )
    fake_idp.trust(live.extensions["bundid"].get().sp.metadata())
    return live


class Citizen:
    """A browser signing in with BundID; ``idp`` plays BundID."""

    def __init__(self, portal, idp: FakeBundid, lang: str = "de") -> None:
        self.api = ApiClient(portal, lang)
        self.idp = idp

    def start(self, purpose: str = "login", **extra) -> dict:
        response = self.api.post("/api/bundid/start", json={"purpose": purpose, **extra})
        assert response.status_code == 201, response.get_json()
        started = response.get_json()
        request = self.idp.read_request(started["saml_request"])
        return request

    def post_answer(self, saml_response: str, json: bool = False):
        # BundID's page posts the form: another origin, none of the portal's cookies.
        headers = {"Origin": "https://bundid.fake.test"}
        if json:
            headers["Accept"] = "application/json"
        client = self.api.client
        return client.post(
            "/api/bundid/acs",
            data={"SAMLResponse": saml_response},
            headers={**headers, "Accept-Language": self.api.lang},
        )

    def follow(self, response) -> str:
        """Follow the ACS's redirect to /finish in this browser; the PWA page it ends on."""
        assert response.status_code == 303, response.get_data(as_text=True)
        location = response.headers["Location"]
        if not location.startswith("/api/bundid/finish"):
            return location
        finished = self.api.get(location)
        assert finished.status_code == 303
        return finished.headers["Location"]

    def email_step(self, email: str) -> dict:
        assert self.api.post("/api/bundid/email/start", json={"email": email}).status_code == 202
        verified = self.api.post(
            "/api/bundid/email/verify", json={"email": email, "code": self.api.latest_code(email)}
        )
        assert verified.status_code == 200, verified.get_json()
        return verified.get_json()

    def sign_in(self, level: str, email: str, **respond) -> dict:
        request = self.start()
        page = self.follow(self.post_answer(self.idp.respond(request, level, **respond)))
        assert page == "/anmelden/bundid?schritt=e-mail"
        return self.email_step(email)


def _signed_in(api: ApiClient) -> bool:
    return api.get("/api/auth/session").get_json()["authenticated"]


@pytest.mark.parametrize(
    ("level", "trust_level"),
    [(LEVELS[0], "basic"), (LEVELS[1], "basic"), (LEVELS[2], "substantial"), (LEVELS[3], "high")],
)
def test_each_level_of_assurance_gives_its_trust_level(live_app, fake_idp, level, trust_level):
    citizen = Citizen(live_app, fake_idp)
    session = citizen.sign_in(level, "erika@example.org", pseudonym=f"bpk2-{level}")
    assert session["user"]["trust_level"] == trust_level
    assert session["new_account"] is True
    with db.connection_context():
        user = User.get(User.email == "erika@example.org")
        assert user.trust_level == trust_level
        bound = BundidBinding.get(BundidBinding.user == user)
        assert bound.pseudonym_hash != f"bpk2-{level}"  # only a hash is kept
        # A password sign-in vouches for nothing; ELSTER and eID bring data to confirm.
        assert bool(bound.data) is (trust_level != "basic")
    if trust_level != "basic":
        assert session["redirect_to"].startswith("/konto/bundid-daten")


def test_the_request_asks_for_the_level_and_bundids_attributes(live_app, fake_idp):
    request = Citizen(live_app, fake_idp).start(trust_level="high")
    assert request["level"] == "STORK-QAA-Level-4"
    assert request["comparison"] == "minimum"
    assert request["extension_version"] == "2"
    assert request["methods"] == {"Benutzername": False, "Elster": False, "eID": True}
    assert request["requested"][BPK2] is True and request["requested"][QAA_LEVEL] is True
    # The postbox reference is not asked for.
    assert "urn:oid:2.5.4.18" not in request["requested"]
    assert request["acs"] == f"{BASE_URL}/api/bundid/acs"


def test_a_known_bundid_account_signs_in_directly_and_data_is_confirmed(live_app, fake_idp):
    citizen = Citizen(live_app, fake_idp)
    citizen.sign_in(LEVELS[3], "erika@example.org")
    review = citizen.api.get("/api/bundid/data").get_json()
    assert review["pending"] is True
    fields = {field["name"]: field["card"] for field in review["fields"]}
    assert fields["family_name"] == "Mustermann" and fields["street"] == "Heidestraße"
    assert fields["house_number"] == "17" and fields["date_of_birth"] == "1964-08-12"
    confirmed = citizen.api.post("/api/bundid/data", json={"take": ["family_name", "city"]})
    assert confirmed.status_code == 200
    profile = confirmed.get_json()
    assert profile["family_name"] == "Mustermann" and profile["city"] == "Köln"
    assert profile["given_names"] == ""  # not taken
    # Next time: no e-mail step; the fields not taken are offered again.
    again = Citizen(live_app, fake_idp)
    request = again.start()
    page = again.follow(again.post_answer(fake_idp.respond(request, LEVELS[3])))
    assert page.startswith("/konto/bundid-daten?weiter=")
    assert _signed_in(again.api)
    everything = [field["name"] for field in review["fields"]]
    assert again.api.post("/api/bundid/data", json={"take": everything}).status_code == 200
    # Once all is taken, nothing waits for a decision.
    again = Citizen(live_app, fake_idp)
    request = again.start()
    page = again.follow(again.post_answer(fake_idp.respond(request, LEVELS[3])))
    assert page == "/konto?bundid=ok"
    assert _signed_in(again.api)


REFUSALS = {
    "forged": ({"forged": True}, "signature"),
    "unsigned": ({"sign_response": False, "sign_assertion": False}, "signature"),
    "assertion_unsigned": ({"sign_assertion": False}, "signature"),
    "response_unsigned": ({"sign_response": False}, "signature"),
    "not_encrypted": ({"encrypt": False}, "not_encrypted"),
    "wrong_audience": ({"audience": "https://other-portal.example/sp"}, "audience"),
    "wrong_in_response_to": ({"in_response_to": "id-not-sent-by-the-portal"}, "unsolicited"),
    "tampered_attribute": (
        {"tamper": change_attribute("urn:oid:2.5.4.4", "Musterfrau")},
        "signature",
    ),
    "tampered_level": (
        {"tamper": change_attribute(QAA_LEVEL, "STORK-QAA-Level-4")},
        "signature",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_bad_answers_are_refused_without_a_session(live_app, fake_idp, case):
    respond, code = REFUSALS[case]
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start()
    answer = fake_idp.respond(request, LEVELS[2], **respond)
    response = citizen.post_answer(answer)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/anmelden/bundid?fehler={code}"
    assert "Set-Cookie" not in response.headers
    assert not _signed_in(citizen.api)
    with db.connection_context():
        assert not BundidBinding.select().exists()
        assert User.select().where(User.email == "erika@example.org").count() == 0
        assert AuditEvent.select().where(AuditEvent.action == "bundid_refused").exists()
    status = citizen.api.get("/api/bundid/status").get_json()
    if code != "unsolicited":
        assert status["attempt"]["state"] == "failed"
        assert status["attempt"]["error"] == code
        assert "nicht" in status["attempt"]["message"]


@pytest.mark.parametrize(("lang", "word"), [("de", "nicht angemeldet"), ("en", "not signed in")])
def test_a_refusal_asked_for_as_json_is_a_clear_error_in_the_callers_language(
    live_app, fake_idp, lang, word
):
    citizen = Citizen(live_app, fake_idp, lang)
    request = citizen.start()
    response = citizen.post_answer(fake_idp.respond(request, LEVELS[3], forged=True), json=True)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "bundid_refused" and body["reason"] == "signature"
    assert word in body["message"]
    assert "Set-Cookie" not in response.headers


def test_an_expired_answer_is_refused(live_app, fake_idp, monkeypatch):
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start()
    answer = fake_idp.respond(request, LEVELS[3])
    # The answer arrives ten minutes after BundID made it (its lifetime is five).
    issued = saml2.time_util.utc_now()
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: issued + 600)
    response = citizen.post_answer(answer)
    assert response.headers["Location"] == "/anmelden/bundid?fehler=expired"
    assert not _signed_in(citizen.api)


def test_a_replayed_answer_is_refused(live_app, fake_idp):
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start()
    answer = fake_idp.respond(request, LEVELS[3])
    first = citizen.post_answer(answer)
    assert first.headers["Location"].startswith("/api/bundid/finish")
    # Posted again: its request is used up.
    second = citizen.post_answer(answer)
    assert second.headers["Location"] == "/anmelden/bundid?fehler=unsolicited"
    # Even where the request were open again (another process, a restored row), the
    # assertion's ID is remembered in the database until the assertion expires.
    with db.connection_context():
        BundidRequest.update(state="sent").where(BundidRequest.id == request["id"]).execute()
        assert BundidAssertion.select().count() == 1
    third = citizen.post_answer(answer)
    assert third.headers["Location"] == "/anmelden/bundid?fehler=replayed"


def test_a_level_below_what_was_asked_is_refused(live_app, fake_idp):
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start(trust_level="high")
    response = citizen.post_answer(fake_idp.respond(request, LEVELS[2]))
    assert response.headers["Location"] == "/anmelden/bundid?fehler=level_too_low"


def test_the_outcome_belongs_to_the_browser_that_started(live_app, fake_idp):
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start()
    response = citizen.post_answer(fake_idp.respond(request, LEVELS[3]))
    thief = ApiClient(live_app)
    taken = thief.get(response.headers["Location"])
    assert taken.headers["Location"] == "/anmelden/bundid?fehler=other_browser"
    assert not _signed_in(thief)


def test_linking_binds_to_the_signed_in_account_and_never_to_a_second(
    live_app, fake_idp, signed_in
):
    owner = signed_in("owner@example.org")
    owner.app = live_app
    owner.client.application = live_app
    citizen = Citizen(live_app, fake_idp)
    citizen.api = owner
    request = citizen.start("link")
    page = citizen.follow(citizen.post_answer(fake_idp.respond(request, LEVELS[3])))
    assert page.startswith("/konto/bundid-daten")
    assert owner.get("/api/auth/session").get_json()["user"]["trust_level"] == "high"
    other = signed_in("other@example.org")
    other.client.application = live_app
    citizen.api = other
    request = citizen.start("link")
    page = citizen.follow(citizen.post_answer(fake_idp.respond(request, LEVELS[3])))
    assert page == "/anmelden/bundid?fehler=already_bound"
    with db.connection_context():
        assert User.get(User.email == "other@example.org").trust_level == "basic"


def test_the_email_step_never_reveals_or_takes_over_an_account(live_app, fake_idp, signed_in):
    signed_in("erika@example.org")  # an account exists for the address BundID sends
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start()
    page = citizen.follow(citizen.post_answer(fake_idp.respond(request, LEVELS[3])))
    assert page == "/anmelden/bundid?schritt=e-mail"
    assert not _signed_in(citizen.api)  # no silent take-over by the address
    status = citizen.api.get("/api/bundid/status").get_json()
    assert status["attempt"]["state"] == "email_required"
    assert status["attempt"]["email"] == "erika@example.org"
    wrong = citizen.api.post(
        "/api/bundid/email/verify", json={"email": "erika@example.org", "code": "000000"}
    )
    assert wrong.status_code >= 400
    session = citizen.email_step("erika@example.org")
    assert session["new_account"] is False


def test_metadata_names_the_entity_acs_and_certificate(live_app):
    response = ApiClient(live_app).get("/api/bundid/metadata")
    assert response.status_code == 200
    xml = response.get_data(as_text=True)
    assert f'entityID="{BASE_URL}/api/bundid/metadata"' in xml
    assert f'Location="{BASE_URL}/api/bundid/acs"' in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    assert re.search(r'KeyDescriptor use="encryption"', xml)


def _simulated_answer(api: ApiClient, saml_request: str, **form) -> str:
    answered = api.post("/bundid-simulator/answer", data={"SAMLRequest": saml_request, **form})
    assert answered.status_code == 200, answered.get_data(as_text=True)
    return re.search(r'name="SAMLResponse" value="([^"]+)"', answered.get_data(as_text=True))[1]


def test_simulator_sign_in_in_test_mode(client):
    """The built-in test identity provider, through its pages, at each method: the test
    person's account rises from basic to substantial to high (never back)."""
    steps = (("benutzername", "basic"), ("elster", "substantial"), ("eid", "high"))
    for number, (method, trust_level) in enumerate(steps):
        api = ApiClient(client.app)
        started = api.post("/api/bundid/start", json={"purpose": "login"}).get_json()
        assert started["test_mode"] is True
        assert started["sso_url"] == f"{BASE_URL}/bundid-simulator/sso"
        page = api.post("/bundid-simulator/sso", data={"SAMLRequest": started["saml_request"]})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "Testmodus" in html and 'value="elster"' in html
        saml_response = _simulated_answer(
            api, started["saml_request"], method=method, identity="erika"
        )
        done = api.post("/api/bundid/acs", data={"SAMLResponse": saml_response})
        finished = api.get(done.headers["Location"]).headers["Location"]
        if number == 0:
            assert finished == "/anmelden/bundid?schritt=e-mail"
            email = "erika.mustermann@example.org"
            assert api.post("/api/bundid/email/start", json={"email": email}).status_code == 202
            api.post(
                "/api/bundid/email/verify", json={"email": email, "code": api.latest_code(email)}
            )
        session = api.get("/api/auth/session").get_json()
        assert session["user"]["trust_level"] == trust_level


def test_simulator_offers_only_methods_that_reach_the_level_asked(client):
    started = client.post(
        "/api/bundid/start", json={"purpose": "login", "trust_level": "high"}
    ).get_json()
    html = client.post(
        "/bundid-simulator/sso", data={"SAMLRequest": started["saml_request"]}
    ).get_data(as_text=True)
    assert 'value="eid"' in html and 'value="elster"' not in html
    refused = client.post(
        "/bundid-simulator/answer",
        data={"SAMLRequest": started["saml_request"], "method": "benutzername"},
    )
    assert refused.status_code == 400
    unknown = client.post(
        "/bundid-simulator/answer",
        data={"SAMLRequest": started["saml_request"], "method": "eid", "identity": "nobody"},
    )
    assert unknown.status_code == 400
    forged = client.post("/bundid-simulator/sso", data={"SAMLRequest": "bm90IHhtbA=="})
    assert forged.status_code == 400 and "Testmodus" in forged.get_data(as_text=True)


def test_simulator_cancel_is_refused_with_its_message(client):
    started = client.post("/api/bundid/start", json={"purpose": "login"}).get_json()
    saml_response = _simulated_answer(client, started["saml_request"], action="cancel")
    done = client.post("/api/bundid/acs", data={"SAMLResponse": saml_response})
    assert done.headers["Location"] == "/anmelden/bundid?fehler=cancelled"
    query = parse_qs(urlsplit(done.headers["Location"]).query)
    assert query["fehler"] == ["cancelled"]


def test_bundid_data_is_only_the_owners(live_app, fake_idp, make_client, signed_in):
    assert ApiClient(live_app).get("/api/bundid/data").status_code == 401
    citizen = Citizen(live_app, fake_idp)
    citizen.sign_in(LEVELS[3], "erika@example.org")
    stranger = signed_in("stranger@example.org")
    stranger.client.application = live_app
    assert stranger.get("/api/bundid/data").status_code == 404
    assert stranger.post("/api/bundid/data", json={"take": ["city"]}).status_code == 409
    assert citizen.api.get("/api/bundid/data").status_code == 200
    export = citizen.api.get("/api/account/export").get_json()
    assert export["bundid"]["bound"] is True and export["bundid"]["level"] == "high"
    assert "fake-bpk2-erika" not in str(export)


def test_pages_may_post_the_request_to_bundid_and_nowhere_else(live_app, client):
    """The HTTP-POST binding is a form posted to BundID: the policy allows that origin."""
    policy = ApiClient(live_app).get("/anmelden").headers["Content-Security-Policy"]
    assert "form-action 'self' https://bundid.fake.test;" in policy
    # In test mode the simulator is the portal itself: nothing else is allowed.
    assert "form-action 'self';" in client.get("/anmelden").headers["Content-Security-Policy"]


@pytest.mark.parametrize(("level", "verified"), [(LEVELS[3], True), (LEVELS[2], False)])
def test_the_id_card_read_through_bundid_counts_as_the_cards_data(
    live_app, fake_idp, level, verified
):
    """Services that rely on the card's data (the registration certificate's automatic
    decision) take it from a BundID sign-in with the Online-Ausweis, and only from that."""
    from app.eid import binding as eid_binding

    Citizen(live_app, fake_idp).sign_in(level, "erika@example.org")
    with db.connection_context():
        data = eid_binding.verified_data(User.get(User.email == "erika@example.org"))
    if verified:
        assert data["family_name"] == "Mustermann" and data["house_number"] == "17"
        assert str(data["date_of_birth"]) == "1964-08-12"
    else:
        assert data is None


def test_metadata_that_names_no_identity_provider_stops_the_start(app, other_app, tmp_path):
    from app.config import ConfigError

    metadata = tmp_path / "empty.xml"
    metadata.write_text(
        '<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"/>', encoding="utf-8"
    )
    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": app.config["INSTANCE_PATH"],
        "DATABASE_URL": app.config["DATABASE_URL"],
        "BUNDID_MODE": "live",
        "BUNDID_IDP_METADATA": str(metadata),
    }
    with pytest.raises(ConfigError, match="BUNDID_IDP_METADATA"):
        other_app(env)
    metadata.write_text("not XML at all", encoding="utf-8")
    with pytest.raises(ConfigError, match="BUNDID_IDP_METADATA"):
        other_app(env)
    with pytest.raises(ConfigError, match="no such file"):
        other_app({**env, "BUNDID_IDP_METADATA": str(tmp_path / "missing.xml")})


def test_the_email_step_speaks_every_portal_language(live_app, fake_idp):
    """A citizen reading Turkish gets the e-mail step in Turkish, as at the eID's."""
    citizen = Citizen(live_app, fake_idp)
    request = citizen.start()
    page = citizen.follow(citizen.post_answer(fake_idp.respond(request, LEVELS[3])))
    assert page == "/anmelden/bundid?schritt=e-mail"
    sent = citizen.api.post(
        "/api/bundid/email/start", json={"email": "ayse@example.org", "locale": "tr"}
    )
    assert sent.status_code == 202, sent.get_json()
    assert sent.get_json()["message"] == translate("auth.code_sent", "tr")
    assert sent.get_json()["message"] != translate("auth.code_sent", "de")
