"""BundID settings: the simulator outside production only, real keys in production,
and keys from the secrets folder."""

from __future__ import annotations

import pytest

from app.bundid import keys
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


@pytest.fixture(scope="module")
def pair() -> tuple[str, str]:
    return keys.self_signed("test SP")


def test_development_defaults_to_the_simulator(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert config["BUNDID_MODE"] == "simulator"
    assert config["BUNDID_SP_ENTITY_ID"] == "http://localhost:5000/api/bundid/metadata"


def test_production_has_bundid_off_unless_configured(tmp_path):
    config = load_config({**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path)})
    assert config["BUNDID_MODE"] == "off"


def test_production_refuses_the_simulator(tmp_path):
    env = {**PRODUCTION, "PORTAL_INSTANCE": str(tmp_path), "BUNDID_MODE": "simulator"}
    with pytest.raises(ConfigError, match="BUNDID_MODE=simulator is for development"):
        load_config(env)


def test_production_refuses_live_without_real_keys(tmp_path):
    metadata = tmp_path / "idp.xml"
    metadata.write_text("<EntityDescriptor/>")
    env = {
        **PRODUCTION,
        "PORTAL_INSTANCE": str(tmp_path),
        "BUNDID_MODE": "live",
        "BUNDID_IDP_METADATA": "http://id.example/metadata",
    }
    with pytest.raises(ConfigError) as info:
        load_config(env)
    assert "BUNDID_SP_KEY and BUNDID_SP_CERT are not set" in str(info.value)
    assert "BUNDID_IDP_METADATA must be a file or an https:// address" in str(info.value)


def test_live_needs_metadata(tmp_path):
    with pytest.raises(ConfigError, match="BUNDID_IDP_METADATA"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "BUNDID_MODE": "live"})


def test_a_key_and_a_certificate_that_do_not_belong_together_are_refused(tmp_path, pair):
    other_key, _ = keys.self_signed("other")
    env = {
        "PORTAL_INSTANCE": str(tmp_path),
        "BUNDID_SP_KEY": other_key,
        "BUNDID_SP_CERT": pair[1],
    }
    with pytest.raises(ConfigError, match="the certificate is not the key's"):
        load_config(env)


def test_keys_come_from_the_secrets_folder(tmp_path, pair):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "BUNDID_SP_KEY").write_text(pair[0])
    (secrets / "BUNDID_SP_CERT").write_text(pair[1])
    metadata = tmp_path / "idp.xml"
    metadata.write_text("<EntityDescriptor/>")
    env = {
        **PRODUCTION,
        "PORTAL_INSTANCE": str(tmp_path / "instance"),
        "PORTAL_SECRETS_DIR": str(secrets),
        "BUNDID_MODE": "live",
        "BUNDID_IDP_METADATA": str(metadata),
        "BUNDID_SP_ENTITY_ID": "https://portal.dueren.example/api/bundid/metadata",
    }
    config = load_config(env)
    assert config["BUNDID_SP_KEY"].startswith("-----BEGIN PRIVATE KEY-----")
    assert config["BUNDID_SP_CERT"].startswith("-----BEGIN CERTIFICATE-----")
