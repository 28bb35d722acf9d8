"""A local XBezahldienste payment provider (ePayBL, pmPayment, GiroCheckout style).

A real HTTP server on 127.0.0.1 (ephemeral port, one thread per request) that speaks
the interface as documented in ``app/payments/providers/xbezahl.py``, written
independently of the portal's client so it catches the client's mistakes:

* ``POST /paymenttransaction/{originatorId}/{endPointId}``: checks the PaymentRequest
  (requestId, currency EUR, grosAmount = sum of the items, purpose as the spec's
  pattern allows: ≤ 27 ASCII word characters, spaces and hyphens, redirectUrl, items
  with bookingData) and answers 201 with a
  PaymentTransaction, or 400 ``application/problem+json``.
* ``GET /paymenttransaction/{originatorId}/{endPointId}/{transactionId}``: the
  transaction; 404 problem for unknown ids.
* Authentication ``basic`` (user/password), ``oauth2`` (``POST /oauth/token`` with
  client credentials in HTTP Basic; bearer tokens; ``revoke_tokens()`` makes the
  current ones answer 401), ``mtls`` (TLS that requires a client certificate signed
  by the test CA, see :func:`make_pki`) or ``none``.

Tests script the provider: ``set_status(tx, "PAYED")``, ``status_sequence(tx, [...])``
(each GET takes the next status: duplicate and out-of-order reports), ``fail_next(n,
status, problem)`` (errors), ``delay`` seconds before answering (timeouts).
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import secrets
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# XBezahldienste OpenAPI v1.0.0, PaymentRequest.purpose: word characters, digits, space
# and hyphen, 1 to 27 of them. ``\w`` as providers evaluate it (ECMA-262 / Java): ASCII.
PURPOSE = re.compile(r"[\w\d -]{1,27}", re.ASCII)
_PATH = re.compile(r"^/paymenttransaction/([^/]+)/([^/]+)(?:/([^/]+))?$")


@dataclass
class Transaction:
    id: str
    request: dict[str, Any]
    status: str = "INITIAL"
    sequence: deque = field(default_factory=deque)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeXBezahl:
    """Start with ``with FakeXBezahl(auth="basic") as fake:``; ``fake.url`` is the base."""

    def __init__(
        self,
        *,
        auth: str = "basic",
        originator_id: str = "dueren",
        endpoint_id: str = "portal",
        username: str = "portal",
        password: str = "geheim",
        client_id: str = "portal-client",
        client_secret: str = "client-geheim",
        pki: dict[str, Path] | None = None,
    ) -> None:
        self.auth = auth
        self.originator_id = originator_id
        self.endpoint_id = endpoint_id
        self.username = username
        self.password = password
        self.client_id = client_id
        self.client_secret = client_secret
        self.pki = pki
        self.transactions: dict[str, Transaction] = {}
        self.requests: list[Recorded] = []
        self.tokens: set[str] = set()
        self.tokens_issued = 0
        self.delay = 0.0
        self._failures: deque[tuple[int, dict[str, Any]]] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self) -> FakeXBezahl:
        fake = self

        class Handler(_Handler):
            provider = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self.auth == "mtls":
            assert self.pki, "mtls needs make_pki()"
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.pki["server_cert"], self.pki["server_key"])
            context.load_verify_locations(self.pki["ca_cert"])
            context.verify_mode = ssl.CERT_REQUIRED
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        scheme = "https" if self.auth == "mtls" else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    def settings(self, **extra: Any) -> dict[str, Any]:
        """The portal settings (XBEZAHL_*) that point at this fake."""
        config: dict[str, Any] = {
            "XBEZAHL_BASE_URL": self.url,
            "XBEZAHL_ORIGINATOR_ID": self.originator_id,
            "XBEZAHL_ENDPOINT_ID": self.endpoint_id,
            "XBEZAHL_AUTH": self.auth,
            "XBEZAHL_USERNAME": self.username,
            "XBEZAHL_PASSWORD": self.password,
            "XBEZAHL_TOKEN_URL": f"{self.url}/oauth/token",
            "XBEZAHL_CLIENT_ID": self.client_id,
            "XBEZAHL_CLIENT_SECRET": self.client_secret,
            "XBEZAHL_SCOPE": "payments",
            "XBEZAHL_CLIENT_CERT": "",
            "XBEZAHL_CLIENT_KEY": "",
            "XBEZAHL_CA_BUNDLE": "",
            "XBEZAHL_TIMEOUT_SECONDS": 5.0,
            "XBEZAHL_LABEL": "",
            "XBEZAHL_TEST_MODE": True,
            "XBEZAHL_BOOKING_DATA": {"Haushaltsstelle": "1.110.4321"},
        }
        if self.auth == "mtls" and self.pki:
            config["XBEZAHL_CLIENT_CERT"] = str(self.pki["client_cert"])
            config["XBEZAHL_CLIENT_KEY"] = str(self.pki["client_key"])
            config["XBEZAHL_CA_BUNDLE"] = str(self.pki["ca_cert"])
        config.update(extra)
        return config

    # -- scripting -------------------------------------------------------------------

    def set_status(self, transaction_id: str, status: str) -> None:
        with self._lock:
            self.transactions[transaction_id].status = status

    def status_sequence(self, transaction_id: str, statuses: list[str]) -> None:
        """Each following GET reports the next status (the last one then stays)."""
        with self._lock:
            self.transactions[transaction_id].sequence = deque(statuses)

    def fail_next(self, count: int, status: int, problem: dict[str, Any] | None = None) -> None:
        """The next ``count`` API requests answer ``status`` with a problem document."""
        body = problem or {"type": "about:blank", "title": "Error", "status": status}
        with self._lock:
            for _ in range(count):
                self._failures.append((status, body))

    def revoke_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def last_request(self, method: str = "POST") -> Recorded:
        return [r for r in self.requests if r.method == method and "/oauth/" not in r.path][-1]

    # -- protocol --------------------------------------------------------------------

    def validate(self, body: Any) -> list[str]:
        if not isinstance(body, dict):
            return ["body must be a PaymentRequest"]
        problems = []
        if not re.fullmatch(r"[\w-]{1,36}", str(body.get("requestId") or "")):
            problems.append("requestId")
        if body.get("currency") != "EUR":
            problems.append("currency")
        purpose = body.get("purpose")
        if not isinstance(purpose, str) or not PURPOSE.fullmatch(purpose):
            problems.append("purpose")
        if not isinstance(body.get("description"), str) or len(body["description"]) > 250:
            problems.append("description")
        if not str(body.get("redirectUrl") or "").startswith(("http://", "https://")):
            problems.append("redirectUrl")
        try:
            gros = Decimal(str(body.get("grosAmount")))
            items = body.get("items") or []
            total = sum(
                Decimal(str(i["totalNetAmount"])) + Decimal(str(i.get("totalTaxAmount", 0)))
                for i in items
            )
            if not items or gros != total or gros <= 0 or gros != gros.quantize(Decimal("0.01")):
                problems.append("grosAmount")
            for item in items:
                if Decimal(str(item["singleNetAmount"])) * int(item["quantity"]) != Decimal(
                    str(item["totalNetAmount"])
                ):
                    problems.append("items.totalNetAmount")
                if not isinstance(item.get("bookingData", {}), dict):
                    problems.append("items.bookingData")
        except (KeyError, TypeError, ValueError, ArithmeticError):
            problems.append("items")
        return problems

    def document(self, tx: Transaction) -> dict[str, Any]:
        info: dict[str, Any] = {
            "transactionId": tx.id,
            "transactionUrl": f"{self.url}/paymenttransaction/{self.originator_id}/"
            f"{self.endpoint_id}/{tx.id}",
            "status": tx.status,
        }
        if tx.status == "INITIAL":
            info["transactionRedirectUrl"] = f"{self.url}/paypage/{tx.id}"
        if tx.status == "PAYED":
            info["transactionReference"] = "EPAYBL-" + tx.id[:8]
            info["transactionTimestamp"] = datetime.datetime.now(datetime.UTC).isoformat()
            info["paymentMethod"] = "CREDITCARD"
        return {"paymentRequest": tx.request, "paymentInformation": info}


class _Handler(BaseHTTPRequestHandler):
    provider: FakeXBezahl
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: Any) -> None:
        return

    def _send(self, status: int, body: Any, kind: str = "application/json") -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _problem(self, status: int, title: str, detail: str = "") -> None:
        self._send(
            status,
            {"type": "about:blank", "title": title, "status": status, "detail": detail},
            "application/problem+json",
        )

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            from urllib.parse import parse_qs

            return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _basic(self) -> tuple[str, str] | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user, password

    def _authorised(self) -> bool:
        fake = self.provider
        if fake.auth == "basic":
            return self._basic() == (fake.username, fake.password)
        if fake.auth == "oauth2":
            header = self.headers.get("Authorization", "")
            return header.startswith("Bearer ") and header[7:] in fake.tokens
        return True  # mtls: the TLS layer already checked the client certificate

    def _handle(self, method: str) -> None:
        fake = self.provider
        body = self._body() if method == "POST" else None
        fake.requests.append(Recorded(method, self.path, dict(self.headers), body))
        if fake.delay:
            time.sleep(fake.delay)
        if self.path == "/oauth/token" and method == "POST":
            if self._basic() != (fake.client_id, fake.client_secret):
                self._send(401, {"error": "invalid_client"})
                return
            if (body or {}).get("grant_type") != "client_credentials":
                self._send(400, {"error": "unsupported_grant_type"})
                return
            token = secrets.token_urlsafe(16)
            with fake._lock:
                fake.tokens.add(token)
                fake.tokens_issued += 1
            self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})
            return
        match = _PATH.match(self.path)
        if not match:
            self._problem(404, "Not Found", "no such resource")
            return
        if not self._authorised():
            self._problem(401, "Unauthorized", "credentials missing or wrong")
            return
        with fake._lock:
            failure = fake._failures.popleft() if fake._failures else None
        if failure:
            status, problem = failure
            self._send(status, problem, "application/problem+json")
            return
        originator, endpoint, transaction_id = match.groups()
        if (originator, endpoint) != (fake.originator_id, fake.endpoint_id):
            self._problem(404, "Not Found", "unknown originatorId/endPointId")
            return
        if method == "POST" and transaction_id is None:
            problems = fake.validate(body)
            if problems:
                self._problem(400, "Bad Request", "invalid: " + ", ".join(problems))
                return
            tx = Transaction(id="TX" + secrets.token_hex(8), request=body)
            with fake._lock:
                fake.transactions[tx.id] = tx
            self._send(201, fake.document(tx))
            return
        if method == "GET" and transaction_id is not None:
            with fake._lock:
                tx = fake.transactions.get(transaction_id)
                if tx is not None and tx.sequence:
                    tx.status = tx.sequence.popleft()
            if tx is None:
                self._problem(404, "Not Found", "unknown transactionId")
                return
            self._send(200, fake.document(tx))
            return
        self._problem(405, "Method Not Allowed")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


def make_pki(folder: Path) -> dict[str, Path]:
    """A test CA, a server certificate for 127.0.0.1 and a client certificate."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)

    def key() -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def write_key(path: Path, private: ec.EllipticCurvePrivateKey) -> None:
        path.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    ca_key = key()
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test CA"))
        .issuer_name(name("Test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )

    def issue(common: str, usage, san=None):
        private = key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(common))
            .issuer_name(ca.subject)
            .public_key(private.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return private, builder.sign(ca_key, hashes.SHA256())

    server_key, server = issue(
        "127.0.0.1",
        ExtendedKeyUsageOID.SERVER_AUTH,
        [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    client_key, client = issue("buergerportal", ExtendedKeyUsageOID.CLIENT_AUTH)
    paths = {
        "ca_cert": folder / "ca.pem",
        "server_cert": folder / "server.pem",
        "server_key": folder / "server.key",
        "client_cert": folder / "client.pem",
        "client_key": folder / "client.key",
    }
    paths["ca_cert"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["server_cert"].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths["client_cert"].write_bytes(client.public_bytes(serialization.Encoding.PEM))
    write_key(paths["server_key"], server_key)
    write_key(paths["client_key"], client_key)
    return paths
