"""A fake BundID identity provider, made with pysaml2 like the portal's service provider.

It speaks BundID's published SAML profile: it reads the portal's signed AuthnRequest
(HTTP-POST binding) with its ``akdb:AuthenticationRequest`` extension, and answers
with a signed response carrying a signed, encrypted assertion: attributes named by OID
(name format URI), the bPK2 pseudonym, ``EID-CITIZEN-QAA-LEVEL`` and the
AuthnContextClassRef ``STORK-QAA-Level-1`` … ``-4``.

Besides honest answers it makes the ones a service provider must refuse: signed with a
key not in its metadata, unsigned, expired, for another audience, for another request,
not encrypted, and with an attribute changed after signing. It shares no code with the
portal's SAML modules.

Usage::

    idp = FakeBundid(tmp_path)
    (tmp_path / "idp.xml").write_text(idp.metadata())   # BUNDID_IDP_METADATA
    idp.trust(portal_sp_metadata)
    request = idp.read_request(saml_request)
    saml_response = idp.respond(request, "STORK-QAA-Level-4")
"""

from __future__ import annotations

import base64
import re
import secrets
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from saml2 import BINDING_HTTP_POST
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ENTITY_ID = "https://bundid.fake.test/idp"
SSO_URL = "https://bundid.fake.test/idp/profile/SAML2/POST/SSO"
AKDB = "{https://www.akdb.de/request/2018/09}"
URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"

# BundID's attribute names (OIDs), as published for service providers.
BPK2 = "urn:oid:1.3.6.1.4.1.25484.494450.3"
QAA_LEVEL = "urn:oid:1.2.40.0.10.2.1.1.261.94"
PERSON = {
    "urn:oid:2.5.4.42": "Erika",  # givenName
    "urn:oid:2.5.4.4": "Mustermann",  # surname
    "urn:oid:1.2.40.0.10.2.1.1.55": "1964-08-12",  # birthdate
    "urn:oid:1.3.6.1.5.5.7.9.2": "Berlin",  # placeOfBirth
    "urn:oid:2.5.4.16": "Heidestraße 17",  # postalAddress
    "urn:oid:2.5.4.17": "51147",  # postalCode
    "urn:oid:2.5.4.7": "Köln",  # localityName
    "urn:oid:1.2.40.0.10.2.1.1.225599": "DE",  # country
    "urn:oid:0.9.2342.19200300.100.1.3": "erika@example.org",  # mail
}
LEVELS = ("STORK-QAA-Level-1", "STORK-QAA-Level-2", "STORK-QAA-Level-3", "STORK-QAA-Level-4")


