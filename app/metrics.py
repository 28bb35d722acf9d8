"""Prometheus metrics: what the portal counts, and the text ``/metrics`` answers.

Counters and histograms are written where things happen (requests by the HTTP
surface, push deliveries by ``app.push.delivery``). Under gunicorn every worker process
writes its own values to files in ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's
multiprocess mode, set up by ``gunicorn.conf.py``), and a scrape adds them up, so a
node answers for all its processes. Without that folder (development server, tests)
the values live in this process.

Gauges that describe the portal's state (job queue, hand-off deliveries, payments)
are not counted anywhere: they are read from the database and the queue at scrape
time (``app.metric_gauges``), so every node answers the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import exposition as _exposition
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Methods a label may name; anything else a client invents is "other" (bounded labels).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds; the portal's answers take milliseconds, uploads and PDFs up to seconds.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# "_created" series only repeat each process's start time: leave them out.
disable_created_metrics()
if os.environ.get(MULTIPROC_ENV):
    # A worker started before the web server on a fresh host: the folder may not exist
    # yet, and prometheus_client would fail on the first value it writes.
    os.makedirs(os.environ[MULTIPROC_ENV], mode=0o700, exist_ok=True)

# The values of this process (single-process mode), apart from prometheus_client's
# global registry, so building the app again never registers anything twice.
REGISTRY = CollectorRegistry()

HTTP_REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered, by Flask endpoint, method and status class",
    ("endpoint", "method", "status"),
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "portal_http_request_duration_seconds",
    "Time from receiving a request to handing its answer to the server",
    ("endpoint", "method", "status"),
    buckets=DURATION_BUCKETS,
    registry=REGISTRY,
)
PUSH_SENT = Counter(
    "portal_push_sent",
    "Push messages a push service accepted for a device",
    registry=REGISTRY,
)
PUSH_FAILED = Counter(
    "portal_push_failed",
    "Push attempts that ended without delivery (failed, gone, expired)",
    ("outcome",),
    registry=REGISTRY,
)

_children: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    key = (endpoint, method if method in METHODS else "other", f"{status // 100}xx")
    children = _children.get(key)
    if children is None:
        # Looking a labelled child up costs more than using it: keep each one.
        children = (HTTP_REQUESTS.labels(*key), HTTP_DURATION.labels(*key))
        _children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def push_outcome(outcome: str) -> None:
    """Count a push attempt's final outcome (``delivered`` or a failure)."""
    if outcome == "delivered":
        PUSH_SENT.inc()
    elif outcome in ("failed", "gone", "expired"):
        PUSH_FAILED.labels(outcome).inc()


def multiprocess_dir() -> str | None:
    """The folder the processes of this node share their values in, if any."""
    return os.environ.get(MULTIPROC_ENV) or None


_state_collectors: list[Any] = []


def add_state_collector(collector: Any) -> None:
    """Add a collector read at every scrape (``collect()`` yielding metric families)."""
    if collector not in _state_collectors:
        _state_collectors.append(collector)


def scrape_registry() -> CollectorRegistry:
    """A registry that yields this node's values and the state gauges."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    for collector in _state_collectors:
        registry.register(collector)
    return registry


def exposition(registry_factory: Callable[[], CollectorRegistry] = scrape_registry) -> bytes:
    """The Prometheus text of everything this node reports."""
    return generate_latest(registry_factory())


# The classic text format (0.0.4) that every Prometheus version reads; newer clients
# name their default "1.0.0" although generate_latest writes the same text.
CONTENT_TYPE = getattr(
    _exposition, "CONTENT_TYPE_PLAIN_0_0_4", "text/plain; version=0.0.4; charset=utf-8"
)
