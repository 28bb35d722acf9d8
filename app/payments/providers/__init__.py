"""Payment providers: the plugin registry and the built-in providers.

:func:`register_builtin` registers ``sandbox`` (test mode), ``xbezahl``
(XBezahldienste), ``paypal`` (Orders v2), ``sepa`` (direct debit) and ``transfer``.
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


def register_builtin() -> None:
    """Register the built-in providers.

    Called by the composition root (``portal``) before the configuration is read:
    each provider declares its own settings. Calling it again changes nothing.
    """
    register_provider("sandbox")(sandbox.SandboxProvider)
    register_provider("xbezahl")(xbezahl.XBezahlProvider)
    register_provider("paypal")(paypal.PayPalProvider)
    register_provider("sepa")(sepa.SepaProvider)
    register_provider("transfer")(transfer.TransferProvider)
