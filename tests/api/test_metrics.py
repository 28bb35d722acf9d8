"""``/metrics``: request counts and latencies per endpoint, queue, hand-offs, payments,
push; per node under gunicorn; only for the token or this machine."""

from __future__ import annotations

import datetime
import http.client
import os
import secrets
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import job_queue_stats, tasks
from app.db import db
from app.models import HandoffDelivery, Payment, User
from app.tasks import PortalRedisHuey, PortalSqliteHuey
from tests.api.engine_helpers import submitted
from tests.api.test_push_delivery import _move
from tests.api.test_rate_limits_gunicorn import _connections_to_two_workers, gunicorn  # noqa: F401
from tests.production_keys import PRODUCTION_KEYS
from tests.push.portal import add_device, serve

TOKEN = "metrics-token-" + "x" * 20


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text, by name and sorted labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(client, **kwargs) -> str:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.get_data(as_text=True)


# --- requests ---------------------------------------------------------------------------


def test_requests_count_per_endpoint_method_and_status_class(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/api/health/live").status_code == 200
    assert client.get("/api/applications/123456789").status_code in (401, 404)
    after = scrape(client)
    live = {"endpoint": "health.live", "method": "GET", "status": "2xx"}
    assert (
        value(after, "portal_http_requests_total", **live)
        - value(before, "portal_http_requests_total", **live)
        == 3
    )
    assert (
        value(after, "portal_http_request_duration_seconds_count", **live)
        - value(before, "portal_http_request_duration_seconds_count", **live)
        == 3
    )
    assert value(after, "portal_http_request_duration_seconds_sum", **live) > 0
    # Labels name the Flask endpoint, never the path with its ids.
    assert "123456789" not in after


def test_unknown_paths_and_methods_share_one_label(client):
    before = scrape(client)
    for path in ("/api/nothing-here-1", "/api/nothing-here-2", "/api/nothing-here-3"):
        assert client.get(path).status_code == 404
    client.request("BREW", "/api/health/live")
    after = scrape(client)
    unmatched = {"endpoint": "unmatched", "method": "GET", "status": "4xx"}
    assert (
        value(after, "portal_http_requests_total", **unmatched)
        - value(before, "portal_http_requests_total", **unmatched)
        == 3
    )
    assert "nothing-here" not in after
    assert "BREW" not in after
    assert 'method="other"' in after


def test_the_catalogue_answered_before_flask_counts_under_its_endpoint(client):
    first = client.get("/api/services")
    etag = first.headers["ETag"]
    before = scrape(client)
    for _ in range(2):
        # Answered by api.catalogue_not_modified without Flask.
        assert client.get("/api/services", headers={"If-None-Match": etag}).status_code == 304
    after = scrape(client)
    labels = {"endpoint": "services.list_services", "method": "GET", "status": "3xx"}
    assert (
        value(after, "portal_http_requests_total", **labels)
        - value(before, "portal_http_requests_total", **labels)
        == 2
    )


# --- protection -------------------------------------------------------------------------


def test_without_a_token_only_this_machine_may_scrape(client):
    assert client.get("/metrics").status_code == 200
    remote = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert remote.status_code == 403
    assert remote.get_json()["code"] == "forbidden"
    # A proxy on this machine forwarding someone else's request (no proxy configured).
    forwarded = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert forwarded.status_code == 403
    ipv6 = client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"})
    assert ipv6.status_code == 200


def test_with_a_token_only_the_token_may_scrape(other_app, tmp_path):
    portal = other_app(
        {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path), "METRICS_TOKEN": TOKEN}
    )
    web = portal.test_client()
    missing = web.get("/metrics")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert web.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert web.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    remote_with_token = web.get(
        "/metrics",
        headers={"Authorization": f"Bearer {TOKEN}"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert remote_with_token.status_code == 200
    assert "portal_http_requests_total" in remote_with_token.get_data(as_text=True)


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    return {
        "PORTAL_ENV": "production",
        "PORTAL_INSTANCE": str(tmp_path),
        "PORTAL_BASE_URL": "https://portal.dueren.example",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SMTP_HOST": "mail.dueren.example",
        "VAPID_SUB": "mailto:it@stadt-dueren.de",
        "DATABASE_URL": os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path}/p.db",
        **PRODUCTION_KEYS,
        **extra,
    }


def test_production_without_a_token_refuses_other_machines(other_app, tmp_path):
    portal = other_app(_production_env(tmp_path))
    web = portal.test_client()
    base = "https://portal.dueren.example"
    assert web.get("/metrics", base_url=base).status_code == 200
    remote = web.get("/metrics", base_url=base, environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert remote.status_code == 403


def test_production_refuses_a_short_token(other_app, tmp_path):
    from app.config import ConfigError

    with pytest.raises(ConfigError, match="METRICS_TOKEN"):
        other_app(_production_env(tmp_path, METRICS_TOKEN="short"))


# --- state read at scrape time ----------------------------------------------------------


def _payment(state: str) -> None:
    Payment.create(
        user=User.create(email=f"payer-{secrets.token_hex(4)}@example.org"),
        subject_type="application",
        subject_id=secrets.token_hex(4),
        amount_cents=1200,
        purpose="BP 1",
        description="Gebühr",
        provider="transfer",
        return_path="/",
        state=state,
    )


def test_hand_offs_and_payments_by_state(client, signed_in):
    application = submitted(signed_in("handoff.metrics@example.org"), "dog_tax_registration")
    with db.connection_context():
        for target, state in (("a", "failed"), ("b", "failed"), ("c", "delivered")):
            HandoffDelivery.create(
                application=application["id"],
                service_id="dog_tax_registration",
                target_id=target,
                backend="webhook",
                moment="submitted",
                state=state,
            )
        for state in ("paid", "paid", "failed", "awaiting_transfer"):
            _payment(state)
    text = scrape(client)
    assert value(text, "portal_handoff_deliveries", state="failed") == 2
    assert value(text, "portal_handoff_deliveries", state="delivered") == 1
    # Every state is reported, also those without rows (alerts need the zero).
    assert ("portal_handoff_deliveries", (("state", "rejected"),)) in samples(text)
    assert value(text, "portal_payments", state="paid") == 2
    assert value(text, "portal_payments", state="failed") == 1
    assert value(text, "portal_payments", state="awaiting_transfer") == 1
    assert ("portal_payments", (("state", "refunded"),)) in samples(text)


def test_immediate_mode_has_an_empty_queue(client):
    text = scrape(client)
    assert value(text, "portal_jobs_queued") == 0
    assert value(text, "portal_jobs_oldest_age_seconds") == 0
    assert "portal_worker_heartbeat_age_seconds" not in text


def _queues(tmp_path):
    """A SQLite queue, and a Redis queue when TEST_REDIS_URL is set."""
    made = [PortalSqliteHuey("metrics-test", filename=str(tmp_path / "queue.sqlite3"))]
    if os.environ.get("TEST_REDIS_URL"):
        name = f"metrics-test-{secrets.token_hex(4)}"
        made.append(PortalRedisHuey(name, url=os.environ["TEST_REDIS_URL"]))
    return made


def test_queue_depth_and_the_oldest_jobs_age(app, tmp_path):
    for queue in _queues(tmp_path):

        @queue.task(name="noop")
        def noop(number: int) -> None:
            return None

        @queue.task(name="later")
        def later() -> None:
            return None

        try:
            assert job_queue_stats.read(queue) == job_queue_stats.QueueStats(0, 0, None)
            queued_at = time.time()
            noop(1)
            time.sleep(0.05)
            noop(2)
            # What a worker files under "later" (a retry, a delayed job) when it takes it.
            delayed = later.s()
            delayed.eta = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
            delayed.eta += datetime.timedelta(hours=1)
            queue.add_schedule(delayed)
            stats = job_queue_stats.read(queue, now=queued_at + 30)
            assert stats.queued == 2
            assert stats.scheduled == 1
            # The first job queued is the oldest: about 30 s at the time asked.
            assert stats.oldest_age_seconds == pytest.approx(30, abs=0.5)
        finally:
            queue.storage.flush_all()


def test_the_queue_gauges_in_the_scrape(client):
    tasks.huey.immediate = False
    tasks.huey.storage.flush_all()
    try:
        tasks.send_mail("queued.metrics@example.org", "Betreff", "Text")
        text = scrape(client)
        assert value(text, "portal_jobs_queued") == 1
        assert value(text, "portal_jobs_oldest_age_seconds") > 0
        # No worker ever beat in this queue.
        assert value(text, "portal_worker_heartbeat_age_seconds") == float("inf")
    finally:
        tasks.huey.storage.flush_all()
        tasks.huey.immediate = True


# --- push -------------------------------------------------------------------------------


@pytest.fixture
def push_service(app, monkeypatch):
    yield from serve(app, monkeypatch)


def test_push_sent_and_failed_are_counted(client, signed_in, push_service):
    clerk = signed_in("clerk.metrics@example.org", "staff", ("hundesteuer",))
    citizen = signed_in("push.metrics@example.org")
    application = submitted(citizen, "dog_tax_registration")
    phone, _ = add_device(citizen, push_service)
    add_device(citizen, push_service)
    push_service.unsubscribe(phone.id)
    before = scrape(client)
    _move(clerk, application["reference"], "info_requested", "Frage")
    after = scrape(client)
    assert value(after, "portal_push_sent_total") - value(before, "portal_push_sent_total") == 1
    assert (
        value(after, "portal_push_failed_total", outcome="gone")
        - value(before, "portal_push_failed_total", outcome="gone")
        == 1
    )


# --- one node, several processes --------------------------------------------------------


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, str]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_gunicorn_workers_report_the_nodes_totals(gunicorn):  # noqa: F811
    """Requests served by two worker processes are counted once each, whichever
    worker answers the scrape."""
    connections = list(_connections_to_two_workers(gunicorn).values())
    assert len(connections) == 2
    live = {"endpoint": "health.live", "method": "GET", "status": "2xx"}
    # Finding the two workers took requests of its own: count from here.
    before = value(_get(connections[0], "/metrics")[1], "portal_http_requests_total", **live)
    for connection in connections:
        for _ in range(5):
            assert _get(connection, "/api/health/live")[0] == 200
    for connection in connections:
        status, text = _get(connection, "/metrics")
        assert status == 200
        assert value(text, "portal_http_requests_total", **live) - before == 10
