"""eID configuration: simulator by default in development, never in production."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config
from tests.production_keys import PRODUCTION_KEYS

PRODUCTION = {
    "PORTAL_ENV": "production",
    **PRODUCTION_KEYS,
    "SECRET_KEY": "q8Zt3vNw2xLp5rT7yU1oK4mJ6hG9fD0sA",
    "PORTAL_BASE_URL": "https://portal.dueren.example",
    "SMTP_HOST": "mail.dueren.example",
    "VAPID_SUB": "mailto:it@stadt-dueren.de",
}


def test_development_defaults_to_the_simulator_in_test_mode(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert config["EID_ADAPTER"] == "simulator" and config["EID_TEST_MODE"] is True


def test_production_without_eid_settings_has_eid_switched_off(tmp_path):
    config = load_config({**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path)})
    assert config["EID_ADAPTER"] == "" and config["EID_TEST_MODE"] is False


def test_production_refuses_the_simulator_and_test_mode(tmp_path):
    env = {**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path), "EID_ADAPTER": "simulator"}
    with pytest.raises(ConfigError, match="EID_ADAPTER=simulator is for development"):
        load_config(env)
    env = {**env, "EID_ADAPTER": "", "EID_TEST_MODE": "1"}
    with pytest.raises(ConfigError, match="EID_TEST_MODE must be off"):
        load_config(env)


def test_production_real_eid_server_needs_https_and_client_certificate(tmp_path):
    env = {
        **PRODUCTION,
        "PORTAL_INSTANCE": str(tmp_path),
        "EID_ADAPTER": "tr03130_soap",
        "EID_SERVER_URL": "http://eid.example/eidserver",
    }
    with pytest.raises(ConfigError) as info:
        load_config(env)
    assert "EID_SERVER_URL must be an https://" in str(info.value)
    assert "EID_CLIENT_CERT and EID_CLIENT_KEY" in str(info.value)
    config = load_config(
        {
            **env,
            "EID_SERVER_URL": "https://eid.example/eidserver",
            "EID_CLIENT_CERT": "/etc/portal/eid-client.pem",
            "EID_CLIENT_KEY": "/etc/portal/eid-client.key",
        }
    )
    assert config["EID_ADAPTER"] == "tr03130_soap"


def test_app_refuses_an_unknown_adapter(other_app, tmp_path):
    with pytest.raises(ConfigError, match="EID_ADAPTER 'carrier-pigeon' is unknown"):
        other_app(
            {
                "PORTAL_ENV": "test",
                "PORTAL_INSTANCE": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "EID_ADAPTER": "carrier-pigeon",
            }
        )
