"""Payment providers: the plugin registry and the built-in providers.

Importing this package registers: ``sandbox`` (test mode), ``xbezahl``
(XBezahldienste), ``paypal`` (Orders v2), ``sepa`` (direct debit), ``transfer``.
"""

from app.payments.providers import paypal, sandbox, sepa, transfer, xbezahl
from app.payments.providers.base import (
    REGISTRY,
    Action,
    Provider,
    ProviderRegistry,
    Started,
    WebhookInvalid,
    WebhookResult,
    all_problems,
    all_settings,
    enabled,
    enabled_names,
    get,
    register_provider,
    registered,
)

__all__ = [
    "REGISTRY",
    "Action",
    "Provider",
    "ProviderRegistry",
    "Started",
    "WebhookInvalid",
    "WebhookResult",
    "all_problems",
    "all_settings",
    "enabled",
    "enabled_names",
    "get",
    "paypal",
    "register_provider",
    "registered",
    "sandbox",
    "sepa",
    "transfer",
    "xbezahl",
]
