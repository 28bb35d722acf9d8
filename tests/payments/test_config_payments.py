"""Payment settings: safe development defaults, production refusals."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config, payment_provider_configured
from tests.production_keys import PRODUCTION_KEYS

PRODUCTION = {
    "PORTAL_ENV": "production",
    **PRODUCTION_KEYS,
    "SECRET_KEY": "q8Zr3xT1vN6pW0yL4mK7bH2cJ9fD5sGa",
    "PORTAL_BASE_URL": "https://portal.dueren.de",
    "SMTP_HOST": "mail.dueren.de",
    "VAPID_SUB": "mailto:it@stadt-dueren.de",
}


def test_development_runs_without_credentials(tmp_path):
    config = load_config({"PORTAL_ENV": "development", "PORTAL_INSTANCE": str(tmp_path)})
    assert config["PAYMENT_SANDBOX"] is True
    for name in ("sandbox", "sepa", "transfer"):
        assert payment_provider_configured(config, name), name
    assert not payment_provider_configured(config, "paypal")
    assert not payment_provider_configured(config, "xbezahl")


def test_production_without_payment_settings_starts(tmp_path):
    config = load_config(PRODUCTION | {"PORTAL_INSTANCE": str(tmp_path)})
    assert config["PAYMENT_SANDBOX"] is False
    assert not any(payment_provider_configured(config, n) for n in ("sandbox", "sepa", "transfer"))


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"PAYMENT_SANDBOX": "1"}, "PAYMENT_SANDBOX is on"),
        ({"PAYMENT_PROVIDERS": "paypal"}, "'paypal' needs PAYPAL_CLIENT_ID"),
        ({"PAYMENT_PROVIDERS": "giropay"}, "unknown provider 'giropay'"),
        (
            {"XBEZAHL_BASE_URL": "http://epaybl.example", "XBEZAHL_AUTH": "basic"},
            "XBEZAHL_BASE_URL must be an https:// address",
        ),
        (
            {"XBEZAHL_BASE_URL": "https://epaybl.example", "XBEZAHL_AUTH": "mtls"},
            "XBEZAHL_AUTH=mtls needs XBEZAHL_CLIENT_CERT, XBEZAHL_CLIENT_KEY",
        ),
        (
            {"PAYPAL_CLIENT_ID": "x", "PAYPAL_CLIENT_SECRET": "y"},
            "PAYPAL_BASE_URL points to PayPal's sandbox",
        ),
        ({"SEPA_CREDITOR_ID": "DE98ZZZ09999999999"}, "demo creditor identifier"),
    ],
)
def test_production_refuses(tmp_path, env, problem):
    with pytest.raises(ConfigError) as caught:
        load_config(PRODUCTION | {"PORTAL_INSTANCE": str(tmp_path)} | env)
    assert problem in str(caught.value)


def test_bad_values_are_named(tmp_path):
    with pytest.raises(ConfigError, match="XBEZAHL_AUTH"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "XBEZAHL_AUTH": "kerberos"})
    with pytest.raises(ConfigError, match="XBEZAHL_BOOKING_DATA"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "XBEZAHL_BOOKING_DATA": "[1]"})
    with pytest.raises(ConfigError, match="XBEZAHL_TIMEOUT_SECONDS"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "XBEZAHL_TIMEOUT_SECONDS": "lang"})
    config = load_config(
        {
            "PORTAL_INSTANCE": str(tmp_path),
            "XBEZAHL_BOOKING_DATA": '{"Haushaltsstelle": "1.110.4321"}',
        }
    )
    assert config["XBEZAHL_BOOKING_DATA"] == {"Haushaltsstelle": "1.110.4321"}


def test_the_app_without_sandbox_has_no_sandbox_pages(other_app, tmp_path):
    built = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "PAYMENT_SANDBOX": "0",
        }
    )
    rules = {rule.rule for rule in built.url_map.iter_rules()}
    assert not any(rule.startswith("/payment-sandbox") for rule in rules)
    assert "/api/payments" in rules
