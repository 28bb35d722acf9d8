"""The outbox's settings and the backends' own come from the environment."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config
from app.handoff.base import REGISTRY, Backend


class _WithSecret(Backend):
    @classmethod
    def settings(cls, env, production):
        return {"HANDOFF_TEST_SECRET": env.get("HANDOFF_TEST_SECRET") or None}

    @classmethod
    def problems(cls, config):
        return [] if config.get("HANDOFF_TEST_SECRET") else ["HANDOFF_TEST_SECRET is not set"]


def test_the_outbox_settings_have_defaults(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert config["HANDOFF_MAX_ATTEMPTS"] == 8
    assert config["HANDOFF_RETRY_SECONDS"] == 30
    assert config["HANDOFF_FOLLOW_UP_SECONDS"] == 60
    assert config["HANDOFF_LEASE_SECONDS"] == 600


def test_the_lease_is_a_setting(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path), "HANDOFF_LEASE_SECONDS": "5"})
    assert config["HANDOFF_LEASE_SECONDS"] == 5
    with pytest.raises(ConfigError, match="HANDOFF_LEASE_SECONDS"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "HANDOFF_LEASE_SECONDS": "0"})


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_outbox_setting_is_refused(tmp_path, value):
    with pytest.raises(ConfigError, match="HANDOFF_MAX_ATTEMPTS"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "HANDOFF_MAX_ATTEMPTS": value})


def test_a_backend_declares_its_settings_and_production_problems(tmp_path):
    with REGISTRY.replaced("secret_test", _WithSecret):
        config = load_config({"PORTAL_INSTANCE": str(tmp_path), "HANDOFF_TEST_SECRET": "x" * 40})
        assert config["HANDOFF_TEST_SECRET"] == "x" * 40
        with pytest.raises(ConfigError, match="HANDOFF_TEST_SECRET is not set"):
            load_config({"PORTAL_ENV": "production", "PORTAL_INSTANCE": str(tmp_path)})
