"""The account remembers its language: every configured language can be chosen, an
unknown one is a field error in German and English that changes nothing, and what the
server sends the citizen (push, mail) is written in the account's language."""

from __future__ import annotations

import pytest

from app import i18n
from app.i18n import LOCALES
from app.push import payload

# A configured language besides German and English (the checks below need one).
FURTHER = [lang for lang in LOCALES if lang not in ("de", "en")]
needs_further = pytest.mark.skipif(not FURTHER, reason="PORTAL_LANGUAGES has only de and en")
OTHER = FURTHER[-1] if FURTHER else "en"


@pytest.mark.parametrize("language", LOCALES)
def test_every_configured_language_can_be_chosen(client, language):
    client.sign_in_by_email(f"lang.{language}@example.org")
    response = client.patch("/api/account", json={"locale": language})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["locale"] == language
    assert client.get("/api/account").get_json()["locale"] == language
    # The session the PWA reads after sign-in carries it too, so the device adopts it.
    assert client.get("/api/auth/session").get_json()["user"]["locale"] == language


@pytest.mark.parametrize(
    ("accept", "message"),
    [("de", "Bitte wählen Sie eine der angebotenen Möglichkeiten."), ("en", "Please choose one")],
)
def test_an_unknown_language_is_a_field_error_and_changes_nothing(client, accept, message):
    client.sign_in_by_email("lang.unknown@example.org")
    assert client.patch("/api/account", json={"locale": OTHER}).status_code == 200
    response = client.patch(
        "/api/account", json={"locale": "fr"}, headers={"Accept-Language": accept}
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [error["field"] for error in errors] == ["locale"]
    assert errors[0]["message"].startswith(message), errors
    assert client.get("/api/account").get_json()["locale"] == OTHER


@needs_further
def test_push_texts_are_written_in_the_devices_language(monkeypatch):
    ukrainian = {"push.message.title": "Нове повідомлення", "push.message.body": "У порталі"}
    real = i18n.catalogue
    # Turkish here lacks the texts (a language whose catalogue is not complete yet).
    texts = {"uk": ukrainian, "tr": {}}
    monkeypatch.setattr(
        i18n, "catalogue", lambda lang: texts[lang] if lang in texts else real(lang)
    )
    note = payload.inbox_message(message_id=7, language="uk")
    assert (note["title"], note["lang"]) == ("Нове повідомлення", "uk")
    # A language without the text falls back to German, text by text.
    assert (
        payload.inbox_message(message_id=7, language="tr")["title"]
        == real("de")["push.message.title"]
    )


@needs_further
def test_a_new_account_starts_in_the_language_it_was_opened_in(client):
    email = "lang.new@example.org"
    assert client.post("/api/auth/email/start", json={"email": email}).status_code == 202
    response = client.post(
        "/api/auth/email/verify",
        json={"email": email, "code": client.latest_code(email)},
        headers={"Accept-Language": f"{OTHER}, de;q=0.5"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["locale"] == OTHER
    # Signing in again later does not change the account's language.
    client.post("/api/auth/logout")
    assert client.post("/api/auth/email/start", json={"email": email}).status_code == 202
    again = client.post(
        "/api/auth/email/verify",
        json={"email": email, "code": client.latest_code(email)},
        headers={"Accept-Language": "en"},
    )
    assert again.get_json()["user"]["locale"] == OTHER
