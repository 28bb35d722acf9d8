"""Errors from payment providers, mapped to clear messages for the citizen.

The provider's own words (``application/problem+json`` ``title``/``detail``, PayPal's
``issue``) are logged and kept in the payment's history for staff, never shown to the
citizen: they are technical, often English, and may reveal configuration.
"""

from __future__ import annotations

from typing import Any

from app.errors import DomainError

# The citizen-facing codes a provider error can carry (the API maps each to a status).
CODES = (
    "payment_provider_unavailable",
    "payment_provider_rejected",
    "payment_provider_misconfigured",
    "payment_provider_timeout",
)


class PaymentProviderError(DomainError):
    """A provider could not do what we asked.

    ``retryable`` tells whether asking again later may work (timeouts, 5xx, 429);
    ``problem`` is the provider's error document for the history and the log.
    """

    def __init__(
        self,
        code: str,
        *,
        http_status: int | None = None,
        problem: dict[str, Any] | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(code, kind="unavailable")
        self.http_status = http_status
        self.problem = problem or {}
        self.retryable = retryable

    def summary(self) -> dict[str, Any]:
        """What goes into the payment's history."""
        return {
            "error": self.code,
            "http_status": self.http_status,
            "problem": {
                k: v
                for k, v in self.problem.items()
                if k in ("type", "title", "status", "detail", "instance", "name", "details")
            },
        }


def from_http_status(status: int, problem: dict[str, Any] | None = None) -> PaymentProviderError:
    """Map a provider's HTTP error answer to the citizen-facing error."""
    if status in (401, 403):
        # Our credentials or certificate are wrong: nothing the citizen can do.
        return PaymentProviderError(
            "payment_provider_misconfigured", http_status=status, problem=problem
        )
    if status in (400, 404, 409, 415, 422):
        return PaymentProviderError(
            "payment_provider_rejected", http_status=status, problem=problem
        )
    return PaymentProviderError(
        "payment_provider_unavailable", http_status=status, problem=problem, retryable=True
    )
