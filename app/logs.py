"""Log output: readable lines in development, one JSON object per line in production.

``LOG_FORMAT=json`` (the default in production) writes every record as one JSON object
with ``time``, ``level``, ``logger``, ``message`` and ``request_id``, plus the fields a
record brings along (a request's ``method``, ``endpoint``, ``path``, ``status``,
``duration_ms``, ``role``; a job's ``job`` and ``job_id``). Nothing personal goes in
by this module: callers log ids and roles, never e-mail addresses or names.
"""

from __future__ import annotations

import datetime
import logging
import sys
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


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            )[:-6]
            + "Z",
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
