"""File-based key store: permissions, metadata, rotation and the published key set."""

import json
import stat
from datetime import UTC, date, datetime, timedelta

import pytest

from app.passes import KeyStore, PassFormatError, parse_keyset, verify_pass

from .conftest import make_claims

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 6, 1, tzinfo=UTC)
MAX_VALIDITY = timedelta(days=2 * 366 + 1)


@pytest.fixture
def store(tmp_path):
    return KeyStore(tmp_path / "keys")


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_first_key_files_and_permissions(store):
    key = store.ensure_current(T0)
    pem = store.directory / f"{key.kid.hex()}.pem"
    meta = json.loads((store.directory / f"{key.kid.hex()}.json").read_text())
    assert _mode(store.directory) == 0o700
    assert _mode(pem) == 0o600
    assert pem.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert meta["kid"] == key.kid.hex()
    assert meta["created"] == int(T0.timestamp())
    assert (meta["status"], meta["retired"], meta["not_after"]) == ("current", None, None)
    assert "PRIVATE" not in json.dumps(meta)
    # Idempotent: a second call keeps the same key.
    assert store.ensure_current(T1).kid == key.kid
    assert store.current().kid == key.kid


def test_current_without_keys_raises(store):
    with pytest.raises(LookupError):
        store.current()


def test_keyset_document(store):
    key = store.ensure_current(T0)
    document = store.keyset("DN", T1)
    assert document["issuer"] == "DN"
    (entry,) = document["keys"]
    assert set(entry) == {
        "kid", "kty", "crv", "x", "y", "spki", "not_before", "not_after", "status",
    }  # fmt: skip
    assert (entry["kty"], entry["crv"], entry["status"]) == ("EC", "P-256", "current")
    assert entry["not_before"] == int(T0.timestamp())
    assert entry["not_after"] is None
    parsed = parse_keyset(json.dumps(document))
    assert list(parsed.keys) == [key.kid]


def test_rotation_keeps_old_key_published_and_old_passes_valid(store):
    old = store.ensure_current(T0)
    old_pass = store.sign_pass(make_claims(), T0)
    new = store.rotate(T1)
    assert new.kid != old.kid
    assert store.current().kid == new.kid
    # The retired private key is gone; it can never sign again.
    assert not (store.directory / f"{old.kid.hex()}.pem").exists()

    document = store.keyset("DN", T1)
    by_status = {e["status"]: e for e in document["keys"]}
    assert set(by_status) == {"current", "retired"}
    assert document["keys"][0]["status"] == "current"
    retired_until = int((T1 + MAX_VALIDITY).timestamp())
    assert by_status["retired"]["not_after"] == retired_until

    keyset = parse_keyset(json.dumps(document))
    today = date(2026, 7, 1)
    assert verify_pass(old_pass, keyset, today=today).valid
    new_pass = store.sign_pass(make_claims(sequence=2), T1)
    assert verify_pass(new_pass, keyset, today=today).valid

    # After the last possible expiry the old key drops out of the published set.
    later = T1 + MAX_VALIDITY + timedelta(seconds=1)
    assert [e["status"] for e in store.keyset("DN", later)["keys"]] == ["current"]
    assert store.prune(later) == [old.kid]
    assert len(store.records()) == 1


def test_sign_pass_refuses_validity_beyond_key_lifetime(store):
    store.ensure_current(T0)
    too_long = make_claims(valid_from=date(2026, 1, 1), valid_to=date(2029, 1, 1))
    with pytest.raises(ValueError, match="max_pass_validity"):
        store.sign_pass(too_long, T0)


def test_longest_pass_signed_before_rotation_verifies_on_its_last_day(store):
    # Longest allowed pass signed right before rotation still verifies on its last day.
    store.ensure_current(T0)
    longest = make_claims(valid_from=date(2026, 6, 1), valid_to=date(2028, 5, 31))
    text = store.sign_pass(longest, T1)
    store.rotate(T1)
    last_day = datetime(2028, 5, 31, 23, 0, tzinfo=UTC)
    keyset = parse_keyset(store.keyset("DN", last_day))
    assert verify_pass(text, keyset, today=date(2028, 5, 31)).valid


def test_tampered_private_key_file_detected(store, tmp_path):
    key = store.ensure_current(T0)
    other = KeyStore(tmp_path / "other").ensure_current(T0)
    src = tmp_path / "other" / f"{other.kid.hex()}.pem"
    (store.directory / f"{key.kid.hex()}.pem").write_bytes(src.read_bytes())
    with pytest.raises(RuntimeError):
        store.current()


def _document(store):
    store.ensure_current(T0)
    return store.keyset("DN", T0)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d["keys"][0].update(kid="AAAAAAAAAAA"), id="kid-mismatch"),
        pytest.param(lambda d: d["keys"][0].update(x=d["keys"][0]["y"]), id="x-mismatch"),
        pytest.param(lambda d: d["keys"][0].update(crv="P-384"), id="curve"),
        pytest.param(lambda d: d["keys"][0].update(status="active"), id="status"),
        pytest.param(lambda d: d["keys"][0].update(not_before="2026-01-01"), id="not-before"),
        pytest.param(lambda d: d["keys"][0].update(spki="bm9wZQ=="), id="spki"),
        pytest.param(lambda d: d["keys"].append(dict(d["keys"][0])), id="duplicate-kid"),
        pytest.param(lambda d: d.pop("issuer"), id="no-issuer"),
    ],
)
def test_parse_keyset_rejects_inconsistent_documents(store, mutate):
    document = _document(store)
    mutate(document)
    with pytest.raises(PassFormatError):
        parse_keyset(document)
