"""What the current request or job is, for every log line written while it runs.

A context variable holds the request id (and, in the worker, the job's name and id):
the web request sets it, jobs queued during the request carry it along
(``app.tasks``), and the worker sets it again while it runs the job, so one id joins
the request's log lines with those of every job it caused.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

# An id a proxy may hand us (nginx's $request_id is 32 hex digits, others send UUIDs):
# short, printable, no blanks or quotes, so it can go into logs and headers unchanged.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")


@dataclass(frozen=True)
class LogContext:
    """The request id and, inside a job, the job's name and id."""

    request_id: str | None = None
    job: str | None = None
    job_id: str | None = None


_EMPTY = LogContext()
_current: ContextVar[LogContext | None] = ContextVar("portal_log_context", default=None)


def current() -> LogContext:
    """The context of the request or job running now (empty outside both)."""
    return _current.get() or _EMPTY


def request_id() -> str | None:
    """The current request id, or None."""
    return current().request_id


def new_request_id() -> str:
    """A fresh request id (32 hex digits, as nginx makes them)."""
    return uuid.uuid4().hex


def accepted_request_id(offered: str | None) -> str:
    """``offered`` when it is a well-formed id, else a fresh one."""
    if offered and _WELL_FORMED.fullmatch(offered):
        return offered
    return new_request_id()


@contextlib.contextmanager
def bound(context: LogContext) -> Iterator[LogContext]:
    """Make ``context`` current for the block, restoring the previous one after."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_current(context: LogContext) -> object:
    """Make ``context`` current; returns the token :func:`reset` takes."""
    return _current.set(context)


def reset(token: object) -> None:
    """Restore the context that was current before :func:`set_current`."""
    _current.reset(token)  # type: ignore[arg-type]
