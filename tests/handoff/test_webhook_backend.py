"""The signed-webhook backend against a receiver that checks what the Standard Webhooks
specification asks a consumer to check (tests/fakes/webhook_receiver.py)."""

from __future__ import annotations

import base64
import json
import socket
import ssl
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from app.env_values import ConfigError
from app.handoff import base, document, signing
from app.handoff.backends import webhook
from app.models import Application
from tests.api.engine_helpers import submitted
from tests.fakes.webhook_receiver import WebhookReceiver

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def config(app, monkeypatch):
    """The test app's configuration with the target's secret set in the environment."""
    settings = webhook.WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_STEUERAMT": SECRET}, False)
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.config, "HANDOFF_WEBHOOK_READ_TIMEOUT", 2)
    return app.config


@pytest.fixture
def handed_off(app, signed_in):
    """A really submitted dog registration and its hand-off document."""
    citizen = signed_in("hundehalter@example.org")
    shown = submitted(citizen, "dog_tax_registration")
    with app.app_context():
        built = document.build(Application.get_by_id(shown["id"]))
    return shown, built


def _delivery(application_id: str, url: str, attempt: int = 1, secret: str = "steueramt"):
    return base.Delivery(
        id=1,
        key=f"{application_id}.steueramt",
        application_id=application_id,
        service_id="dog_tax_registration",
        target_id="steueramt",
        backend="webhook",
        moment="submitted",
        settings={"url": url, "secret": secret},
        attempt=attempt,
        progress={},
    )


