"""Key pairs for SAML: the service provider's in development, the simulator's always.

xmlsec1 reads keys from files, so PEM text given in the settings (environment or
secrets folder) is written owner-only into the instance folder before use.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from app.private_files import private_dir, write_private_once


def self_signed(common_name: str, years: int = 10) -> tuple[str, str]:
    """A new RSA-2048 key and a self-signed certificate for it, both PEM (development
    and the simulator only: production brings its own key pair)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def instance_pair(folder: Path, name: str, common_name: str) -> tuple[str, str]:
    """A key and certificate (PEM) made once and kept in ``folder/<name>.pem``.

    Both go into one file, so processes starting at once cannot end up with the key of
    one and the certificate of another.
    """
    private_dir(folder)
    path = folder / f"{name}.pem"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = write_private_once(path, "".join(self_signed(common_name)))
    marker = "-----BEGIN CERTIFICATE-----"
    at = text.index(marker)
    return text[:at], text[at:]


def pem_files(folder: Path, name: str, key_pem: str, cert_pem: str) -> tuple[Path, Path]:
    """Write PEM text from the settings to files xmlsec1 can read (owner-only)."""
    private_dir(folder)
    stamp = hashlib.sha256((key_pem + cert_pem).encode()).hexdigest()[:16]
    key_path, cert_path = folder / f"{name}-{stamp}.key", folder / f"{name}-{stamp}.crt"
    write_private_once(key_path, key_pem.strip() + "\n")
    write_private_once(cert_path, cert_pem.strip() + "\n")
    return key_path, cert_path


def check_pair(key_pem: str, cert_pem: str) -> str:
    """A problem with the PEM pair ('' when the key and certificate belong together)."""
    try:
        key = serialization.load_pem_private_key(key_pem.encode(), password=None)
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
    except ValueError as exc:
        return f"not a PEM key and certificate ({exc})"
    mine = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    theirs = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "" if mine == theirs else "the certificate is not the key's"
