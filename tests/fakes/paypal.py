"""A local PayPal REST API (Orders v2, OAuth2, webhook verification) on 127.0.0.1.

* ``POST /v1/oauth2/token``: client credentials in HTTP Basic -> bearer token;
  ``expire_tokens()`` makes the current ones answer 401 (as expired ones do).
* ``POST /v2/checkout/orders``: checks intent, amount (``"84.00"``, EUR), the
  experience context's return/cancel URLs; ``PayPal-Request-Id`` makes a repeated
  request return the same order. Answers ``PAYER_ACTION_REQUIRED`` with a
  ``payer-action`` link.
* ``approve(order_id)`` plays the buyer approving at PayPal.
* ``POST /v2/checkout/orders/{id}/capture``: COMPLETED (or what ``capture_outcome``
  says: ``DECLINED``, ``PENDING``, ``INSTRUMENT_DECLINED``), 422
  ``ORDER_NOT_APPROVED`` / ``ORDER_ALREADY_CAPTURED``; idempotent per request id.
* ``GET /v2/checkout/orders/{id}``.
* ``POST /v1/notifications/verify-webhook-signature``: SUCCESS only for events this
  fake signed with :meth:`webhook` for the configured webhook id. (PayPal signs with
  a certificate; the fake uses an HMAC: the portal only calls this API either way.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Order:
    id: str
    body: dict[str, Any]
    status: str = "PAYER_ACTION_REQUIRED"
    captures: list[dict[str, Any]] = field(default_factory=list)


class FakePayPal:
    def __init__(
        self,
        client_id: str = "pp-client",
        client_secret: str = "pp-secret",
        webhook_id: str = "WH-TEST-1",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.webhook_id = webhook_id
        self.orders: dict[str, Order] = {}
        self.tokens: set[str] = set()
        self.tokens_issued = 0
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.capture_outcome = "COMPLETED"
        self._idempotent: dict[str, tuple[int, Any]] = {}
        self._secret = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakePayPal:
        fake = self

        class Handler(_Handler):
            paypal = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def settings(self) -> dict[str, Any]:
        return {
            "PAYPAL_CLIENT_ID": self.client_id,
            "PAYPAL_CLIENT_SECRET": self.client_secret,
            "PAYPAL_BASE_URL": self.url,
            "PAYPAL_WEBHOOK_ID": self.webhook_id,
            "PAYPAL_BRAND_NAME": "Stadt Düren",
            "PAYPAL_TIMEOUT_SECONDS": 5.0,
        }

    def approve(self, order_id: str) -> None:
        with self._lock:
            self.orders[order_id].status = "APPROVED"

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def _sign(self, transmission_id: str, when: str, body: bytes) -> str:
        message = f"{transmission_id}|{when}|{self.webhook_id}|{zlib.crc32(body)}".encode()
        return base64.b64encode(hmac.new(self._secret, message, hashlib.sha256).digest()).decode()

    def webhook(self, event_type: str, resource: dict[str, Any]) -> tuple[dict[str, str], bytes]:
        """A signed webhook delivery: (headers, body) as PayPal would POST them."""
        event = {
            "id": "WH-" + secrets.token_hex(8).upper(),
            "event_version": "1.0",
            "create_time": "2025-02-01T10:00:00Z",
            "resource_type": "capture" if event_type.startswith("PAYMENT.") else "checkout-order",
            "event_type": event_type,
            "resource": resource,
        }
        body = json.dumps(event).encode()
        transmission_id = secrets.token_hex(8)
        when = "2025-02-01T10:00:01Z"
        headers = {
            "Content-Type": "application/json",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": "https://api.paypal.com/v1/notifications/certs/CERT-1",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-SIG": self._sign(transmission_id, when, body),
            "PAYPAL-TRANSMISSION-TIME": when,
        }
        return headers, body

    def capture_resource(self, order_id: str, status: str = "COMPLETED", **extra: Any):
        """The ``resource`` of a PAYMENT.CAPTURE.* webhook for an order."""
        order = self.orders[order_id]
        unit = order.body["purchase_units"][0]
        return {
            "id": "CAP-" + order_id,
            "status": status,
            "amount": unit["amount"],
            "custom_id": unit.get("custom_id"),
            "invoice_id": unit.get("invoice_id"),
            "supplementary_data": {"related_ids": {"order_id": order_id}},
            **extra,
        }

    def document(self, order: Order) -> dict[str, Any]:
        units = [dict(u) for u in order.body["purchase_units"]]
        if order.captures:
            units[0]["payments"] = {"captures": order.captures}
        links = [{"rel": "self", "href": f"{self.url}/v2/checkout/orders/{order.id}"}]
        if order.status == "PAYER_ACTION_REQUIRED":
            links.append(
                {"rel": "payer-action", "href": f"{self.url}/checkoutnow?token={order.id}"}
            )
        return {"id": order.id, "status": order.status, "purchase_units": units, "links": links}


class _Handler(BaseHTTPRequestHandler):
    paypal: FakePayPal
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: Any) -> None:
        return

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, name: str, issue: str | None = None) -> None:
        body: dict[str, Any] = {
            "name": name,
            "message": name,
            "debug_id": "dbg" + secrets.token_hex(4),
        }
        if issue:
            body["details"] = [{"issue": issue, "description": issue}]
        self._send(status, body)

    def _raw(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self) -> None:
        fake = self.paypal
        raw = self._raw()
        fake.requests.append(("POST", self.path, dict(self.headers), raw))
        if self.path == "/v1/oauth2/token":
            expected = base64.b64encode(f"{fake.client_id}:{fake.client_secret}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {expected}":
                self._send(401, {"error": "invalid_client"})
                return
            token = "A21" + secrets.token_hex(12)
            with fake._lock:
                fake.tokens.add(token)
                fake.tokens_issued += 1
            self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 32400})
            return
        if not self._authorised():
            return
        body = json.loads(raw) if raw else {}
        request_id = self.headers.get("PayPal-Request-Id")
        if request_id and request_id in fake._idempotent:
            status, answer = fake._idempotent[request_id]
            self._send(status, answer)
            return
        if self.path == "/v2/checkout/orders":
            status, answer = self._create(body)
        elif match := re.fullmatch(r"/v2/checkout/orders/([^/]+)/capture", self.path):
            status, answer = self._capture(match[1])
        elif self.path == "/v1/notifications/verify-webhook-signature":
            status, answer = self._verify(body)
        else:
            self._error(404, "RESOURCE_NOT_FOUND")
            return
        if request_id and status < 500:
            fake._idempotent[request_id] = (status, answer)
        self._send(status, answer)

    def do_GET(self) -> None:
        fake = self.paypal
        fake.requests.append(("GET", self.path, dict(self.headers), None))
        if not self._authorised():
            return
        match = re.fullmatch(r"/v2/checkout/orders/([^/]+)", self.path)
        order = fake.orders.get(match[1]) if match else None
        if order is None:
            self._error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
            return
        self._send(200, fake.document(order))

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer ") and header[7:] in self.paypal.tokens:
            return True
        self._send(401, {"error": "invalid_token", "error_description": "Token expired"})
        return False

    def _create(self, body: dict[str, Any]) -> tuple[int, Any]:
        fake = self.paypal
        try:
            assert body["intent"] == "CAPTURE"
            unit = body["purchase_units"][0]
            assert unit["amount"]["currency_code"] == "EUR"
            assert re.fullmatch(r"\d+\.\d{2}", unit["amount"]["value"])
            context = body["payment_source"]["paypal"]["experience_context"]
            assert context["return_url"].startswith("http")
            assert context["cancel_url"].startswith("http")
        except (KeyError, IndexError, TypeError, AssertionError):
            return 400, {"name": "INVALID_REQUEST", "details": [{"issue": "MALFORMED_REQUEST"}]}
        order = Order(id="ORD" + secrets.token_hex(6).upper(), body=body)
        with fake._lock:
            fake.orders[order.id] = order
        return 201, fake.document(order)

    def _capture(self, order_id: str) -> tuple[int, Any]:
        fake = self.paypal
        order = fake.orders.get(order_id)
        if order is None:
            return 404, {"name": "RESOURCE_NOT_FOUND"}
        if order.status == "COMPLETED":
            return 422, {
                "name": "UNPROCESSABLE_ENTITY",
                "details": [{"issue": "ORDER_ALREADY_CAPTURED"}],
            }
        if order.status != "APPROVED":
            return 422, {
                "name": "UNPROCESSABLE_ENTITY",
                "details": [{"issue": "ORDER_NOT_APPROVED"}],
            }
        if fake.capture_outcome == "INSTRUMENT_DECLINED":
            return 422, {
                "name": "UNPROCESSABLE_ENTITY",
                "details": [{"issue": "INSTRUMENT_DECLINED"}],
            }
        unit = order.body["purchase_units"][0]
        order.captures = [
            {"id": "CAP-" + order.id, "status": fake.capture_outcome, "amount": unit["amount"]}
        ]
        order.status = "COMPLETED"
        return 201, fake.document(order)

    def _verify(self, body: dict[str, Any]) -> tuple[int, Any]:
        fake = self.paypal
        required = (
            "auth_algo",
            "cert_url",
            "transmission_id",
            "transmission_sig",
            "transmission_time",
            "webhook_id",
            "webhook_event",
        )
        if any(not body.get(k) for k in required):
            return 400, {"name": "VALIDATION_ERROR"}
        event_bytes = json.dumps(body["webhook_event"]).encode()
        expected = fake._sign(body["transmission_id"], body["transmission_time"], event_bytes)
        ok = body["webhook_id"] == fake.webhook_id and hmac.compare_digest(
            expected, body["transmission_sig"]
        )
        return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}
