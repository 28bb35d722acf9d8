"""The public key set and the signed revocation list: formats, caching, deltas, rotation."""

from __future__ import annotations

import json

from app.passes import apply_delta, parse_keyset, verify_pass
from app.passes.keyset import b64url
from tests.parking.support import (
    answers,
    apply_and_pay,
    only_permit,
    published_keyset,
    revocation_list,
)


def _cancel(api) -> dict:
    permit = only_permit(api)
    assert api.post(f"/api/parking/permits/{permit['id']}/cancel").status_code == 200
    return permit


def test_keyset_is_public_cacheable_and_has_no_private_material(make_client):
    client = make_client()
    response = client.get("/api/passes/keyset")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]
    document = json.loads(response.get_data())
    assert document["issuer"] == "DN" and document["keys"][0]["status"] == "current"
    text = response.get_data(as_text=True)
    assert "PRIVATE" not in text and '"d"' not in text
    parse_keyset(text)  # kid and coordinates consistent with the spki
    etag = response.headers["ETag"]
    again = client.get("/api/passes/keyset", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_revocation_list_full_delta_and_versions(signed_in, make_client):
    scanner = make_client()
    keyset = published_keyset(scanner)
    empty = revocation_list(scanner, keyset)
    assert (empty.base_version, len(empty.entries)) == (0, 0)
    start = empty.version

    first, second = signed_in("r1@example.org"), signed_in("r2@example.org")
    apply_and_pay(first, answers(plate="DN-R 1"))
    apply_and_pay(second, answers(plate="DN-R 2"))
    one = _cancel(first)
    after_one = revocation_list(scanner, keyset)
    assert after_one.version == start + 1 and len(after_one.entries) == 1
    two = _cancel(second)

    delta = revocation_list(scanner, keyset, since=after_one.version)
    assert (delta.base_version, delta.version, len(delta.entries)) == (
        after_one.version,
        start + 2,
        1,
    )
    merged = apply_delta(after_one, delta)
    full = revocation_list(scanner, keyset)
    assert full.entries == merged.entries and full.version == merged.version
    for permit in (one, two):
        assert verify_pass(permit["pass_text"], keyset, merged).reason == "revoked"
    # A device that is up to date (or ahead, e.g. after a restore) gets the full list.
    for since in (full.version, full.version + 10):
        assert revocation_list(scanner, keyset, since=since).base_version == 0
    # A delta from the empty list carries both entries.
    assert len(revocation_list(scanner, keyset, since=start).entries) == 2


def test_revocation_list_etag_and_headers(make_client, signed_in):
    scanner = make_client()
    response = scanner.get("/api/passes/revocations")
    etag = response.headers["ETag"]
    assert response.headers["X-Revocation-Base-Version"] == "0"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert (
        scanner.get("/api/passes/revocations", headers={"If-None-Match": etag}).status_code == 304
    )
    citizen = signed_in("etag@example.org")
    apply_and_pay(citizen)
    _cancel(citizen)
    changed = scanner.get("/api/passes/revocations", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert int(changed.headers["X-Revocation-Version"]) > int(
        response.headers["X-Revocation-Version"]
    )
    assert scanner.get("/api/passes/revocations?since=abc").status_code == 422
    assert scanner.get("/api/passes/revocations?since=-1").status_code == 422


def test_rotation_keeps_old_passes_verifiable(app, signed_in, make_client):
    citizen = signed_in("rotate@example.org")
    apply_and_pay(citizen)
    before = only_permit(citizen)
    scanner = make_client()
    old_keys = json.loads(scanner.get("/api/passes/keyset").get_data())["keys"]

    result = app.test_cli_runner().invoke(args=["passes", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "New current key" in result.output

    document = json.loads(scanner.get("/api/passes/keyset").get_data())
    statuses = {k["kid"]: k["status"] for k in document["keys"]}
    assert statuses[old_keys[0]["kid"]] == "retired"
    assert list(statuses.values()).count("current") == 1
    retired = next(k for k in document["keys"] if k["kid"] == old_keys[0]["kid"])
    assert retired["not_after"] is not None
    keyset = parse_keyset(document)
    assert verify_pass(before["pass_text"], keyset, zone="A").valid
    # New passes and revocation lists are signed with the new key.
    other = signed_in("rotate2@example.org")
    apply_and_pay(other, answers(plate="DN-RT 2"))
    after = only_permit(other)
    assert after["kid"] != before["kid"]
    assert verify_pass(after["pass_text"], keyset, zone="A").valid
    current = next(k["kid"] for k in document["keys"] if k["status"] == "current")
    assert b64url(revocation_list(scanner, keyset).kid) == current == after["kid"]
    shown = app.test_cli_runner().invoke(args=["passes", "keyset"])
    assert shown.exit_code == 0 and json.loads(shown.output)["issuer"] == "DN"
