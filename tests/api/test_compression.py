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


def test_session_with_csrf_token_is_never_compressed(signed_in):
    citizen = signed_in("secret@example.org")
    response = citizen.get("/api/auth/session", headers={"Accept-Encoding": "gzip, br, zstd"})
    assert response.get_json()["csrf_token"]
    assert "Content-Encoding" not in response.headers


def test_if_match_with_a_compressed_revision_tag(signed_in):
    citizen = signed_in("revision@example.org")
    draft = citizen.post("/api/applications", json={"service_id": "waste_bins"}).get_json()
    saved = citizen.put(
        f"/api/applications/{draft['id']}",
        json={"answers": {}},
        headers={"If-Match": f'"{draft["revision"]}:gzip"'},
    )
    assert saved.status_code == 200, saved.get_json()
