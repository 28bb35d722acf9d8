"""The hand-off backend interface and registry.

A backend carries an accepted application to one of the city's specialist systems
(FIT-Connect, a signed webhook, a department mailbox). A service's definition names
the backends its applications go to, when, and with which settings::

    handoff:
      - id: steueramt                  # the target's name within the service
        backend: webhook
        on: submitted                  # submitted | paid | decided
        settings: {url: "https://fach.example/antraege", secret_env: HANDOFF_TAX_SECRET}

Each target of each application is delivered once through the outbox
(``app.handoff.outbox``): the backend's :meth:`Backend.deliver` gets a
:class:`Delivery` and the application's :class:`~app.handoff.document.HandoffDocument`
and answers with an :class:`Outcome`, or raises :class:`DeliveryFailed`. A backend is
a class registered under a name, built per use from the app configuration, like the
payment providers::

    @register_backend("webhook")
    class WebhookBackend(Backend):
        @classmethod
        def settings(cls, env, production): ...        # its own environment settings
        def check_target(self, settings, definition=None): ...  # problems of settings
        def deliver(self, delivery, document): ...      # -> Outcome
        def follow_up(self, delivery): ...              # -> Outcome | None (acknowledgements)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.class_registry import ClassRegistry

# When a target's applications are handed off.
MOMENTS = ("submitted", "paid", "decided")


@dataclass(frozen=True)
class Delivery:
    """One application's hand-off to one target, as the outbox hands it to a backend.

    ``key`` is the delivery's idempotency key (the same on every attempt, and the only
    thing a receiver needs to see a repeated delivery as one); ``progress`` is what
    earlier attempts recorded with ``record`` (e.g. a FIT-Connect submission id that
    exists already), so an attempt after a crash resumes instead of starting over.
    """

    id: int
    key: str
    application_id: str
    service_id: str
    target_id: str
    backend: str
    moment: str
    settings: Mapping[str, Any]
    attempt: int
    progress: Mapping[str, Any]
    remote_id: str = ""
    # Stores ``progress`` at once, committed, outside any transaction of the caller.
    record: Callable[[Mapping[str, Any]], None] = field(
        default=lambda progress: None, repr=False, compare=False
    )


@dataclass(frozen=True)
class Outcome:
    """What a backend reports of a delivery.

    ``delivered``: the receiver has it and there is nothing more to learn.
    ``sent``: the receiver has it and will acknowledge it later (FIT-Connect's
    ``accept``/``reject``): the outbox asks :meth:`Backend.follow_up` again.
    ``accepted``/``rejected``: the receiver's acknowledgement (``problems`` name what
    a rejecting receiver found wrong, for clerks; no personal data).
    ``remote_id``: the receiver's id for it (submission id, the specialist system's
    case number), shown to clerks and stored on the delivery.
    """

    state: str
    remote_id: str = ""
    problems: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


OUTCOME_STATES = ("delivered", "sent", "accepted", "rejected")


class DeliveryFailed(Exception):
    """An attempt did not get through. ``retry``: worth trying again later (network,
    5xx, a receiver that is down); otherwise the delivery fails at once (a 4xx that
    will not change, a destination that refuses our key). ``reason`` is shown to
    clerks and written to logs, so it never carries personal data. ``retry_after``:
    seconds the receiver asked us to wait (its ``Retry-After``), None when it named
    none; the outbox waits at least that long before the next attempt."""

    def __init__(
        self, reason: str, *, retry: bool = True, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


class Backend:
    """Base class of every hand-off backend."""

    name: ClassVar[str] = ""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        """This backend's own settings read from the environment ``env``; raise
        ``env_values.ConfigError`` for a bad value. Secrets live only here."""
        return {}

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        """This backend's settings that production must refuse."""
        return []

    def check_target(
        self, settings: Mapping[str, Any], definition: Mapping[str, Any] | None = None
    ) -> list[str]:
        """Problems of the settings a definition gives a target of this backend (empty:
        fine). Called when definitions are loaded, so a bad target fails loudly there.
        ``definition`` is the whole definition's data (None when checked on its own),
        for settings whose default comes from it (FIT-Connect's LeiKa key). A problem
        that starts with ``<setting>: `` is shown at that setting."""
        return []

    def deliver(self, delivery: Delivery, document: Any) -> Outcome:
        """Carry ``document`` (a :class:`~app.handoff.document.HandoffDocument`) to the
        target; raise :class:`DeliveryFailed` when it did not get through."""
        raise NotImplementedError

    def follow_up(self, delivery: Delivery) -> Outcome | None:
        """For a delivery left ``sent``: the receiver's acknowledgement if there is one
        now (``accepted``/``rejected``), else None (asked again later)."""
        return None


class BackendRegistry(ClassRegistry[type[Backend]]):
    """Backend classes by name; tests may swap one for the span of a ``with`` block."""

    def __init__(self) -> None:
        super().__init__("hand-off backend")


REGISTRY = BackendRegistry()


def register_backend(name: str) -> Callable[[type[Backend]], type[Backend]]:
    """Class decorator: make ``cls`` the hand-off backend called ``name``."""
    return REGISTRY.register(name)


def all_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """The environment settings of every registered backend."""
    found: dict[str, Any] = {}
    for cls in REGISTRY.classes().values():
        found.update(cls.settings(env, production))
    return found


def all_problems(config: Mapping[str, Any]) -> list[str]:
    """Every registered backend's production problems."""
    problems: list[str] = []
    for cls in REGISTRY.classes().values():
        problems += cls.problems(config)
    return problems


def get(name: str, config: Mapping[str, Any]) -> Backend:
    """An instance of backend ``name``; ``KeyError`` naming the registered ones."""
    cls = REGISTRY.find(name)
    if cls is None:
        raise KeyError(f"unknown hand-off backend {name!r}; registered: {REGISTRY.names()}")
    return cls(config)
