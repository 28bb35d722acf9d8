"""eID-Server adapters: a small plugin registry.

An adapter speaks TR-03130 to one kind of eID-Server: ``tr03130_soap`` to a real one
over mutually authenticated TLS, ``simulator`` to the built-in simulator. A new kind
(e.g. a hosted eID service with its own API) registers itself with::

    @register("name")
    class MyAdapter(EidServerAdapter):
        def use_id(self, request): ...
        def get_result(self, request): ...

and is chosen with ``EID_ADAPTER=name``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from app.eid.messages import GetResultRequest, GetResultResponse, UseIdRequest, UseIdResponse

# Built-in adapters live in these modules; importing one registers it.
_BUILTIN = {
    "tr03130_soap": "app.eid.adapters.tr03130_soap",
    "simulator": "app.eid.adapters.simulator",
}
_REGISTRY: dict[str, type[EidServerAdapter]] = {}


class EidServerUnavailable(Exception):
    """The eID-Server could not be reached or answered with something unusable."""


class AdapterConfigError(ValueError):
    """The adapter is unknown or its settings are incomplete; the message says what."""


@dataclass(frozen=True)
class AdapterSettings:
    """What adapters may need, taken from the app configuration (``EID_*``)."""

    base_url: str
    instance_path: str
    server_url: str = ""
    paos_url: str = ""
    client_cert: str = ""
    client_key: str = ""
    server_ca: str = ""
    timeout_seconds: float = 20.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AdapterSettings:
        return cls(
            base_url=str(config["BASE_URL"]).rstrip("/"),
            instance_path=str(config["INSTANCE_PATH"]),
            server_url=config.get("EID_SERVER_URL") or "",
            paos_url=config.get("EID_PAOS_URL") or "",
            client_cert=config.get("EID_CLIENT_CERT") or "",
            client_key=config.get("EID_CLIENT_KEY") or "",
            server_ca=config.get("EID_SERVER_CA") or "",
            timeout_seconds=float(config.get("EID_TIMEOUT_SECONDS") or 20),
        )

    @property
    def instance(self) -> Path:
        return Path(self.instance_path)


class EidServerAdapter:
    """Base class: one eID-Server connection. Subclasses implement the two operations."""

    name: ClassVar[str] = ""
    #: True for the simulator: the UI then says "Testmodus" and offers the simulated client.
    simulated: ClassVar[bool] = False

    def __init__(self, settings: AdapterSettings) -> None:
        self.settings = settings

    @classmethod
    def problems(cls, settings: AdapterSettings) -> list[str]:
        """Settings this adapter cannot work without (empty when all is there)."""
        return []

    def use_id(self, request: UseIdRequest) -> UseIdResponse:
        """Open a session at the eID-Server asking for ``request.operations``."""
        raise NotImplementedError

    def get_result(self, request: GetResultRequest) -> GetResultResponse:
        """Fetch the outcome of a session after the citizen used the card."""
        raise NotImplementedError


def register(name: str) -> Callable[[type[EidServerAdapter]], type[EidServerAdapter]]:
    """Class decorator: make the adapter available as ``EID_ADAPTER=name``."""

    def decorate(cls: type[EidServerAdapter]) -> type[EidServerAdapter]:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def adapter_class(name: str) -> type[EidServerAdapter]:
    """The adapter registered as ``name`` (loading a built-in one on first use)."""
    if name not in _REGISTRY and name in _BUILTIN:
        importlib.import_module(_BUILTIN[name])
    if name not in _REGISTRY:
        known = ", ".join(sorted(set(_REGISTRY) | set(_BUILTIN)))
        raise AdapterConfigError(f"EID_ADAPTER {name!r} is unknown (known: {known})")
    return _REGISTRY[name]


def create(name: str, settings: AdapterSettings) -> EidServerAdapter:
    """Build the adapter ``name``, refusing incomplete settings with every problem named."""
    cls = adapter_class(name)
    found = cls.problems(settings)
    if found:
        raise AdapterConfigError(f"EID_ADAPTER={name}: " + "; ".join(found))
    return cls(settings)
