"""A local FIT-Connect: Submission Service and a receiving system behind one destination.

A real HTTP server on 127.0.0.1 (ephemeral port, one thread per request), written from
the published FIT-Connect documentation (Submission API v1, metadata schema 1.x,
event log / Security Event Tokens), independently of the portal's client:

* ``POST /token``: OAuth2 client credentials (``client_secret_post`` or HTTP Basic);
  bearer tokens for every ``/v1`` call (``revoke_tokens()`` makes them answer 401).
* ``GET /.well-known/jwks.json``: the Submission Service's signing key (PS512).
* ``GET /v1/destinations/{id}``: status, services (identifier, data schemas),
  ``encryptionKid``, ``metadataVersions``, ``replyChannels``.
* ``GET /v1/destinations/{id}/keys/{kid}``: the destination's public encryption key
  (RSA 4096, ``RSA-OAEP-256``, ``key_ops`` ``wrapKey``, ``x5c`` chain to the fake's
  own root, :attr:`FakeFitConnect.root_pem`, certified for keyEncipherment) or its
  signature key (PS512, ``verify``, ``x5c`` to the same root, for digitalSignature).
* ``POST /v1/submissions`` (201 ``{destinationId, submissionId, caseId}``),
  ``PUT /v1/submissions/{id}/attachments/{attachmentId}`` (``application/jose``, 204),
  ``PUT /v1/submissions/{id}`` (``{encryptedMetadata, encryptedData}``, 202).
* ``GET /v1/cases/{caseId}/events``: ``{offset, count, totalCount, eventLog}`` of SETs
  (``typ`` ``secevent+jwt``, PS512): create/submit by the Submission Service, then the
  receiving system's accept or reject.

On submit the receiving system does what the documentation asks of it: decrypts
metadata, data set and attachments with the destination's private key, checks the
metadata against the schema (a trimmed copy in ``fit_connect_data/``), the announced
attachments against the described ones, every SHA-512 hash and the service, and then
writes ``accept-submission`` (quoting the authentication tags) or
``reject-submission`` with its problems. What arrived whole is in :attr:`received`.

Tests script it: ``swap_next_attachment(content)`` (someone on the way replaces the
next uploaded file with another one encrypted for the same key), ``go_down("503")`` /
``go_down("refused")`` and ``come_up()``, ``add_event(...)`` (e.g. a forged SET).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwcrypto import jwe, jwk, jws

SCHEMA = json.loads(
    (Path(__file__).parent / "fit_connect_data" / "metadata.schema.json").read_text()
)
EVENTS = "https://schema.fitko.de/fit-connect/events/"
PROBLEMS = "https://schema.fitko.de/fit-connect/events/problems/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@cache
def _rsa(name: str, bits: int = 4096) -> rsa.RSAPrivateKey:
    """One RSA key per name and test run (4096-bit keys take a moment to make)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _jwk(private: rsa.RSAPrivateKey, **members: Any) -> jwk.JWK:
    # Straight from the key object: reading it back from PEM re-checks the 4096-bit key
    # each time (a quarter of a second).
    key = jwk.JWK.from_pyca(private)
    return jwk.JWK(**(key.export_private(as_dict=True) | members))


_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


def key_usage(*usages: str) -> x509.KeyUsage:
    """A KeyUsage extension with exactly ``usages`` (names of its attributes)."""
    flags = {name: name in usages for name in _USAGES}
    return x509.KeyUsage(**flags, encipher_only=False, decipher_only=False)


def certificate(
    subject: str,
    public: Any,
    issuer: str,
    signer: rsa.RSAPrivateKey,
    *,
    ca: bool,
    usages: tuple[str, ...] = (),
    path_length: int | None = None,
) -> x509.Certificate:
    """A certificate of a test PKI: an authority (``ca``: keyCertSign, cRLSign) or an
    end entity (``usages``, default keyEncipherment), valid from yesterday for 30 days."""
    now = datetime.datetime.now(datetime.UTC)
    usages = usages or (("key_cert_sign", "crl_sign") if ca else ("key_encipherment",))
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True
        )
        .add_extension(key_usage(*usages), critical=True)
        .sign(signer, hashes.SHA256())
    )