def test_the_signing_matches_the_specification_s_test_vector():
    key = signing.parse_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    assert (
        signing.signature(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_the_receiver_verifies_the_document_and_answers_with_its_case_number(config, handed_off):
    shown, built = handed_off
    backend = base.get("webhook", config)
    with WebhookReceiver(SECRET) as receiver:
        delivery = _delivery(shown["id"], receiver.url)
        outcome = backend.deliver(delivery, built)
        # The outbox tries again after a lost answer: the receiver sees one message.
        again = backend.deliver(_delivery(shown["id"], receiver.url, attempt=2), built)

    assert outcome.state == "delivered" and outcome.remote_id == "AZ-2026-00001"
    assert again.remote_id == outcome.remote_id
    assert receiver.refused == []
    assert receiver.distinct_ids == {f"{shown['id']}.steueramt"}
    first, repeat = receiver.received
    assert first.first and not repeat.first
    assert first.headers["webhook-id"] == delivery.key
    assert first.headers["content-type"] == "application/json"
    message = first.json()
    assert message["type"] == "application.handoff"
    assert message["delivery"] == delivery.key
    assert message["target"] == "steueramt" and message["moment"] == "submitted"
    assert datetime.fromisoformat(message["timestamp"]) > datetime.now(UTC) - timedelta(minutes=1)
    assert message["data"] == json.loads(json.dumps(built.data))
    assert message["data"]["application"]["reference"] == shown["reference"]


def test_a_receiver_with_another_secret_refuses_and_the_delivery_fails_for_good(config, handed_off):
    shown, built = handed_off
    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    with WebhookReceiver(other) as receiver, pytest.raises(base.DeliveryFailed) as failed:
        base.get("webhook", config).deliver(_delivery(shown["id"], receiver.url), built)
    assert receiver.refused == ["no valid v1 signature"]
    assert receiver.distinct_ids == set()
    assert failed.value.reason == "HTTP 401" and failed.value.retry is False


@pytest.mark.parametrize(
    ("status", "retry_after", "retry", "wait"),
    [
        (500, None, True, None),
        (503, "120", True, 120),
        (429, "7", True, 7),
        (408, None, True, None),
        (502, "99999", True, webhook.MAX_RETRY_AFTER_SECONDS),
        (404, None, False, None),
        (410, None, False, None),
        (400, "5", False, None),
    ],
)
def test_answers_decide_whether_it_is_tried_again(
    config, handed_off, status, retry_after, retry, wait
):
    shown, built = handed_off
    backend = base.get("webhook", config)
    with WebhookReceiver(SECRET) as receiver:
        receiver.fail_next(1, status, retry_after)
        with pytest.raises(base.DeliveryFailed) as failed:
            backend.deliver(_delivery(shown["id"], receiver.url), built)
        # The next attempt gets through, with the same id.
        outcome = backend.deliver(_delivery(shown["id"], receiver.url, attempt=2), built)
    assert failed.value.reason.startswith(f"HTTP {status}")
    assert failed.value.retry is retry
    assert failed.value.retry_after == wait
    assert outcome.state == "delivered" and receiver.distinct_ids == {f"{shown['id']}.steueramt"}


def test_retry_after_as_a_date_and_a_redirect():
    moment = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    later = format_datetime(moment + timedelta(seconds=90), usegmt=True)
    assert webhook.retry_after_seconds(later, now=moment) == 90
    assert webhook.retry_after_seconds("soon", now=moment) is None
    assert webhook.retry_after_seconds(format_datetime(moment, usegmt=True), now=moment) == 0


def test_a_redirect_is_not_followed(config, handed_off):
    shown, built = handed_off
    with WebhookReceiver(SECRET) as receiver:
        receiver.answer_with(301, b"")
        with pytest.raises(base.DeliveryFailed) as failed:
            base.get("webhook", config).deliver(_delivery(shown["id"], receiver.url), built)
    assert failed.value.retry is False and "redirect" in failed.value.reason


def test_a_slow_or_absent_receiver_is_tried_again(config, handed_off, monkeypatch):
    shown, built = handed_off
    monkeypatch.setitem(config, "HANDOFF_WEBHOOK_READ_TIMEOUT", 0.3)
    backend = base.get("webhook", config)
    with WebhookReceiver(SECRET) as receiver:
        receiver.delay = 1.0
        with pytest.raises(base.DeliveryFailed) as slow:
            backend.deliver(_delivery(shown["id"], receiver.url), built)
    assert slow.value.retry is True and "in time" in slow.value.reason

    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    with pytest.raises(base.DeliveryFailed) as absent:
        backend.deliver(_delivery(shown["id"], f"http://127.0.0.1:{port}/x"), built)
    assert absent.value.retry is True and absent.value.reason.startswith("network error")
    assert "127.0.0.1" not in absent.value.reason


@pytest.mark.parametrize(
    ("body", "remote_id"),
    [
        (b'{"case_number": 4711}', "4711"),
        (b'{"case_number": "  AZ 1/26 "}', "AZ 1/26"),
        (b'{"case_number": "bad\\nnumber"}', ""),
        (b'{"case_number": "' + b"9" * 101 + b'"}', ""),
        (b'{"received": true}', ""),
        (b"OK", ""),
        (b"", ""),
    ],
)
def test_any_2xx_is_delivered_and_only_a_clean_case_number_is_kept(
    config, handed_off, body, remote_id
):
    shown, built = handed_off
    with WebhookReceiver(SECRET) as receiver:
        receiver.answer_with(202, body)
        outcome = base.get("webhook", config).deliver(_delivery(shown["id"], receiver.url), built)
    assert outcome.state == "delivered" and outcome.remote_id == remote_id


def test_outside_production_a_target_without_a_secret_signs_with_its_demo_secret(
    config, handed_off
):
    shown, built = handed_off
    assert "kasse" not in config["HANDOFF_WEBHOOK_SECRETS"]
    with WebhookReceiver(webhook.demo_secret("kasse")) as receiver:
        outcome = base.get("webhook", config).deliver(
            _delivery(shown["id"], receiver.url, secret="kasse"), built
        )
    assert outcome.remote_id == "AZ-2026-00001"


def test_without_demo_secrets_a_missing_secret_fails_the_delivery(config, handed_off, monkeypatch):
    shown, built = handed_off
    monkeypatch.setitem(config, "HANDOFF_WEBHOOK_DEMO_SECRETS", False)
    with pytest.raises(base.DeliveryFailed) as failed:
        base.get("webhook", config).deliver(
            _delivery(shown["id"], "https://fach.example/x", secret="kasse"), built
        )
    assert failed.value.reason == "HANDOFF_WEBHOOK_SECRET_KASSE is not set"
    assert failed.value.retry is False


def test_settings_read_every_secret_and_refuse_malformed_ones():
    settings = webhook.WebhookBackend.settings(
        {
            "HANDOFF_WEBHOOK_SECRET_STEUERAMT": SECRET,
            "HANDOFF_WEBHOOK_SECRET_ORDNUNGSAMT": " " + SECRET + " ",
            "HANDOFF_WEBHOOK_SECRET_EMPTY": "",
            "HANDOFF_WEBHOOK_READ_TIMEOUT": "12",
        },
        False,
    )
    assert settings["HANDOFF_WEBHOOK_SECRETS"] == {"steueramt": SECRET, "ordnungsamt": SECRET}
    assert settings["HANDOFF_WEBHOOK_DEMO_SECRETS"] is True
    assert settings["HANDOFF_WEBHOOK_READ_TIMEOUT"] == 12
    for value in ("geheim", "whsec_%%%", "whsec_", "whsec_" + "A" * 100):
        with pytest.raises(ConfigError) as refused:
            webhook.WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_X": value}, False)
        assert refused.value.args[0].startswith("HANDOFF_WEBHOOK_SECRET_X:")
        assert value not in refused.value.args[0] or value == "whsec_"
    with pytest.raises(ConfigError):
        webhook.WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_9X": SECRET}, False)


def test_production_refuses_weak_and_demo_secrets():
    weak = "whsec_" + base64.b64encode(b"short").decode()
    settings = webhook.WebhookBackend.settings(
        {
            "HANDOFF_WEBHOOK_SECRET_A": SECRET,
            "HANDOFF_WEBHOOK_SECRET_B": weak,
            "HANDOFF_WEBHOOK_SECRET_C": webhook.demo_secret("c"),
        },
        True,
    )
    assert settings["HANDOFF_WEBHOOK_DEMO_SECRETS"] is False
    assert base.all_problems(settings) == [
        "HANDOFF_WEBHOOK_SECRET_B is shorter than 24 bytes "
        "(use 32 random bytes, base64 after whsec_)",
        "HANDOFF_WEBHOOK_SECRET_C is the demo secret",
    ]
    assert base.all_problems({"HANDOFF_WEBHOOK_DEMO_SECRETS": True}) == [
        "webhook demo secrets are on (they are for development and tests)"
    ]


def test_production_configuration_names_a_weak_secret(tmp_path):
    from app.config import load_config

    env = {
        "PORTAL_ENV": "production",
        "PORTAL_INSTANCE": str(tmp_path),
        "HANDOFF_WEBHOOK_SECRET_STEUERAMT": "whsec_" + base64.b64encode(b"short").decode(),
    }
    with pytest.raises(ConfigError) as refused:
        load_config(env)
    assert "HANDOFF_WEBHOOK_SECRET_STEUERAMT is shorter than 24 bytes" in str(refused.value)


@pytest.mark.parametrize(
    ("settings", "production", "problems"),
    [
        ({"url": "https://fach.example/antraege", "secret": "steueramt"}, True, []),
        ({"url": "http://127.0.0.1:8080/a", "secret": "steueramt"}, False, []),
        ({"url": "http://localhost/a", "secret": "kasse"}, False, []),
        (
            {"url": "http://127.0.0.1:8080/a", "secret": "steueramt"},
            True,
            ["url: must be an https:// address in production"],
        ),
        (
            {"url": "http://fach.example/a", "secret": "steueramt"},
            False,
            ["url: must be an https:// address (http:// only to this machine, outside production)"],
        ),
        (
            {"url": "https://user:pw@fach.example/a", "secret": "steueramt"},
            False,
            ["url: must be an address with a host name and no user, password or #fragment"],
        ),
        (
            {"url": "https://fach.example/a", "secret": "kasse"},
            True,
            ["secret: HANDOFF_WEBHOOK_SECRET_KASSE is not set"],
        ),
        (
            {"url": "https://fach.example/a", "secret": SECRET},
            False,
            [
                "secret: must name the target's secret (letters, digits and _; the secret "
                "itself goes into HANDOFF_WEBHOOK_SECRET_<NAME>)"
            ],
        ),
        (
            {"url": "https://fach.example/a", "secret_env": "X"},
            False,
            [
                "secret_env: is not a setting of a webhook",
                "secret: must name the target's secret (letters, digits and _; the secret "
                "itself goes into HANDOFF_WEBHOOK_SECRET_<NAME>)",
            ],
        ),
        ({"url": "https://fach.example/a", "secret": "kasse"}, False, []),
        (
            {},
            False,
            [
                "url: is missing",
                "secret: must name the target's secret (letters, "
                "digits and _; the secret itself goes into HANDOFF_WEBHOOK_SECRET_<NAME>)",
            ],
        ),
    ],
)
def test_target_settings_are_checked(settings, production, problems):
    # Without the configuration a target is checked as outside production.
    assert (
        webhook.WebhookBackend({}).check_target({"url": "https://a.example", "secret": "x"}) == []
    )
    config = {
        "PORTAL_ENV": "production" if production else "test",
        **webhook.WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_STEUERAMT": SECRET}, production),
    }
    assert base.get("webhook", config).check_target(settings) == problems


def test_production_does_not_send_over_plain_http(config, handed_off, monkeypatch):
    shown, built = handed_off
    monkeypatch.setitem(config, "PORTAL_ENV", "production")
    with WebhookReceiver(SECRET) as receiver, pytest.raises(base.DeliveryFailed) as failed:
        base.get("webhook", config).deliver(_delivery(shown["id"], receiver.url), built)
    assert failed.value.retry is False
    assert failed.value.reason == "url: must be an https:// address in production"
    assert receiver.received == [] and receiver.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "https://10.1.2.3/antraege",
        "https://192.168.0.10/antraege",
        "https://127.0.0.1/antraege",
        "https://localhost/antraege",
        "https://intern.localhost/antraege",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/antraege",
        "https://[fe80::1]/antraege",
        "https://[fd00::1]/antraege",
        "https://[::ffff:10.0.0.1]/antraege",
        "https://224.0.0.1/antraege",
        "https://0.0.0.0/antraege",
        "https://240.0.0.1/antraege",
    ],
)
def test_production_refuses_internal_addresses(url):
    assert webhook.url_problem(url, production=True) == webhook.INTERNAL
    assert webhook.url_problem(url, production=False) == ""


