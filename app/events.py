"""Domain events: a small in-process publish/subscribe between parts of the portal.

Publishers do not know their subscribers: a status change emits
``application.status_changed`` and the push module, the inbox or statistics react.
Handlers run synchronously inside the publisher's transaction, so anything slow
(sending, rendering) must only enqueue a background job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str) -> Callable[[Handler], Handler]:
    """Decorator: call the function whenever event ``name`` is emitted."""

    def register(handler: Handler) -> Handler:
        if handler not in _handlers[name]:
            _handlers[name].append(handler)
        return handler

    return register


def emit(name: str, **payload: Any) -> None:
    """Call every handler of ``name`` with ``payload`` as keyword arguments."""
    for handler in list(_handlers[name]):
        handler(**payload)


def handlers(name: str) -> list[Handler]:
    """The handlers registered for ``name`` (for tests and diagnostics)."""
    return list(_handlers[name])