def x5c(*certificates: x509.Certificate) -> list[str]:
    """``certificates`` as a JWK's ``x5c`` (base64 DER, the key's own first)."""
    return [
        base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in certificates
    ]


def make_root(name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A self-signed root (a test PKI's trust anchor)."""
    key = _rsa(f"root-{name}", 2048)
    return key, certificate(name, key.public_key(), name, key, ca=True)


@dataclass
class Submission:
    id: str
    case_id: str
    destination_id: str
    announced: list[str]
    service_type: dict[str, Any]
    uploads: dict[str, str] = field(default_factory=dict)
    submitted: bool = False
    problems: list[dict[str, str]] = field(default_factory=list)


class FakeFitConnect:
    """``with FakeFitConnect() as fake:``; ``fake.url`` is the Submission API's address,
    ``fake.token_url`` the token endpoint."""

    def __init__(
        self,
        *,
        client_id: str = "portal-client",
        client_secret: str = "client-geheim",
        service_identifier: str = "urn:de:fim:leika:leistung:99102013104000",
        schema_uri: str = "urn:buergerportal:application:1",
        token_lifetime: int = 1800,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.service_identifier = service_identifier
        self.schema_uri = schema_uri
        self.token_lifetime = token_lifetime
        self.destination_id = str(uuid.uuid4())
        self.encryption_kid = str(uuid.uuid4())
        self.signature_kid = str(uuid.uuid4())
        self.service_kid = str(uuid.uuid4())
        root_key, self.root = make_root("Testwurzel FIT-Connect")
        self.root_pem = self.root.public_bytes(serialization.Encoding.PEM)
        encryption = _rsa("destination-encryption")
        leaf = certificate(
            "Zustellpunkt", encryption.public_key(), "Testwurzel FIT-Connect", root_key, ca=False
        )
        self.encryption_key = _jwk(
            encryption,
            kid=self.encryption_kid,
            alg="RSA-OAEP-256",
            key_ops=["wrapKey", "unwrapKey"],
        )
        self.x5c = x5c(leaf, self.root)
        signature = _rsa("destination-signature")
        # The receiving system's signing key is certified like the encryption key, for
        # signatures (digitalSignature).
        signing_leaf = certificate(
            "Zustellpunkt (Signatur)",
            signature.public_key(),
            "Testwurzel FIT-Connect",
            root_key,
            ca=False,
            usages=("digital_signature",),
        )
        self.signature_x5c = x5c(signing_leaf, self.root)
        self.signature_key = _jwk(signature, kid=self.signature_kid, alg="PS512", use="sig")
        self.signature_key_override: dict[str, Any] | None = None
        self.service_key = _jwk(_rsa("service-signature"), kid=self.service_kid, alg="PS512")
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.submissions: dict[str, Submission] = {}
        self.events: dict[str, list[str]] = {}
        self.received: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, int]] = []
        self.encryption_key_override: dict[str, Any] | None = None
        self._swap: bytes | None = None
        # False: the receiving system leaves submissions undecided (tests add events).
        self.auto_decide = True
        # Uploads and submits still to answer 503 (a service failing amid a delivery).
        self.fail_uploads = 0
        self.fail_submits = 0
        self._down = ""
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._port = 0

    # --- life ------------------------------------------------------------------------------

    def __enter__(self) -> FakeFitConnect:
        self._serve()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def _serve(self) -> None:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def env(self, trust_anchors: str = "") -> dict[str, str]:
        """The portal's environment settings for this fake."""
        return {
            "FIT_CONNECT_SUBMISSION_URL": self.url,
            "FIT_CONNECT_TOKEN_URL": self.token_url,
            "FIT_CONNECT_CLIENT_ID": self.client_id,
            "FIT_CONNECT_CLIENT_SECRET": self.client_secret,
            "FIT_CONNECT_TRUST_ANCHORS": trust_anchors,
            "FIT_CONNECT_TIMEOUT_SECONDS": "5",
        }

    # --- scripting -------------------------------------------------------------------------

    def go_down(self, how: str = "503") -> None:
        """``503``: every request answers 503; ``refused``: nobody listens on the port."""
        self._down = how
        if how == "refused":
            self._stop()

    def come_up(self) -> None:
        if self._down == "refused":
            self._serve()
        self._down = ""

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def swap_next_attachment(self, content: bytes) -> None:
        """The next uploaded attachment is replaced on the way by ``content``, encrypted
        for the destination's key like the original (only the hashes in the encrypted
        metadata can tell)."""
        self._swap = content

    @property
    def created(self) -> int:
        return len(self.submissions)

    @property
    def submitted(self) -> list[Submission]:
        return [s for s in self.submissions.values() if s.submitted]

    def add_event(
        self, submission_id: str, event: str, payload: dict[str, Any], *, signer: str
    ) -> None:
        """Write an event into the submission's case log, signed by ``destination``,
        ``service`` or ``stranger`` (a key nobody publishes, under the destination's kid)."""
        submission = self.submissions[submission_id]
        if signer == "service":
            self._log(submission, event, payload, self.service_key, self.url)
        elif signer == "destination":
            self._log(submission, event, payload, self.signature_key, self.destination_id)
        else:
            stranger = _jwk(_rsa("stranger"), kid=self.signature_kid, alg="PS512")
            self._log(submission, event, payload, stranger, self.destination_id)

    # --- the service -------------------------------------------------------------------------

    def _log(
        self, submission: Submission, event: str, payload: dict[str, Any], key: jwk.JWK, issuer: str
    ) -> None:
        claims = {
            "$schema": SET_SCHEMA,
            "jti": str(uuid.uuid4()),
            "iss": issuer,
            "iat": int(time.time()),
            "sub": f"submission:{submission.id}",
            "txn": f"case:{submission.case_id}",
            "events": {EVENTS + event: payload},
        }
        token = jws.JWS(json.dumps(claims).encode())
        token.add_signature(
            key,
            alg="PS512",
            protected=json.dumps({"typ": "secevent+jwt", "alg": "PS512", "kid": key.get("kid")}),
        )
        with self._lock:
            self.events.setdefault(submission.case_id, []).append(token.serialize(compact=True))

    def destination(self) -> dict[str, Any]:
        return {
            "destinationId": self.destination_id,
            "status": "active",
            "services": [
                {
                    "identifier": self.service_identifier,
                    "submissionSchemas": [
                        {"schemaUri": self.schema_uri, "mimeType": "application/json"}
                    ],
                    "regions": ["DE05358008"],
                }
            ],
            "encryptionKid": self.encryption_kid,
            "metadataVersions": ["1.0.0", "1.2.0"],
            "replyChannels": {"eMail": {"usePgp": False}},
        }

    def public_key(self, kid: str) -> dict[str, Any] | None:
        if kid == self.encryption_kid:
            if self.encryption_key_override is not None:
                return self.encryption_key_override
            public = self.encryption_key.export_public(as_dict=True)
            return public | {"key_ops": ["wrapKey"], "x5c": self.x5c}
        if kid == self.signature_kid:
            if self.signature_key_override is not None:
                return self.signature_key_override
            public = self.signature_key.export_public(as_dict=True)
            return public | {"key_ops": ["verify"], "x5c": self.signature_x5c}
        return None

    def create(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 400, _problem("syntax-violation", "Der Body ist kein JSON-Objekt.")
        if body.get("destinationId") != self.destination_id:
            return 404, _problem("destination-not-found", "Zustellpunkt unbekannt.")
        announced = body.get("announcedAttachments", [])
        if not isinstance(announced, list) or not all(
            isinstance(a, str) and _UUID.match(a) for a in announced
        ):
            return 400, _problem("syntax-violation", "announcedAttachments: UUIDs erwartet.")
        if len(set(announced)) != len(announced):
            return 400, _problem("syntax-violation", "announcedAttachments doppelt.")
        service = body.get("serviceType")
        if not isinstance(service, dict) or service.get("identifier") != self.service_identifier:
            return 400, _problem("service-not-offered", "Leistung wird nicht angeboten.")
        submission = Submission(
            id=str(uuid.uuid4()),
            case_id=str(uuid.uuid4()),
            destination_id=self.destination_id,
            announced=announced,
            service_type=service,
        )
        with self._lock:
            self.submissions[submission.id] = submission
        self._log(submission, "create-submission", {}, self.service_key, self.url)
        return 201, {
            "destinationId": self.destination_id,
            "submissionId": submission.id,
            "caseId": submission.case_id,
        }

    def upload(
        self, submission_id: str, attachment_id: str, raw: bytes, ctype: str
    ) -> tuple[int, Any]:
        submission = self.submissions.get(submission_id)
        if submission is None:
            return 404, _problem("submission-not-found", "Einreichung unbekannt.")
        if submission.submitted:
            return 409, _problem("submission-state-invalid", "Schon eingereicht.")
        if attachment_id not in submission.announced:
            return 404, _problem("attachment-not-announced", "Anlage nicht angekündigt.")
        if ctype.split(";")[0].strip() != "application/jose":
            return 415, _problem("unsupported-media-type", "application/jose erwartet.")
        compact = raw.decode("ascii", "replace")
        if self.fail_uploads:
            self.fail_uploads -= 1
            return 503, {"type": "about:blank", "title": "Service Unavailable"}
        if compact.count(".") != 4:
            return 400, _problem("syntax-violation", "Kein JWE in kompakter Serialisierung.")
        if self._swap is not None:
            compact, self._swap = self._encrypt(self._swap), None
        submission.uploads[attachment_id] = compact
        return 204, None

    def submit(self, submission_id: str, body: Any) -> tuple[int, Any]:
        submission = self.submissions.get(submission_id)
        if submission is None:
            return 404, _problem("submission-not-found", "Einreichung unbekannt.")
        if submission.submitted:
            return 409, _problem("submission-state-invalid", "Schon eingereicht.")
        if not isinstance(body, dict) or not all(
            isinstance(body.get(k), str) for k in ("encryptedMetadata", "encryptedData")
        ):
            return 400, _problem("syntax-violation", "encryptedMetadata/encryptedData fehlen.")
        if self.fail_submits:
            self.fail_submits -= 1
            return 503, {"type": "about:blank", "title": "Service Unavailable"}
        missing = [a for a in submission.announced if a not in submission.uploads]
        if missing:
            return 400, _problem("missing-attachments", "Angekündigte Anlagen fehlen.")
        submission.submitted = True
        self._log(submission, "submit-submission", {}, self.service_key, self.url)
        if self.auto_decide:
            self._receive(submission, body["encryptedMetadata"], body["encryptedData"])
        return 202, {
            "destinationId": self.destination_id,
            "submissionId": submission.id,
            "caseId": submission.case_id,
        }

    # --- the receiving system ---------------------------------------------------------------

    def _encrypt(self, content: bytes) -> str:
        header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": self.encryption_kid}
        token = jwe.JWE(content, protected=json.dumps(header))
        token.add_recipient(jwk.JWK(**self.public_key(self.encryption_kid)))
        return token.serialize(compact=True)

    def _decrypt(self, compact: str) -> bytes:
        token = jwe.JWE()
        token.deserialize(compact, key=self.encryption_key)
        header = token.jose_header
        if (header.get("alg"), header.get("enc"), header.get("kid")) != (
            "RSA-OAEP-256",
            "A256GCM",
            self.encryption_kid,
        ) or "zip" in header:
            raise ValueError("unexpected JWE header")
        return token.payload

    def _receive(
        self, submission: Submission, encrypted_metadata: str, encrypted_data: str
    ) -> None:
        problems: list[dict[str, str]] = []

        def problem(kind: str, title: str, detail: str, instance: str) -> None:
            problems.append(
                {"type": PROBLEMS + kind, "title": title, "detail": detail, "instance": instance}
            )

        try:
            metadata = json.loads(self._decrypt(encrypted_metadata))
        except Exception:
            problem(
                "encryption-issue", "Entschlüsselungsfehler", "Metadaten nicht lesbar.", "metadata"
            )
            return self._decide(submission, problems, {})
        validator = jsonschema.Draft202012Validator(
            SCHEMA, format_checker=jsonschema.FormatChecker()
        )
        for error in validator.iter_errors(metadata):
            path = "/".join(str(p) for p in error.absolute_path)
            problem(
                "schema-violation", "Schemaverstoß", f"Metadaten: {path or 'Wurzel'}", "metadata"
            )
        if problems:
            return self._decide(submission, problems, {})
        structure = metadata["contentStructure"]
        try:
            data = self._decrypt(encrypted_data)
        except Exception:
            problem("encryption-issue", "Entschlüsselungsfehler", "Fachdaten nicht lesbar.", "data")
            return self._decide(submission, problems, {})
        if "data" in structure:
            if hashlib.sha512(data).hexdigest() != structure["data"]["hash"]["content"]:
                problem(
                    "incorrect-data-hash",
                    "Prüfsumme der Fachdaten stimmt nicht",
                    "Der Hashwert der Fachdaten passt nicht zu den Metadaten.",
                    "data",
                )
            if structure["data"]["submissionSchema"]["schemaUri"] != self.schema_uri:
                problem(
                    "unsupported-schema",
                    "Fachdatenschema nicht unterstützt",
                    "Das Fachdatenschema wird nicht unterstützt.",
                    "data",
                )
        service = metadata.get("publicServiceType", {}).get("identifier")
        if service != submission.service_type.get("identifier"):
            problem(
                "service-mismatch",
                "Leistung stimmt nicht",
                "Die Leistung der Metadaten ist nicht die angekündigte.",
                "metadata",
            )
        described = {a["attachmentId"]: a for a in structure["attachments"]}
        if set(described) != set(submission.announced):
            problem(
                "attachments-mismatch",
                "Anlagen stimmen nicht",
                "Beschriebene und angekündigte Anlagen weichen ab.",
                "metadata",
            )
        files: dict[str, dict[str, Any]] = {}
        for attachment_id, compact in submission.uploads.items():
            try:
                content = self._decrypt(compact)
            except Exception:
                problem(
                    "encryption-issue",
                    "Entschlüsselungsfehler",
                    "Anlage nicht lesbar.",
                    f"attachment:{attachment_id}",
                )
                continue
            info = described.get(attachment_id)
            if info and hashlib.sha512(content).hexdigest() != info["hash"]["content"]:
                problem(
                    "incorrect-attachment-hash",
                    "Prüfsumme einer Anlage stimmt nicht",
                    "Der Hashwert der Anlage passt nicht zu den Metadaten.",
                    f"attachment:{attachment_id}",
                )
            files[attachment_id] = {**(info or {}), "content": content}
        tags = {
            "metadata": encrypted_metadata.rsplit(".", 1)[-1],
            "data": encrypted_data.rsplit(".", 1)[-1],
            "attachments": {a: c.rsplit(".", 1)[-1] for a, c in submission.uploads.items()},
        }
        if not problems:
            self.received.append(
                {
                    "submission_id": submission.id,
                    "metadata": metadata,
                    "data": json.loads(data),
                    "attachments": files,
                }
            )
        return self._decide(submission, problems, tags)

    def _decide(
        self, submission: Submission, problems: list[dict[str, str]], tags: dict[str, Any]
    ) -> None:
        submission.problems = problems
        if problems:
            self._log(
                submission,
                "reject-submission",
                {"problems": problems},
                self.signature_key,
                self.destination_id,
            )
        else:
            self._log(
                submission,
                "accept-submission",
                {"authenticationTags": tags},
                self.signature_key,
                self.destination_id,
            )


def _problem(kind: str, detail: str) -> dict[str, Any]:
    return {
        "type": f"https://schema.fitko.de/fit-connect/submission-api/problems/{kind}",
        "title": kind,
        "detail": detail,
    }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeFitConnect

    def log_message(self, *args: Any) -> None:  # quiet test output
        pass

    def _answer(self, status: int, body: Any = None, ctype: str = "application/json") -> None:
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if raw:
            self.send_header(
                "Content-Type",
                "application/problem+json"
                if status >= 400 and ctype == "application/json"
                else ctype,
            )
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)
        path = urlsplit(self.path).path
        self.fake.requests.append((self.command, path, status))

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.fake.tokens

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_GET(self) -> None:
        self._route("GET")

    def _route(self, method: str) -> None:
        fake = self.fake
        raw = self._body()
        if fake._down == "503":
            return self._answer(503, {"type": "about:blank", "title": "Service Unavailable"})
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if method == "POST" and path == "/token":
            return self._token(raw)
        if method == "GET" and path == "/.well-known/jwks.json":
            key = fake.service_key.export_public(as_dict=True) | {
                "key_ops": ["verify"],
                "use": "sig",
            }
            return self._answer(200, {"keys": [key]})
        if not self._authorised():
            return self._answer(401, {"error": "invalid_token"})
        with fake._lock:
            self._v1(method, path, query, raw)

    def _token(self, raw: bytes) -> None:
        fake = self.fake
        fake.token_requests += 1
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if form.get("grant_type") != "client_credentials":
            return self._answer(400, {"error": "unsupported_grant_type"})
        if client_id != fake.client_id or secret != fake.client_secret:
            return self._answer(401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(24)
        fake.tokens.add(token)
        return self._answer(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": fake.token_lifetime,
                "scope": "send:region:DE",
            },
        )

    def _v1(self, method: str, path: str, query: dict[str, list[str]], raw: bytes) -> None:
        fake = self.fake
        segments = path.strip("/").split("/")
        if segments[:2] == ["v1", "destinations"] and method == "GET":
            if len(segments) < 3 or segments[2] != fake.destination_id:
                return self._answer(
                    404, _problem("destination-not-found", "Zustellpunkt unbekannt.")
                )
            if len(segments) == 3:
                return self._answer(200, fake.destination())
            if len(segments) == 5 and segments[3] == "keys":
                key = fake.public_key(segments[4])
                return (
                    self._answer(200, key)
                    if key
                    else self._answer(404, _problem("key-not-found", "Schlüssel unbekannt."))
                )
        if path == "/v1/submissions" and method == "POST":
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            return self._answer(*fake.create(body))
        if segments[:2] == ["v1", "submissions"] and method == "PUT":
            if len(segments) == 5 and segments[3] == "attachments":
                return self._answer(
                    *fake.upload(
                        segments[2], segments[4], raw, self.headers.get("Content-Type", "")
                    )
                )
            if len(segments) == 3:
                if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
                    return self._answer(415, _problem("unsupported-media-type", "JSON erwartet."))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                return self._answer(*fake.submit(segments[2], body))
        if segments[:2] == ["v1", "cases"] and len(segments) == 4 and segments[3] == "events":
            log = fake.events.get(segments[2])
            if log is None:
                return self._answer(404, _problem("case-not-found", "Vorgang unbekannt."))
            offset = int((query.get("offset") or ["0"])[0])
            limit = min(int((query.get("limit") or ["500"])[0]), 500)
            page = log[offset : offset + limit]
            return self._answer(
                200,
                {"offset": offset, "count": len(page), "totalCount": len(log), "eventLog": page},
            )
        return self._answer(404, _problem("not-found", "Unbekannter Pfad."))