def test_production_refuses_a_host_name_that_resolves_to_an_internal_address():
    names = {"fach.example": ["203.0.113.9", "10.0.0.7"], "ok.example": ["93.184.216.34"]}

    def dns(host: str, port: int) -> list[str]:
        if host not in names:
            raise socket.gaierror("unknown")
        return names[host]

    assert webhook.url_problem("https://fach.example/a", True, dns) == webhook.INTERNAL
    assert webhook.url_problem("https://ok.example/a", True, dns) == ""
    # A name that does not resolve now is checked when sending.
    assert webhook.url_problem("https://neu.example/a", True, dns) == ""
    config = {
        "PORTAL_ENV": "production",
        **webhook.WebhookBackend.settings({"HANDOFF_WEBHOOK_SECRET_STEUERAMT": SECRET}, True),
    }
    backend = base.get("webhook", config)
    backend.resolve = dns
    assert backend.check_target({"url": "https://fach.example/a", "secret": "steueramt"}) == [
        webhook.INTERNAL
    ]


def test_production_does_not_send_to_a_name_that_now_resolves_internally(
    config, handed_off, monkeypatch
):
    shown, built = handed_off
    monkeypatch.setitem(config, "PORTAL_ENV", "production")
    backend = base.get("webhook", config)
    asked: list[str] = []

    def dns(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]  # was public when the definition was loaded

    backend.resolve = dns
    with WebhookReceiver(SECRET) as receiver, pytest.raises(base.DeliveryFailed) as failed:
        backend.deliver(_delivery(shown["id"], "https://fach.example/hooks/antraege"), built)
    assert failed.value.retry is False and failed.value.reason == webhook.INTERNAL
    assert asked == ["fach.example"] and receiver.received == []


