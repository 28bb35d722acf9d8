"""VAPID keys on disk and from the environment, the sub claim, and token reuse."""

from __future__ import annotations

import base64
import stat
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid.jwt import decode

from app.push.vapid import (
    KEY_FILENAME,
    InvalidVapidSubject,
    VapidKeyError,
    VapidSigner,
    application_server_key,
    load_or_create_private_key,
    private_key_from_string,
    private_key_pem,
    sub_problem,
    validate_sub,
)


def _same(a: ec.EllipticCurvePrivateKey, b: ec.EllipticCurvePrivateKey) -> bool:
    return a.private_numbers().private_value == b.private_numbers().private_value


def test_key_is_generated_once_as_a_private_pem(tmp_path):
    first = load_or_create_private_key(tmp_path / "instance")
    path = tmp_path / "instance" / KEY_FILENAME

    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert isinstance(first.curve, ec.SECP256R1)
    second = load_or_create_private_key(tmp_path / "instance")
    assert _same(first, second)
    # No temporary files left behind.
    assert [p.name for p in (tmp_path / "instance").iterdir()] == [KEY_FILENAME]


def test_concurrent_first_use_agrees_on_one_key(tmp_path):
    keys: list[ec.EllipticCurvePrivateKey] = []
    barrier = threading.Barrier(8)

    def start_worker() -> None:
        barrier.wait()
        keys.append(load_or_create_private_key(tmp_path))

    threads = [threading.Thread(target=start_worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(keys) == 8
    assert all(_same(keys[0], key) for key in keys)


def test_existing_key_file_is_loaded_not_replaced(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / KEY_FILENAME).write_bytes(private_key_pem(key))

    assert _same(load_or_create_private_key(tmp_path), key)


def test_broken_key_file_is_reported_with_its_path(tmp_path):
    (tmp_path / KEY_FILENAME).write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n")

    with pytest.raises(VapidKeyError, match=KEY_FILENAME):
        load_or_create_private_key(tmp_path)


def test_key_from_environment_as_pem_der_or_raw_scalar():
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    b64 = base64.urlsafe_b64encode

    for text in (
        private_key_pem(key).decode(),
        b64(der).decode().rstrip("="),
        b64(raw).decode().rstrip("="),
    ):
        assert _same(private_key_from_string(text), key)


@pytest.mark.parametrize("curve", [ec.SECP384R1(), ec.SECP256K1()])
def test_keys_on_other_curves_are_refused(curve):
    pem = private_key_pem(ec.generate_private_key(curve)).decode()

    with pytest.raises(VapidKeyError, match="P-256"):
        private_key_from_string(pem)


@pytest.mark.parametrize("text", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nxx"])
def test_unreadable_key_text_is_refused(text):
    with pytest.raises(VapidKeyError):
        private_key_from_string(text)


def test_application_server_key_is_the_uncompressed_point_in_base64url():
    key = ec.generate_private_key(ec.SECP256R1())

    encoded = application_server_key(key)

    assert len(encoded) == 87 and "=" not in encoded
    point = base64.urlsafe_b64decode(encoded + "=")
    assert len(point) == 65 and point[0] == 4
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    assert public.public_numbers() == key.public_key().public_numbers()
    assert application_server_key(key.public_key()) == encoded


@pytest.mark.parametrize(
    "sub",
    [
        "mailto:it-service@dueren.de",
        "mailto:buergerportal+push@stadt.dueren.de",
        "  mailto:Admin@Example-City.DE  ",
        "https://www.dueren.de",
        "https://www.dueren.de/kontakt/impressum",
        "https://buergerportal.dueren.de:8443/",
        "mailto:push@xn--dren-kva.de",
    ],
)
def test_plausible_contacts_are_accepted(sub):
    assert sub_problem(sub) is None
    assert validate_sub(sub) == sub.strip()


@pytest.mark.parametrize(
    ("sub", "fragment"),
    [
        ("", "empty"),
        ("admin@dueren.de", "must start with"),
        ("http://www.dueren.de", "must start with"),
        ("mailto:", "plausible"),
        ("mailto:@dueren.de", "plausible"),
        ("mailto:admin", "plausible"),
        ("mailto:admin dueren@dueren.de", "plausible"),
        ("mailto:admin@localhost", "local or placeholder"),
        ("mailto:admin@portal.localhost", "local or placeholder"),
        ("mailto:admin@127.0.0.1", "IP address"),
        ("mailto:admin@[127.0.0.1]", "IP address"),
        ("mailto:admin@example.com", "placeholder"),
        ("mailto:admin@rathaus.local", "placeholder"),
        ("mailto:admin@dueren", "public host name"),
        ("mailto:admin@dueren.123", "top-level domain"),
        ("https://localhost", "local or placeholder"),
        ("https://localhost:5000/", "local or placeholder"),
        ("https://127.0.0.1", "IP address"),
        ("https://[::1]/", "IP address"),
        ("https://", "no host"),
        ("https://user:pw@dueren.de", "credentials"),
        ("https://dueren.de:99999", "port"),
    ],
)
def test_implausible_contacts_are_refused_with_a_reason(sub, fragment):
    assert fragment in (sub_problem(sub) or "")
    with pytest.raises(InvalidVapidSubject, match="VAPID subject"):
        validate_sub(sub)


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_signer_reuses_a_token_until_it_nears_expiry():
    key = ec.generate_private_key(ec.SECP256R1())
    clock = _Clock(1_000_000.0)
    signer = VapidSigner(key, "mailto:it@dueren.de", lifetime=12 * 3600, clock=clock)

    first = signer.authorization("https://push.example.net")
    assert signer.authorization("https://push.example.net") == first
    clock.now += 10 * 3600
    assert signer.authorization("https://push.example.net") == first
    clock.now += 1 * 3600 + 1  # within the last hour: sign afresh
    renewed = signer.authorization("https://push.example.net")
    assert renewed != first

    token, k = renewed.removeprefix("vapid t=").split(",k=")
    claims = decode(token, k)
    assert claims == {
        "aud": "https://push.example.net",
        "sub": "mailto:it@dueren.de",
        "exp": int(clock.now) + 12 * 3600,
    }
    assert k == signer.application_server_key == application_server_key(key)


def test_signer_keeps_one_token_per_push_service():
    signer = VapidSigner(ec.generate_private_key(ec.SECP256R1()), "mailto:it@dueren.de")

    google = signer.authorization("https://fcm.googleapis.com")
    mozilla = signer.authorization("https://updates.push.services.mozilla.com")

    assert google != mozilla
    assert decode(google.split("t=")[1].split(",k=")[0], signer.application_server_key)["aud"] == (
        "https://fcm.googleapis.com"
    )


def test_signer_refuses_token_lifetimes_beyond_a_day():
    with pytest.raises(ValueError, match="24 h"):
        VapidSigner(ec.generate_private_key(ec.SECP256R1()), "mailto:a@b.de", lifetime=86401)
