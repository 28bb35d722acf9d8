"""Input no field can hold is refused on every endpoint with a field-level 422, never a 500:
JSON nested too deeply, too many members, unpaired surrogates, an impossible If-Match."""

from __future__ import annotations

import json

import pytest

from app.db import db
from app.models import Application, EmailCode, Profile

JSON = "application/json"

# One endpoint of each kind: no body expected at all, anonymous, signed in, drafts, eID.
ENDPOINTS = [
    ("GET", "/api/health"),
    ("POST", "/api/auth/email/start"),
    ("PUT", "/api/account/profile"),
    ("POST", "/api/applications"),
    ("POST", "/api/eid/start"),
]


def _raw(api, method: str, path: str, body: str):
    return api.request(method, path, data=body.encode("utf-8"), content_type=JSON)


def _only_error(response) -> dict:
    assert response.status_code == 422, (response.status_code, response.get_data(as_text=True))
    [error] = response.get_json()["errors"]
    return error


def _nothing_stored() -> None:
    with db.connection_context():
        assert Application.select().count() == 0
        assert EmailCode.select().count() == 0
        assert Profile.select().where(Profile.given_names != "").count() == 0


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_deeply_nested_body_is_refused(signed_in, method, path):
    api = signed_in("deep@example.org")
    for depth in (1000, 100_000):
        response = _raw(api, method, path, "[" * depth + "]" * depth)
        error = _only_error(response)
        assert (error["field"], error["code"]) == ("_body", "nesting_too_deep")
        assert "verschachtelt" in error["message"] and "32" in error["message"]
    # Within the parser's reach but past the bound: refused where it gets too deep.
    response = _raw(api, method, path, '{"a":' * 40 + "1" + "}" * 40)
    error = _only_error(response)
    assert error["code"] == "nesting_too_deep"
    assert error["field"] == ".".join(["a"] * 32)
    _nothing_stored()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_unpaired_surrogate_is_refused(signed_in, method, path):
    api = signed_in("surrogate@example.org")
    for body, field in [
        ('{"email": "a\\ud800@x.de", "purpose": "login"}', "email"),
        ('{"given_names": "\\udfffErika"}', "given_names"),
        (
            '{"service_id": "waste_bins", "answers": {"owner_name": "W\\ud83d"}}',
            "answers.owner_name",
        ),
        ('{"purpose": "login", "return_to": "/\\udc00"}', "return_to"),
        # In a field name too: the answer names it without the broken character.
        ('{"\\ud800": 1}', "\\ud800"),
    ]:
        error = _only_error(_raw(api, method, path, body))
        assert (error["field"], error["code"]) == (field, "invalid_unicode")
        assert "ungültiges Zeichen" in error["message"]
    _nothing_stored()


def test_surrogate_refusal_in_english(make_client):
    api = make_client("en")
    response = _raw(api, "POST", "/api/auth/email/start", '{"email": "a\\ud800@x.de"}')
    error = _only_error(response)
    assert error["message"] == "This value contains an invalid character. Please enter it again."


def test_paired_surrogates_are_ordinary_text(signed_in):
    # "\ud83d\ude00" is one character (an emoji): valid JSON text, stored as given.
    api = signed_in("emoji@example.org")
    response = _raw(api, "PUT", "/api/account/profile", '{"given_names": "Erika \\ud83d\\ude00"}')
    assert response.status_code == 200, response.get_json()
    with db.connection_context():
        assert Profile.get().given_names == "Erika \U0001f600"


def test_huge_array_is_refused_before_validation(signed_in):
    api = signed_in("array@example.org")
    body = json.dumps({"service_id": "waste_bins", "answers": {"owner_name": [0] * 500_000}})
    # Refused by the input layer for its size, before validation walks the values.
    response = _raw(api, "POST", "/api/applications", body)
    error = _only_error(response)
    assert (error["field"], error["code"]) == ("answers.owner_name", "too_many_items")
    assert "höchstens 1000 Einträge" in error["message"]
    many_keys = json.dumps(
        {"service_id": "waste_bins", "answers": {f"k{i}": 1 for i in range(2000)}}
    )
    error = _only_error(_raw(api, "POST", "/api/applications", many_keys))
    assert (error["field"], error["code"]) == ("answers", "too_many_items")
    _nothing_stored()


def test_too_many_values_in_all_are_refused(signed_in):
    api = signed_in("values@example.org")
    answers = {f"k{i}": [0] * 999 for i in range(30)}
    body = json.dumps({"service_id": "waste_bins", "answers": answers})
    error = _only_error(_raw(api, "POST", "/api/applications", body))
    assert (error["field"], error["code"]) == ("_body", "too_many_values")
    _nothing_stored()


@pytest.mark.parametrize(
    "tag",
    ['"' + "9" * 25 + '"', 'W/"99999999999"', '"2147483648"', '"²"', '"-1"', '"1.5"', "*"],
)
def test_impossible_if_match_is_a_failed_precondition(signed_in, tag):
    api = signed_in("ifmatch@example.org")
    draft = api.post("/api/applications", json={"service_id": "waste_bins"}).get_json()
    url = f"/api/applications/{draft['id']}"
    changed = api.put(url, json={"answers": {"owner_name": "X"}}, headers={"If-Match": tag})
    assert changed.status_code == 412, changed.get_json()
    assert changed.get_json()["code"] == "precondition_failed"
    deleted = api.delete(url, headers={"If-Match": tag})
    assert deleted.status_code == 412, deleted.get_json()
    with db.connection_context():
        kept = Application.get()
        assert kept.revision == 1 and "owner_name" not in kept.answers


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_non_finite_numbers_are_refused(signed_in, method, path):
    # Python's parser reads NaN and Infinity; stored, they would be served as invalid JSON.
    api = signed_in("nan@example.org")
    for body, field in [
        ('{"given_names": NaN}', "given_names"),
        ('{"service_id": "waste_bins", "answers": {"bins": Infinity}}', "answers.bins"),
        ('{"a": [1, -Infinity]}', "a.1"),
        ("NaN", "_body"),
    ]:
        error = _only_error(_raw(api, method, path, body))
        assert (error["field"], error["code"]) == (field, "not_finite")
        assert "keine gültige Zahl" in error["message"]
    _nothing_stored()


def test_non_finite_refusal_in_english(make_client):
    api = make_client("en")
    error = _only_error(_raw(api, "POST", "/api/auth/email/start", '{"email": NaN}'))
    assert error["message"].startswith("This is not a valid number")