def test_the_request_goes_to_the_address_resolved_once_with_the_host_name_kept(config, handed_off):
    shown, built = handed_off
    backend = base.get("webhook", config)
    asked: list[tuple[str, int]] = []

    def dns(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return ["127.0.0.2"]  # where the receiver listens; "localhost" is 127.0.0.1

    backend.resolve = dns
    with WebhookReceiver(SECRET, host="127.0.0.2") as receiver:
        port = receiver.url.rsplit(":", 1)[1].split("/")[0]
        outcome = backend.deliver(
            _delivery(shown["id"], f"http://localhost:{port}/hooks/antraege"), built
        )
    assert outcome.state == "delivered"
    assert asked == [("localhost", int(port))]
    (arrived,) = receiver.received
    assert arrived.headers["host"] == f"localhost:{port}"


def _tls_server(tmp_path, name: str) -> tuple[ssl.SSLContext, str]:
    """A server context with a certificate for ``name`` from a test authority, and the
    path of that authority's certificate (what a client trusts)."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-CA Fachverfahren")])
    now = datetime.now(UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    chain = tmp_path / f"{name}.pem"
    chain.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    trusted = tmp_path / "ca.pem"
    trusted.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain)
    return context, str(trusted)


@pytest.mark.parametrize(
    ("certified", "arrives"), [("fach.example", True), ("anders.example", False)]
)
def test_over_https_the_pinned_address_is_checked_against_the_host_name(
    config, handed_off, tmp_path, monkeypatch, certified, arrives
):
    shown, built = handed_off
    context, trusted = _tls_server(tmp_path, certified)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", trusted)
    backend = base.get("webhook", config)
    backend.resolve = lambda host, port: ["127.0.0.1"]
    with WebhookReceiver(SECRET, tls=context) as receiver:
        port = receiver.url.rsplit(":", 1)[1].split("/")[0]
        url = f"https://fach.example:{port}/hooks/antraege"
        if arrives:
            outcome = backend.deliver(_delivery(shown["id"], url), built)
        else:
            with pytest.raises(base.DeliveryFailed) as failed:
                backend.deliver(_delivery(shown["id"], url), built)
    if arrives:
        # TLS checked the certificate for fach.example, though the connection went to
        # the address resolved (SNI and Host name the host).
        assert outcome.state == "delivered"
        (arrived,) = receiver.received
        assert arrived.headers["host"] == f"fach.example:{port}"
    else:
        assert failed.value.reason == "network error (SSLError)"
        assert receiver.received == []


def test_an_address_nobody_listens_on_gives_way_to_the_next_one_resolved(config, handed_off):
    shown, built = handed_off
    backend = base.get("webhook", config)
    with WebhookReceiver(SECRET) as receiver:
        port = receiver.url.rsplit(":", 1)[1].split("/")[0]
        # As "localhost" may resolve to ::1 first while the receiver listens on IPv4.
        backend.resolve = lambda host, port: ["127.0.0.3", "127.0.0.1"]
        outcome = backend.deliver(
            _delivery(shown["id"], f"http://localhost:{port}/hooks/antraege"), built
        )
        backend.resolve = lambda host, port: ["127.0.0.3"]
        with pytest.raises(base.DeliveryFailed) as failed:
            backend.deliver(
                _delivery(shown["id"], f"http://localhost:{port}/hooks/antraege"), built
            )
    assert outcome.state == "delivered" and len(receiver.received) == 1
    assert failed.value.retry is True and failed.value.reason == "network error (ConnectionError)"
