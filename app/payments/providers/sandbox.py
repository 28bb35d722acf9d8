"""The sandbox provider: the XBezahldienste client talking to the built-in sandbox.

The same request building and status mapping as a real XBezahldienste provider run in
the demo; only the transport is in-process. Shown to citizens as "Testmodus".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import env_values
from app.payments import sandbox
from app.payments.http import Transport
from app.payments.providers.xbezahl import XBezahlClient, XBezahlProvider


class SandboxProvider(XBezahlProvider):
    kind = "redirect"
    polls = True
    required = ("PAYMENT_SANDBOX",)

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        return {"PAYMENT_SANDBOX": env_values.flag(env.get("PAYMENT_SANDBOX"), not production)}

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        if config.get("PAYMENT_SANDBOX"):
            return ["PAYMENT_SANDBOX is on: its test payments would unlock real services for free"]
        return []

    @property
    def test_mode(self) -> bool:
        return True

    def label(self, locale: str = "de") -> str:
        return super(XBezahlProvider, self).label(locale)

    def booking_defaults(self) -> dict[str, str]:
        return {"Haushaltsstelle": "TEST", "Objektnummer": "SANDBOX"}

    def transport(self) -> Transport:
        return sandbox.SandboxTransport()

    def client(self) -> XBezahlClient:
        return XBezahlClient(
            sandbox.api_base(),
            sandbox.ORIGINATOR,
            sandbox.ENDPOINT,
            auth="none",
            transport=self.transport(),
        )
