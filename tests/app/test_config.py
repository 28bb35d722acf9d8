"""Configuration: safe development defaults, refusal of unsafe production settings."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config
from tests.production_keys import PRODUCTION_KEYS


def test_development_generates_and_keeps_secret(tmp_path):
    first = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    second = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert len(first["SECRET_KEY"]) >= 40 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert first["RP_ID"] == "localhost"


def test_production_refuses_missing_secrets_and_names_each(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(
            {"PORTAL_ENV": "production", **PRODUCTION_KEYS, "PORTAL_INSTANCE": str(tmp_path)}
        )
    message = str(info.value)
    assert "SECRET_KEY is not set" in message
    assert "PORTAL_BASE_URL must be an https:// address" in message
    assert "SMTP_HOST" in message
    assert "VAPID_SUB" in message
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_default_looking_secret(tmp_path):
    env = {
        "PORTAL_ENV": "production",
        **PRODUCTION_KEYS,
        "PORTAL_INSTANCE": str(tmp_path),
        "SECRET_KEY": "change-me-change-me-change-me-change-me",
        "PORTAL_BASE_URL": "https://portal.dueren.example",
        "SMTP_HOST": "mail.dueren.example",
        "VAPID_SUB": "mailto:it@stadt-dueren.de",
    }
    with pytest.raises(ConfigError, match="SECRET_KEY looks like a development default"):
        load_config(env)


def test_production_accepts_proper_settings(tmp_path):
    env = {
        "PORTAL_ENV": "production",
        **PRODUCTION_KEYS,
        "PORTAL_INSTANCE": str(tmp_path),
        "SECRET_KEY": "q8Zt3vNw2xLp5rT7yU1oK4mJ6hG9fD0sA",
        "PORTAL_BASE_URL": "https://portal.dueren.example",
        "SMTP_HOST": "mail.dueren.example",
        "VAPID_SUB": "mailto:it@stadt-dueren.de",
    }
    config = load_config(env)
    assert config["SESSION_COOKIE_SECURE"] is True and config["RP_ID"] == "portal.dueren.example"


def test_unknown_environment_and_bad_numbers(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_ENV"):
        load_config({"PORTAL_ENV": "staging", "PORTAL_INSTANCE": str(tmp_path)})
    with pytest.raises(ConfigError, match="SMTP_PORT must be a whole number"):
        load_config({"SMTP_PORT": "twentyfive", "PORTAL_INSTANCE": str(tmp_path)})
