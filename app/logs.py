"""Log output: readable lines in development, one JSON object per line in production.

``LOG_FORMAT=json`` (the default in production) writes every record as one JSON object
with ``time``, ``level``, ``logger``, ``message`` and ``request_id``, plus the fields a
record brings along (a request's ``method``, ``endpoint``, ``path``, ``status``,
``duration_ms``, ``role``; a job's ``job`` and ``job_id``). Nothing personal goes in
by this module: callers log ids and roles, never e-mail addresses or names.

Every request writes a line, so a record costs what it must and no more: records do
not carry what neither format prints (the caller's file and line, thread and process
names; the optimisations the logging HOWTO lists), and the time is formatted once per
second, not once per record.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
import time
from typing import Any

import orjson

from app import log_context

FORMATS = ("text", "json")
# Attributes every LogRecord has; anything else on a record came with ``extra=``.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "request_id", "job", "job_id"}
)
_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class ContextFilter(logging.Filter):
    """Puts the current request id (and job) on every record that passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = log_context.current()
        if not hasattr(record, "request_id"):
            record.request_id = context.request_id
        if context.job and not hasattr(record, "job"):
            record.job = context.job
            record.job_id = context.job_id
        return True


class _SecondClock:
    """A record's time as text, the part up to the second worked out once per second."""

    def __init__(self, pattern: str, convert: Any) -> None:
        self.pattern = pattern
        self.convert = convert
        self.local = threading.local()

    def text(self, second: int, millis: int, separator: str) -> str:
        local = self.local
        if getattr(local, "second", None) != second:
            local.second = second
            local.text = time.strftime(self.pattern, self.convert(second))
        return f"{local.text}{separator}{millis:03d}"


def _utc_parts(created: float) -> tuple[int, int]:
    """Second and millisecond of ``created`` as ``datetime.fromtimestamp`` has them
    (rounded to the microsecond first, then cut to the millisecond)."""
    fraction, whole = math.modf(created)
    micros = round(fraction * 1e6)
    if micros >= 1_000_000:
        whole, micros = whole + 1, micros - 1_000_000
    return int(whole), micros // 1000


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def __init__(self) -> None:
        super().__init__()
        self._clock = _SecondClock("%Y-%m-%dT%H:%M:%S", time.gmtime)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._clock.text(*_utc_parts(record.created), ".") + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        job = getattr(record, "job", None)
        if job:
            entry["job"] = job
            entry["job_id"] = getattr(record, "job_id", None)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class TextFormatter(logging.Formatter):
    """The development format, with the request id in brackets ("-" outside requests)."""

    def __init__(self) -> None:
        super().__init__(_TEXT_FORMAT)
        self._clock = _SecondClock(self.default_time_format, self.converter)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return self._clock.text(int(record.created), int(record.msecs), ",")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for ``LOG_FORMAT``."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, got {log_format!r}")
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(log_format: str, level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Send every log record to ``stream`` (default: stderr) in ``log_format``.

    Replaces the handler this function installed before, so building the app again
    (tests, the worker) never doubles lines; handlers others added stay.
    """
    # Neither format prints them; finding the caller's frame alone is a tenth of a record.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_portal", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._portal = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter(log_format))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    return handler
