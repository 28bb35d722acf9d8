"""VAPID (RFC 8292): the application server's P-256 key pair and the signed JWT.

The private key lives as a PEM file (mode 0600) in the instance folder and is
generated on first use, or comes from the environment as PEM or base64url text.
The browser needs the public key as ``applicationServerKey``: the uncompressed
point, base64url without padding.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

log = logging.getLogger(__name__)

KEY_FILENAME = "vapid_private_key.pem"
# RFC 8292 allows at most 24 h; half of that leaves room for clock skew between
# us and the push service and lets one token serve many sends.
TOKEN_LIFETIME_SECONDS = 12 * 3600
_TOKEN_REFRESH_MARGIN_SECONDS = 3600

# Names that can never reach a real operator (RFC 2606, RFC 6761, mDNS, home
# networks). Apple's push service rejects such subjects, and a placeholder left
# in production configuration means nobody can be contacted about problems.
_RESERVED_HOSTS = ("localhost", "example.com", "example.net", "example.org")
_RESERVED_SUFFIXES = (
    ".localhost",
    ".local",
    ".test",
    ".invalid",
    ".example",
    ".internal",
    ".lan",
    ".home.arpa",
    ".example.com",
    ".example.net",
    ".example.org",
)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_MAIL_LOCAL_PART = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")


class VapidKeyError(ValueError):
    """A VAPID private key could not be read or is not a P-256 key."""


class InvalidVapidSubject(ValueError):
    """The VAPID ``sub`` claim is not a reachable ``mailto:`` or ``https:`` contact."""


def load_or_create_private_key(directory: Path | str) -> ec.EllipticCurvePrivateKey:
    """Load the key pair from ``directory``, generating it there on first use.

    Safe when several worker processes start at once: the key is written to a
    temporary file and hard-linked into place, so exactly one key wins and every
    process ends up using that one.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / KEY_FILENAME
    if path.exists():
        return _read_key_file(path)

    pem = private_key_pem(ec.generate_private_key(ec.SECP256R1()))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".vapid-", suffix=".tmp")
    try:
        # mkstemp creates the file with mode 0600, so the key is never readable
        # by others, not even for a moment.
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
            log.info("generated a new VAPID key pair in %s", path)
        except FileExistsError:
            pass  # another process was faster; use its key
    finally:
        os.unlink(temporary)
    return _read_key_file(path)


def _read_key_file(path: Path) -> ec.EllipticCurvePrivateKey:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning("VAPID key %s is readable by others (mode %o); use 0600", path, mode)
    try:
        return private_key_from_string(path.read_text(encoding="ascii"))
    except (UnicodeDecodeError, VapidKeyError) as exc:
        raise VapidKeyError(f"{path}: {exc}") from exc


def private_key_from_string(text: str) -> ec.EllipticCurvePrivateKey:
    """Read a P-256 private key given as PEM, base64url DER or a base64url raw scalar.

    The raw 32-byte form is what common ``generate-vapid-keys`` tools print, so an
    operator can paste it into the environment unchanged.
    """
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            raw = _b64url_decode(text.replace("\n", ""))
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, binascii.Error, UnicodeEncodeError) as exc:
        raise VapidKeyError(f"not a readable private key ({exc})") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidKeyError("VAPID needs an elliptic-curve key on P-256 (prime256v1)")
    return key


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    """Serialise ``key`` as unencrypted PKCS#8 PEM."""
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def application_server_key(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> str:
    """Return the public key as the browser's ``applicationServerKey`` (base64url point)."""
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    point = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(point)


def b64url_encode(data: bytes) -> str:
    """Base64url without padding, as Web Push uses it everywhere."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sub_problem(sub: str) -> str | None:
    """Say what is wrong with a VAPID ``sub`` claim, or return ``None`` when it is fine.

    Accepted: ``mailto:`` with a plausible address, or an ``https:`` URL, in both
    cases on a public host name (no localhost, loopback or placeholder domains,
    which Apple's push service rejects).
    """
    sub = sub.strip()
    if not sub:
        return "VAPID subject is empty; use mailto:<address> or an https:// URL"
    lowered = sub.lower()
    if lowered.startswith("mailto:"):
        local, at, host = sub[len("mailto:") :].rpartition("@")
        if not at or not _MAIL_LOCAL_PART.match(local):
            return f"VAPID subject {sub!r} is not a plausible mailto: address"
        return _host_problem(sub, host)
    if lowered.startswith("https://"):
        parts = urlsplit(sub)
        if parts.username is not None or parts.password is not None:
            return f"VAPID subject {sub!r} must not contain credentials"
        try:
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError:
            return f"VAPID subject {sub!r} has an invalid port"
        return _host_problem(sub, parts.hostname or "")
    return f"VAPID subject {sub!r} must start with mailto: or https://"


def _host_problem(sub: str, host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return f"VAPID subject {sub!r} has no host"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        return f"VAPID subject {sub!r} uses an IP address; use a public host name"
    if host in _RESERVED_HOSTS or host.endswith(_RESERVED_SUFFIXES):
        return f"VAPID subject {sub!r} uses a local or placeholder host ({host})"
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return f"VAPID subject {sub!r} has no valid public host name"
    if not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", labels[-1]):
        return f"VAPID subject {sub!r} has no valid top-level domain"
    return None


def validate_sub(sub: str) -> str:
    """Return ``sub`` stripped, or raise :class:`InvalidVapidSubject` explaining why not."""
    problem = sub_problem(sub)
    if problem:
        raise InvalidVapidSubject(problem)
    return sub.strip()


class VapidSigner:
    """Signs the VAPID ``Authorization`` header, reusing a token per push service.

    ECDSA signing costs more than the rest of a send, and the token only depends
    on the audience (the push service's origin), so one is kept per audience
    until it is close to expiry.
    """

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        sub: str,
        *,
        lifetime: int = TOKEN_LIFETIME_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not 0 < lifetime <= 24 * 3600:
            raise ValueError("VAPID token lifetime must be between 1 s and 24 h (RFC 8292)")
        self._vapid = Vapid02(private_key)
        self.sub = sub
        self.lifetime = lifetime
        self._margin = min(_TOKEN_REFRESH_MARGIN_SECONDS, lifetime // 2)
        self._clock = clock
        self._tokens: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()

    @property
    def application_server_key(self) -> str:
        """The public key in the form the browser's ``PushManager.subscribe`` takes."""
        return application_server_key(self._vapid.private_key)

    def authorization(self, audience: str) -> str:
        """Return ``vapid t=<JWT>,k=<public key>`` for the push service at ``audience``."""
        now = int(self._clock())
        cached = self._tokens.get(audience)
        if cached and cached[1] - self._margin > now:
            return cached[0]
        with self._lock:
            expires = now + self.lifetime
            header = self._vapid.sign({"aud": audience, "sub": self.sub, "exp": expires})
            value = header["Authorization"]
            self._tokens[audience] = (value, expires)
        return value
