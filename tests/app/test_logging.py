"""Structured logs: one JSON object per line, one request id across app and worker."""

from __future__ import annotations

import datetime
import io
import json
import logging
import time

import pytest

from app import logs, tasks
from app.mail import read_outbox
from tests.api.test_health import start_consumer


@pytest.fixture
def json_log(app):
    """Everything logged during the test, as the JSON lines production writes."""
    stream = io.StringIO()
    logs.configure("json", "INFO", stream)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    logs.configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])


def _request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "portal.request"]


def test_a_request_writes_one_json_line_with_its_id(client, json_log):
    response = client.get("/api/health/live", headers={"X-Request-ID": "proxy-id-0001"})
    assert response.headers["X-Request-ID"] == "proxy-id-0001"
    [line] = _request_lines(json_log())
    assert line["request_id"] == "proxy-id-0001"
    assert line["level"] == "info"
    assert line["method"] == "GET"
    assert line["endpoint"] == "health.live"
    assert line["path"] == "/api/health/live"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["role"] is None
    assert line["time"].endswith("Z")
    assert "client" not in line  # client addresses only with LOG_CLIENT_ADDRESS=1


@pytest.mark.parametrize(
    "offered",
    ["short", "has blank inside it", "x" * 129, 'quote"injected-value', "ünïcödé-identifier"],
)
def test_a_malformed_request_id_is_replaced(client, json_log, offered):
    response = client.get("/api/health/live", headers={"X-Request-ID": offered})
    given = response.headers["X-Request-ID"]
    assert given != offered
    assert len(given) == 32 and int(given, 16) >= 0
    assert _request_lines(json_log())[0]["request_id"] == given


def test_every_request_gets_its_own_id(client, json_log):
    first = client.get("/api/health/live").headers["X-Request-ID"]
    second = client.get("/api/health/live").headers["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in _request_lines(json_log())] == [first, second]


def test_the_signed_in_role_is_logged_but_no_address(signed_in, json_log):
    clerk = signed_in("clerk.log@example.org", "staff", ("hundesteuer",))
    clerk.get("/api/staff/applications")
    lines = _request_lines(json_log())
    assert lines[-1]["role"] == "staff"
    assert "clerk.log@example.org" not in json.dumps(lines)


def test_a_job_queued_by_a_request_logs_the_requests_id_in_the_worker(client, app, json_log):
    """The sign-in code mail is a job: a real consumer runs it, and its log lines
    carry the id of the request that asked for the code."""
    tasks.huey.immediate = False
    tasks.huey.storage.flush_all()
    consumer = None
    try:
        response = client.post(
            "/api/auth/email/start",
            json={"email": "worker.log@example.org"},
            headers={"X-Request-ID": "code-request-42"},
        )
        assert response.status_code == 202
        assert tasks.huey.storage.queue_size() >= 1
        assert not read_outbox(app.config["INSTANCE_PATH"], "worker.log@example.org")
        consumer = start_consumer(tasks.huey)
        deadline = time.monotonic() + 20
        while not read_outbox(app.config["INSTANCE_PATH"], "worker.log@example.org"):
            assert time.monotonic() < deadline, "the worker did not send the mail"
            time.sleep(0.05)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        tasks.huey.storage.flush_all()
        tasks.huey.immediate = True
    lines = json_log()
    job_lines = [line for line in lines if line.get("job") == "app.tasks.send_mail"]
    assert job_lines, lines
    # Huey's own "Executing …" and "… executed in" lines, written by the worker thread.
    assert any(line["logger"].startswith("huey") for line in job_lines)
    assert {line["request_id"] for line in job_lines} == {"code-request-42"}
    [request_line] = _request_lines(lines)
    assert request_line["request_id"] == "code-request-42"
    assert "worker.log@example.org" not in json.dumps(_request_lines(lines))


def test_text_format_shows_the_request_id(app):
    stream = io.StringIO()
    logs.configure("text", "INFO", stream)
    try:
        response = app.test_client().get(
            "/api/health/live", headers={"X-Request-ID": "text-format-01"}
        )
        assert response.status_code == 200
    finally:
        logs.configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    assert "[text-format-01]: GET /api/health/live 200" in stream.getvalue()


def test_exceptions_stay_on_one_line(json_log):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("portal.test").exception("it failed")
    [line] = [line for line in json_log() if line["logger"] == "portal.test"]
    assert line["message"] == "it failed"
    assert "ValueError: broken" in line["exception"]


def test_unknown_log_format_is_refused(other_app, tmp_path):
    from app.config import ConfigError

    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        other_app({"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path), "LOG_FORMAT": "xml"})


def test_production_logs_json_by_default():
    from app.config import operations_settings

    assert operations_settings({}, production=True)["LOG_FORMAT"] == "json"
    assert operations_settings({}, production=False)["LOG_FORMAT"] == "text"


def test_request_lines_can_be_left_to_the_proxy_and_addresses_asked_for(other_app, tmp_path):
    quiet = other_app({"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path), "LOG_REQUESTS": "0"})
    with_addresses = other_app(
        {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path), "LOG_CLIENT_ADDRESS": "1"}
    )
    # Building an app sets up logging: capture only after both are built.
    stream = io.StringIO()
    logs.configure("json", "INFO", stream)
    try:
        response = quiet.test_client().get("/api/health/live")
        assert response.headers["X-Request-ID"]
        assert "portal.request" not in stream.getvalue()
        with_addresses.test_client().get(
            "/api/health/live", environ_base={"REMOTE_ADDR": "192.0.2.33"}
        )
    finally:
        logs.configure("text", "INFO")
    [line] = [json.loads(x) for x in stream.getvalue().splitlines() if "portal.request" in x]
    assert line["client"] == "192.0.2.33"


@pytest.mark.parametrize(
    "created",
    [1_796_520_129.0, 1_796_520_129.4567, 1_796_520_129.9999, 1_796_520_130.001, 946_684_799.5],
)
def test_record_times_are_written_as_the_clock_says(created):
    """Both formats write the time of each record, though the part up to the second is
    worked out once per second: records a moment apart in one second, in the next, and
    an earlier one again, all come out as the standard library writes them."""
    json_formatter, text_formatter = logs.JsonFormatter(), logs.TextFormatter()
    for moment in (created, created + 0.0004, created + 1.0, created - 86_400.25):
        record = logging.LogRecord("t", logging.INFO, "", 0, "m", None, None)
        record.created, record.msecs = moment, int((moment - int(moment)) * 1000) + 0.0
        expected = datetime.datetime.fromtimestamp(moment, datetime.UTC)
        assert json.loads(json_formatter.format(record))["time"] == (
            expected.isoformat(timespec="milliseconds")[:-6] + "Z"
        )
        assert text_formatter.formatTime(record) == logging.Formatter().formatTime(record)
