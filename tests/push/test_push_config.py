"""Push settings: working defaults outside production, refusal of unsafe ones in production."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.config import ConfigError, load_config
from app.push import runtime
from app.push.vapid import application_server_key, private_key_pem
from tests.production_keys import PRODUCTION_KEYS

PRODUCTION = {
    "PORTAL_ENV": "production",
    **PRODUCTION_KEYS,
    "SECRET_KEY": "q8Zt3vNw2xLp5rT7yU1oK4mJ6hG9fD0sA",
    "PORTAL_BASE_URL": "https://portal.stadt-dueren.de",
    "SMTP_HOST": "mail.stadt-dueren.de",
}


def test_development_needs_no_push_configuration(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert config["PUSH_ENABLED"] is True
    assert config["VAPID_SUB"] == "mailto:buergerportal@stadt-dueren.de"
    assert config["VAPID_PRIVATE_KEY"] is None
    assert config["PUSH_TRANSPORT"] == "webpush"
    assert "fcm.googleapis.com" in config["PUSH_ALLOWED_HOSTS"]
    assert "*.push.apple.com" in config["PUSH_ALLOWED_HOSTS"]
    assert config["PUSH_TTL_SECONDS"] == 7 * 24 * 3600
    assert config["PUSH_TOPICS"] == ["waste_collection"]


def test_lists_come_from_the_environment(tmp_path):
    config = load_config(
        {
            "PORTAL_INSTANCE": str(tmp_path),
            "PUSH_ALLOWED_HOSTS": "fcm.googleapis.com, *.push.apple.com",
            "PUSH_TOPICS": "waste_collection street_cleaning",
        }
    )
    assert config["PUSH_ALLOWED_HOSTS"] == ["fcm.googleapis.com", "*.push.apple.com"]
    assert config["PUSH_TOPICS"] == ["waste_collection", "street_cleaning"]


@pytest.mark.parametrize(
    ("sub", "problem"),
    [
        ("mailto:admin@localhost", "local or placeholder host"),
        ("mailto:it@dueren.example", "local or placeholder host"),
        ("https://127.0.0.1/contact", "IP address"),
        ("it@stadt-dueren.de", "must start with mailto: or https://"),
    ],
)
def test_production_refuses_a_vapid_subject_apple_would_refuse(tmp_path, sub, problem):
    env = {**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path), "VAPID_SUB": sub}
    with pytest.raises(ConfigError, match=f"VAPID_SUB: .*{problem}"):
        load_config(env)


def test_production_with_a_real_contact_sends_pushes(tmp_path):
    env = {**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path), "VAPID_SUB": "mailto:it@stadt-dueren.de"}
    config = load_config(env)
    assert config["PUSH_ENABLED"] is True and config["VAPID_SUB"] == "mailto:it@stadt-dueren.de"


def test_production_without_a_contact_refuses_unless_push_is_switched_off(tmp_path):
    with pytest.raises(ConfigError, match="VAPID_SUB: VAPID subject is empty"):
        load_config({**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path)})
    config = load_config({**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path), "PUSH_ENABLED": "0"})
    assert config["PUSH_ENABLED"] is False


def test_production_refuses_plain_http_push_services_and_the_log_transport(tmp_path):
    env = {
        **PRODUCTION,
        "PORTAL_INSTANCE": str(tmp_path),
        "VAPID_SUB": "https://www.stadt-dueren.de/kontakt",
        "PUSH_ALLOWED_HOSTS": "fcm.googleapis.com,http://10.0.0.5:8080",
        "PUSH_TRANSPORT": "log",
    }
    with pytest.raises(ConfigError) as info:
        load_config(env)
    assert "http://10.0.0.5:8080" in str(info.value)
    assert "PUSH_TRANSPORT must be webpush" in str(info.value)


def test_vapid_key_from_the_environment(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    for text in (private_key_pem(key).decode(), base64.urlsafe_b64encode(raw).decode().rstrip("=")):
        config = load_config({"PORTAL_INSTANCE": str(tmp_path), "VAPID_PRIVATE_KEY": text})
        assert runtime.public_key(config) == application_server_key(key)
    assert not (tmp_path / "vapid_private_key.pem").exists()


def test_unreadable_vapid_key_stops_the_start(tmp_path):
    with pytest.raises(ConfigError, match="VAPID_PRIVATE_KEY"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "VAPID_PRIVATE_KEY": "not-a-key"})


def test_generated_key_is_kept_in_the_instance_folder(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    first = runtime.public_key(config)
    path = tmp_path / "vapid_private_key.pem"
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    runtime._keys.clear()  # a new process reads the same file
    assert runtime.public_key(config) == first


def test_unknown_transport_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="PUSH_TRANSPORT"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "PUSH_TRANSPORT": "carrier-pigeon"})