def key_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """A fresh RSA key and self-signed certificate as files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _TamperingServer(Server):
    """A pysaml2 IdP that can change the signed assertion just before encrypting it."""

    tamper: Callable[[str], str] | None = None

    def _encrypt_assertion(self, encrypt_cert, sp_entity_id, response, node_xpath=None):
        if self.tamper is not None:
            response = self.tamper(str(response))
        return super()._encrypt_assertion(encrypt_cert, sp_entity_id, response, node_xpath)


class FakeBundid:
    """The identity provider; ``forger`` signs with a key its metadata does not name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key, self.cert = key_pair(folder, "fake-bundid")
        self.forger_key, self.forger_cert = key_pair(folder, "fake-bundid-forger")
        self.sp_metadata = ""

    def _config(self, key: Path, cert: Path, lifetime_minutes: int) -> IdPConfig:
        config = IdPConfig()
        settings = {
            "entityid": ENTITY_ID,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": str(key),
            "cert_file": str(cert),
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(SSO_URL, BINDING_HTTP_POST)]},
                    "want_authn_requests_signed": True,
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "name_form": URI,
                            "attribute_restrictions": None,
                        }
                    },
                }
            },
        }
        if self.sp_metadata:
            settings["metadata"] = {"inline": [self.sp_metadata]}
        config.load(settings)
        return config

    def metadata(self) -> str:
        """This identity provider's metadata (with its real certificate)."""
        config = self._config(self.key, self.cert, 5)
        return create_metadata_string(None, config=config, valid=None).decode()

    def trust(self, sp_metadata: str) -> None:
        """Know the portal's service provider (its ACS and encryption certificate)."""
        self.sp_metadata = sp_metadata

    def _server(self, forged: bool = False, lifetime_minutes: int = 5) -> _TamperingServer:
        key, cert = (self.forger_key, self.forger_cert) if forged else (self.key, self.cert)
        return _TamperingServer(config=self._config(key, cert, lifetime_minutes))

    def read_request(self, saml_request: str) -> dict:
        """The portal's AuthnRequest, its signature checked, with what BundID reads from it."""
        parsed = self._server().parse_authn_request(saml_request, BINDING_HTTP_POST)
        message = parsed.message
        assert message.signature is not None, "BundID only accepts signed requests"
        root = ElementTree.fromstring(base64.b64decode(saml_request))
        extension = root.find(f".//{AKDB}AuthenticationRequest")
        requested = {
            element.get("Name"): element.get("RequiredAttribute") == "true"
            for element in root.iter(f"{AKDB}RequestedAttribute")
        }
        refs = message.requested_authn_context.authn_context_class_ref
        return {
            "id": message.id,
            "sp": message.issuer.text.strip(),
            "acs": message.assertion_consumer_service_url,
            "level": refs[0].text.strip() if refs else "",
            "comparison": message.requested_authn_context.comparison,
            "extension_version": extension.get("Version") if extension is not None else None,
            "requested": requested,
            "methods": {
                element.tag.replace(AKDB, ""): element.findtext(f"{AKDB}Enabled") == "true"
                for element in (
                    extension.find(f"{AKDB}AuthnMethods") if extension is not None else []
                )
            },
        }

    def attributes(self, level: str, pseudonym: str) -> dict[str, list[str]]:
        """What BundID sends at ``level`` (a password sign-in vouches only for the address)."""
        values = {BPK2: pseudonym, QAA_LEVEL: level}
        if level in ("STORK-QAA-Level-3", "STORK-QAA-Level-4"):
            values |= PERSON
        else:
            values["urn:oid:0.9.2342.19200300.100.1.3"] = PERSON[
                "urn:oid:0.9.2342.19200300.100.1.3"
            ]
        return {name: [value] for name, value in values.items()}

    def respond(
        self,
        request: dict,
        level: str,
        *,
        pseudonym: str = "fake-bpk2-erika",
        forged: bool = False,
        sign_response: bool = True,
        sign_assertion: bool = True,
        encrypt: bool = True,
        audience: str | None = None,
        in_response_to: str | None = None,
        lifetime_minutes: int = 5,
        tamper: Callable[[str], str] | None = None,
        attributes: dict[str, list[str]] | None = None,
    ) -> str:
        """A base64 SAMLResponse to ``request``; the keywords make the broken ones."""
        server = self._server(forged, lifetime_minutes)
        server.tamper = tamper
        sp_cert = None
        if audience is not None:
            # Another service provider's audience, still encrypted for the portal.
            sp_cert = server.metadata.certs(request["sp"], "any", "encryption")[0][1]
            server.has_encrypt_cert_in_metadata = lambda _entity_id: True
        response = server.create_authn_response(
            identity=attributes or self.attributes(level, pseudonym),
            in_response_to=in_response_to or request["id"],
            destination=request["acs"],
            sp_entity_id=audience or request["sp"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=secrets.token_hex(16)),
            authn={"class_ref": level, "authn_auth": ENTITY_ID},
            sign_response=sign_response,
            sign_assertion=sign_assertion,
            encrypt_assertion=encrypt,
            encrypt_cert_assertion=sp_cert,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()


def change_attribute(name: str, value: str) -> Callable[[str], str]:
    """A tamper function: the first value of attribute ``name`` becomes ``value``."""

    def tamper(xml: str) -> str:
        pattern = re.compile(
            r'(Name="' + re.escape(name) + r'"[^>]*>\s*<[^>]*AttributeValue[^>]*>)([^<]*)'
        )
        changed, count = pattern.subn(lambda match: match[1] + value, xml, count=1)
        assert count == 1, f"attribute {name} not found"
        return changed

    return tamper
