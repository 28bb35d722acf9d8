"""A local eID-Server that answers with recorded TR-03130 messages, over mutual TLS.

It stands in for a municipality's eID-Server when testing the ``tr03130_soap`` adapter:

* TLS with a server certificate from a throw-away CA (:func:`make_pki`); a client
  certificate from that CA is required, as a real eID-Server requires the service
  provider's certificate;
* ``POST /eidserver`` answers useID and getResult with the recorded messages in
  ``tests/fakes/eid_messages`` (or whatever a test scripts with :meth:`answer`);
* every request is recorded (SOAPAction, Content-Type, body, client certificate).

Usage::

    pki = make_pki(tmp_path)
    with FakeEidServer(pki) as server:
        server.answer("getResultRequest", "getresult_response_cancelled.xml")
        adapter = create("tr03130_soap", settings(server.url, pki))
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.eid import messages

MESSAGES = Path(__file__).parent / "eid_messages"


def message(name: str) -> bytes:
    """A recorded message from ``tests/fakes/eid_messages``."""
    return (MESSAGES / name).read_bytes()


@dataclass
class Pki:
    """PEM files of a throw-away CA, the eID-Server's certificate and the portal's."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _issue(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name | None = None,
    issuer_key: ec.EllipticCurvePrivateKey | None = None,
    ca: bool = False,
    server: bool = False,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def make_pki(folder: Path) -> Pki:
    """Write a CA, a server and a client certificate (and an unrelated CA) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _issue("Test eID CA", ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = _issue("eid-server.test", server_key, ca_cert.subject, ca_key, server=True)
    client_key = ec.generate_private_key(ec.SECP256R1())
    client_cert = _issue("Buergerportal Dueren", client_key, ca_cert.subject, ca_key)
    other_key = ec.generate_private_key(ec.SECP256R1())
    other_ca = _issue("Some other CA", other_key, ca=True)
    files = {
        "ca.pem": ca_cert.public_bytes(serialization.Encoding.PEM),
        "server.pem": server_cert.public_bytes(serialization.Encoding.PEM),
        "server.key": _key_pem(server_key),
        "client.pem": client_cert.public_bytes(serialization.Encoding.PEM),
        "client.key": _key_pem(client_key),
        "other-ca.pem": other_ca.public_bytes(serialization.Encoding.PEM),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return Pki(
        ca=folder / "ca.pem",
        server_cert=folder / "server.pem",
        server_key=folder / "server.key",
        client_cert=folder / "client.pem",
        client_key=folder / "client.key",
        other_ca=folder / "other-ca.pem",
    )


@dataclass
class Recorded:
    soap_action: str
    content_type: str
    body: bytes
    client_subject: str


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: str = "text/xml; charset=utf-8"


@dataclass
class FakeEidServer:
    """An HTTPS eID-Server on 127.0.0.1 answering recorded messages."""

    pki: Pki
    require_client_cert: bool = True
    requests: list[Recorded] = field(default_factory=list)
    _scripted: dict[str, deque[_Answer]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None

    # Answers when nothing is scripted.
    defaults: dict[str, str] = field(
        default_factory=lambda: {
            "useIDRequest": "useid_response_ok.xml",
            "getResultRequest": "getresult_response_ok.xml",
        }
    )

    def answer(
        self, operation: str, body: str | bytes, status: int = 200, content_type: str = ""
    ) -> None:
        """Answer the next ``operation`` with a recorded file name or raw bytes."""
        data = message(body) if isinstance(body, str) else body
        self._scripted.setdefault(operation, deque()).append(
            _Answer(status, data, content_type or "text/xml; charset=utf-8")
        )

    def _respond(self, body: bytes) -> _Answer:
        try:
            operation, _content = messages.operation(body)
        except messages.MessageError:
            return _Answer(500, message("soap_fault.xml"))
        queue = self._scripted.get(operation)
        if queue:
            return queue.popleft()
        return _Answer(200, message(self.defaults[operation]))

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}/eidserver"

    def __enter__(self) -> FakeEidServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                peer = (
                    self.connection.getpeercert()
                    if hasattr(self.connection, "getpeercert")
                    else None
                )
                subject = ""
                if peer:
                    subject = dict(part[0] for part in peer["subject"]).get("commonName", "")
                fake.requests.append(
                    Recorded(
                        self.headers.get("SOAPAction", ""),
                        self.headers.get("Content-Type", ""),
                        body,
                        subject,
                    )
                )
                answer = fake._respond(body)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.pki.server_cert, self.pki.server_key)
        if self.require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(self.pki.ca)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # Refused handshakes (no or foreign client certificate) are expected here.
                pass

        server = Server(("127.0.0.1", 0), Handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
