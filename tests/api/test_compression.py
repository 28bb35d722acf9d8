"""Responses are compressed as the client accepts, except those that carry a secret,
and ETags keep working when compression extends them."""

from __future__ import annotations

import gzip
import json

import brotli
import pytest


@pytest.mark.parametrize(
    ("coding", "unpack"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_json_is_compressed_as_accepted(make_client, coding, unpack):
    client = make_client()
    plain = client.get("/api/services")
    packed = client.get("/api/services", headers={"Accept-Encoding": coding})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    assert json.loads(unpack(packed.data)) == plain.get_json()


def test_compressed_etag_still_answers_304(make_client):
    client = make_client()
    packed = client.get("/api/services", headers={"Accept-Encoding": "br"})
    etag = packed.headers["ETag"]
    assert etag.endswith(':br"')
    again = client.get("/api/services", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    definition = client.get("/api/services/waste_bins", headers={"Accept-Encoding": "gzip"})
    assert definition.headers["Content-Encoding"] == "gzip"
    assert (
        client.get(
            "/api/services/waste_bins",
            headers={"Accept-Encoding": "gzip", "If-None-Match": definition.headers["ETag"]},
        ).status_code
        == 304
    )


@pytest.fixture
def compress_everything(app, monkeypatch):
    """Compress bodies of any size: small secrets must stay uncompressed by rule, not
    by being under the size limit."""
    monkeypatch.setitem(app.config, "COMPRESS_MIN_SIZE", 0)


ALL_CODINGS = {"Accept-Encoding": "gzip, br, zstd"}


def test_responses_carrying_the_csrf_token_are_never_compressed(make_client, compress_everything):
    client = make_client()
    # Small bodies are compressed too here, so the exemptions below are what hold.
    assert client.get("/api/health", headers=ALL_CODINGS).headers["Content-Encoding"]
    assert client.post("/api/auth/email/start", json={"email": "secret@example.org"}).status_code
    code = client.latest_code("secret@example.org")
    signed_in = client.post(
        "/api/auth/email/verify",
        json={"email": "secret@example.org", "code": code},
        headers=ALL_CODINGS,
    )
    assert signed_in.status_code == 200
    assert "Content-Encoding" not in signed_in.headers
    assert signed_in.get_json()["csrf_token"]
    session = client.get("/api/auth/session", headers=ALL_CODINGS)
    assert session.get_json()["csrf_token"]
    assert "Content-Encoding" not in session.headers


def test_the_app_shell_keeps_its_304(make_client, tmp_path, app, monkeypatch):
    (tmp_path / "index.html").write_text("<!doctype html><title>Shell</title>" + "x" * 2000)
    monkeypatch.setitem(app.config, "STATIC_DIR", str(tmp_path))
    client = make_client()
    first = client.get("/", headers=ALL_CODINGS)
    assert first.status_code == 200
    again = client.get("/", headers=ALL_CODINGS | {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_revision_tag_never_becomes_a_304(signed_in, compress_everything):
    citizen = signed_in("tags@example.org")
    draft = citizen.post("/api/applications", json={"service_id": "waste_bins"}).get_json()
    url = f"/api/applications/{draft['id']}"
    first = citizen.get(url, headers=ALL_CODINGS)
    # The revision tag names the draft's revision for If-Match; the body also depends on
    # the reader's language, so it is no cache validator.
    again = citizen.get(url, headers=ALL_CODINGS | {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.data


def test_if_match_with_a_compressed_revision_tag(signed_in):
    citizen = signed_in("revision@example.org")
    draft = citizen.post("/api/applications", json={"service_id": "waste_bins"}).get_json()
    saved = citizen.put(
        f"/api/applications/{draft['id']}",
        json={"answers": {}},
        headers={"If-Match": f'"{draft["revision"]}:gzip"'},
    )
    assert saved.status_code == 200, saved.get_json()
