"""The built-in hand-off backends."""

from app.handoff.backends import email, fit_connect, webhook
from app.handoff.base import register_backend


def register_builtin() -> None:
    """Register the built-in backends.

    Called by the composition root (``portal``) before the configuration is read: each
    backend declares its own settings. Calling it again changes nothing.
    """
    register_backend("email")(email.EmailBackend)
    register_backend("webhook")(webhook.WebhookBackend)
    register_backend("fit_connect")(fit_connect.FitConnectBackend)
