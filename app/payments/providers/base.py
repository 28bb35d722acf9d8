"""The provider plugin interface and registry.

A provider is a self-contained plugin: a class registered under a name that declares
its own settings (read from the environment when the configuration is loaded), the
settings it needs before it is offered, its production problems and, if it posts
notifications, its webhook. It is built per use from the app configuration::

    @register_provider("giro")
    class GiroProvider(Provider):
        kind = "redirect"
        required = ("GIRO_MERCHANT_ID",)

        @classmethod
        def settings(cls, env, production): ...   # -> {"GIRO_MERCHANT_ID": ...}
        @classmethod
        def problems(cls, config): ...           # -> ["GIRO_... is ..."]

        def start(self, payment): ...            # -> Started
        def handle_return(self, payment, params): ...   # -> StatusReport | None
        def fetch_status(self, payment): ...     # -> StatusReport | None
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.cities.loader import load_city
from app.class_registry import ClassRegistry
from app.errors import DomainError, FieldError
from app.i18n import translate
from app.payments.states import StatusReport

# The built-in providers in the order they are offered; others follow by name.
PAYMENT_PROVIDER_NAMES = ("sandbox", "xbezahl", "paypal", "sepa", "transfer")


def city_payments(env: Mapping[str, str]) -> dict[str, str]:
    """The payment texts of the city package ``PORTAL_CITY`` names (defaults of settings)."""
    return dict(load_city(env.get("PORTAL_CITY") or None).data["payments"])


# A documentation IBAN: SEPA and transfer work with it outside production.
DEMO_IBAN = "DE89370400440532013000"


@dataclass
class Action:
    """What the citizen has to do next.

    ``redirect``: open ``url`` (the provider's payment page).
    ``transfer``: transfer the money; ``data`` holds recipient, IBAN, amount, reference.
    ``sepa_mandate``: give a SEPA mandate; ``data`` holds creditor and mandate text.
    ``none``: nothing (finished).
    """

    type: str
    url: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "url": self.url, "data": self.data}


@dataclass
class Started:
    """The result of :meth:`Provider.start`."""

    report: StatusReport
    action: Action
    provider_reference: str = ""
    details: dict[str, Any] = field(default_factory=dict)


class Provider:
    """Base class of every payment provider."""

    name: ClassVar[str] = ""
    # redirect (provider's page), transfer (instructions), mandate (SEPA form)
    kind: ClassVar[str] = "redirect"
    # True when the provider has a status to poll for abandoned payments.
    polls: ClassVar[bool] = False
    # True when the provider posts notifications (see :meth:`handle_webhook`).
    webhooks: ClassVar[bool] = False

    # The settings that must all be non-empty before the provider is offered.
    required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        """This provider's own settings read from the environment ``env`` (demo
        defaults only outside production); raise ``env_values.ConfigError`` for a bad value."""
        return {}

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        """This provider's settings that production must refuse."""
        return []

    @classmethod
    def configured(cls, config: Mapping[str, Any]) -> bool:
        """True when this provider's settings are complete."""
        return bool(cls.required) and all(config.get(setting) for setting in cls.required)

    @classmethod
    def missing(cls, config: Mapping[str, Any]) -> list[str]:
        """The required settings that are empty."""
        return [setting for setting in cls.required if not config.get(setting)]

    @property
    def test_mode(self) -> bool:
        """True when no real money moves (the sandbox, a provider's test system)."""
        return False

    def label(self, locale: str = "de") -> str:
        """The name shown to citizens."""
        return translate(f"payments.provider.{self.name}", locale)

    def hint(self, locale: str = "de") -> str:
        """One sentence about the provider for the choice screen."""
        return translate(f"payments.provider_hint.{self.name}", locale)

    def describe(self, locale: str = "de") -> dict[str, Any]:
        """The provider as the provider list shows it."""
        return {
            "name": self.name,
            "label": self.label(locale),
            "hint": self.hint(locale),
            "kind": self.kind,
            "test_mode": self.test_mode,
        }

    def start(self, payment: Any) -> Started:
        """Begin the payment at the provider."""
        raise NotImplementedError

    def handle_return(self, payment: Any, params: Mapping[str, str]) -> StatusReport | None:
        """The citizen came back from the provider. Parameters prove nothing: ask the
        provider (default: the same as :meth:`fetch_status`)."""
        return self.fetch_status(payment)

    def fetch_status(self, payment: Any) -> StatusReport | None:
        """Ask the provider for the payment's status; None: nothing to learn."""
        return None

    def handle_webhook(self, headers: Mapping[str, str], event: Any) -> WebhookResult:
        """Verify a notification the provider sent to ``/api/payments/webhooks/<name>``
        and name the payment it is about; raise :class:`WebhookInvalid` when it cannot
        be trusted (default: this provider sends no webhooks)."""
        raise WebhookInvalid(self.name)


class WebhookInvalid(Exception):
    """A webhook that is not for us, not verifiable or not well-formed (answered 400)."""


@dataclass
class WebhookResult:
    """What a verified webhook is about: a payment of ours and its news (None: not ours)."""

    payment: Any = None
    report: StatusReport | None = None


class ProviderRegistry(ClassRegistry[type[Provider]]):
    """Provider classes by name; tests may swap one for the span of a ``with`` block."""

    def __init__(self) -> None:
        super().__init__("payment provider")


REGISTRY = ProviderRegistry()


def register_provider(name: str) -> Callable[[type[Provider]], type[Provider]]:
    """Class decorator: make ``cls`` the provider called ``name``."""
    return REGISTRY.register(name)


def registered() -> dict[str, type[Provider]]:
    """Every registered provider class by name."""
    return REGISTRY.classes()


def all_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """The settings of every registered provider."""
    found: dict[str, Any] = {}
    for cls in REGISTRY.classes().values():
        found.update(cls.settings(env, production))
    return found


def all_problems(config: Mapping[str, Any]) -> list[str]:
    """Production problems: providers asked for but unknown or incomplete, then each
    provider's own."""
    classes = REGISTRY.classes()
    problems: list[str] = []
    for name in config.get("PAYMENT_PROVIDERS") or []:
        cls = classes.get(name)
        if cls is None:
            problems.append(f"PAYMENT_PROVIDERS names an unknown provider {name!r}")
        elif name != "sandbox" and not cls.configured(config):
            problems.append(f"payment provider {name!r} needs {', '.join(cls.missing(config))}")
    for cls in classes.values():
        problems += cls.problems(config)
    return problems


def enabled_names(config: Mapping[str, Any]) -> list[str]:
    """The providers offered, in order: ``PAYMENT_PROVIDERS`` or every configured one."""
    classes = REGISTRY.classes()
    wanted = list(config.get("PAYMENT_PROVIDERS") or []) or [
        name for name in PAYMENT_PROVIDER_NAMES if name in classes
    ] + sorted(set(classes) - set(PAYMENT_PROVIDER_NAMES))
    return [name for name in wanted if name in classes and classes[name].configured(config)]


def enabled(config: Mapping[str, Any]) -> list[Provider]:
    """Instances of the providers offered."""
    classes = REGISTRY.classes()
    return [classes[name](config) for name in enabled_names(config)]


def get(name: str, config: Mapping[str, Any], *, enabled_only: bool = True) -> Provider:
    """The provider ``name``; an unknown or switched-off one is a field error.

    ``enabled_only=False`` is for payments already made with a provider that has been
    switched off since: their status can still be read while the settings exist.
    """
    cls = REGISTRY.find(name)
    if cls is None or (enabled_only and name not in enabled_names(config)):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("provider", "payment_provider_unknown")]
        )
    return cls(config)
