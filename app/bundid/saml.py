"""The portal as a SAML 2.0 service provider towards BundID, through pysaml2.

pysaml2 signs the AuthnRequest, verifies signatures and decrypts assertions (with
xmlsec1). On top of its checks this module insists on what BundID's profile promises
and pysaml2 leaves optional: a signed response *and* a signed assertion, an encrypted
assertion, a Destination, an AudienceRestriction naming us, and the InResponseTo of a
request this portal sent.
"""

from __future__ import annotations

import base64
import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from defusedxml import ElementTree
from saml2 import BINDING_HTTP_POST, extension_element_from_string
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AuthnContextClassRef
from saml2.samlp import Extensions, RequestedAuthnContext
from saml2.sigver import SignatureError
from saml2.time_util import str_to_time
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from app.bundid import profile

log = logging.getLogger(__name__)

_SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
_SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
_MAX_RESPONSE_BYTES = 200_000


class SamlError(Exception):
    """An answer the portal refuses; ``code`` picks the citizen's message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class SpSettings:
    """What the service provider needs (from the ``BUNDID_*`` settings)."""

    entity_id: str
    acs_url: str
    key_file: Path
    cert_file: Path
    idp_metadata: str
    skew_seconds: int = 60


@dataclass(frozen=True)
class Answer:
    """A checked sign-in: who, at which level of assurance, until when the assertion lives."""

    assertion_id: str
    expires_at: datetime
    level: str
    attributes: dict[str, list[str]] = field(default_factory=dict)


def _xmlsec() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        raise RuntimeError("xmlsec1 is not installed (Debian package xmlsec1)")
    return found


def sp_config(settings: SpSettings) -> SPConfig:
    """pysaml2's configuration of the portal as service provider."""
    config = SPConfig()
    config.load(
        {
            "entityid": settings.entity_id,
            "xmlsec_binary": _xmlsec(),
            "key_file": str(settings.key_file),
            "cert_file": str(settings.cert_file),
            "encryption_keypairs": [
                {"key_file": str(settings.key_file), "cert_file": str(settings.cert_file)}
            ],
            "metadata": {"inline": [settings.idp_metadata]},
            "accepted_time_diff": settings.skew_seconds,
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {
                        "assertion_consumer_service": [(settings.acs_url, BINDING_HTTP_POST)]
                    },
                    "authn_requests_signed": True,
                    "want_response_signed": True,
                    "want_assertions_signed": True,
                    "allow_unsolicited": False,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                }
            },
        }
    )
    return config


class ServiceProvider:
    """One configured service provider: metadata, requests, answers."""

    def __init__(self, settings: SpSettings) -> None:
        self.settings = settings
        self.client = Saml2Client(sp_config(settings))
        idps = list(self.client.metadata.identity_providers())
        if len(idps) != 1:
            raise ValueError(
                f"the IdP metadata must describe one identity provider, not {len(idps)}"
            )
        self.idp_entity_id = idps[0]
        self.sso_url = self.client.sso_location(self.idp_entity_id, BINDING_HTTP_POST)

    def metadata(self) -> str:
        """The service provider's metadata XML (signing and encryption certificate, ACS)."""
        return create_metadata_string(None, config=self.client.config, valid=None).decode()

    def authn_request(self, trust_level: str) -> tuple[str, str]:
        """A signed AuthnRequest asking for ``trust_level``: its ID and its POST form value."""
        context = RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=profile.MINIMUM_LEVEL[trust_level])],
            comparison="minimum",
        )
        extensions = Extensions(
            extension_elements=[
                extension_element_from_string(profile.authentication_request_extension(trust_level))
            ]
        )
        request_id, signed = self.client.create_authn_request(
            self.sso_url,
            binding=BINDING_HTTP_POST,
            sign=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            requested_authn_context=context,
            extensions=extensions,
        )
        return request_id, base64.b64encode(str(signed).encode()).decode()

    def read(self, saml_response: str, request_id: str) -> Answer:
        """Check the POSTed ``SAMLResponse`` as the answer to request ``request_id``."""
        xml = _decode(saml_response)
        _check_shape(xml, self.settings.acs_url, request_id)
        try:
            response = self.client.parse_authn_request_response(
                saml_response, BINDING_HTTP_POST, outstanding={request_id: request_id}
            )
        except SignatureError as exc:
            raise SamlError("signature", str(exc)) from exc
        except (ResponseLifetimeExceed, ToEarly) as exc:
            raise SamlError("expired", str(exc)) from exc
        except Exception as exc:  # pysaml2 raises many kinds; every one refuses
            name = type(exc).__name__
            code = {
                "StatusAuthnFailed": "cancelled",
                "StatusRequestDenied": "cancelled",
                "StatusNoAuthnContext": "level_too_low",
                "UnsolicitedResponse": "unsolicited",
            }.get(name, "invalid")
            if "AudienceRestrictions" in str(exc):
                code = "audience"
            raise SamlError(code, f"{name}: {exc}") from exc
        if response is None:
            raise SamlError("invalid", "no response")
        return self._answer(response, request_id)

    def _answer(self, response, request_id: str) -> Answer:
        if (
            response.response.issuer is None
            or (response.response.issuer.text or "").strip() != self.idp_entity_id
        ):
            raise SamlError("invalid", "issuer")
        assertion = response.assertion
        if assertion is None or assertion.signature is None:
            raise SamlError("signature", "assertion not signed")
        if (assertion.issuer.text or "").strip() != self.idp_entity_id:
            raise SamlError("invalid", "assertion issuer")
        conditions = assertion.conditions
        audiences = [
            (audience.text or "").strip()
            for restriction in (conditions.audience_restriction if conditions else [])
            for audience in restriction.audience
        ]
        if self.settings.entity_id not in audiences:
            raise SamlError("audience", ", ".join(audiences))
        confirmations = assertion.subject.subject_confirmation if assertion.subject else []
        if not confirmations or any(
            c.subject_confirmation_data is None
            or c.subject_confirmation_data.in_response_to != request_id
            or c.subject_confirmation_data.recipient != self.settings.acs_url
            for c in confirmations
        ):
            raise SamlError("unsolicited", "subject confirmation")
        if len(assertion.authn_statement) != 1:
            raise SamlError("invalid", "authn statements")
        reference = assertion.authn_statement[0].authn_context.authn_context_class_ref
        level = (reference.text or "").strip() if reference is not None else ""
        if level not in profile.TRUST_LEVEL:
            raise SamlError("invalid", f"level {level!r}")
        attributes: dict[str, list[str]] = {}
        for statement in assertion.attribute_statement:
            for attribute in statement.attribute:
                values = [(value.text or "").strip() for value in attribute.attribute_value]
                attributes.setdefault(attribute.name, []).extend(values)
        stated = attributes.get(profile.QAA_LEVEL)
        if stated and stated[0] != level:
            raise SamlError("invalid", "level attribute differs from the AuthnContext")
        expires = conditions.not_on_or_after if conditions else None
        if not expires:
            raise SamlError("invalid", "no NotOnOrAfter")
        return Answer(
            assertion_id=assertion.id,
            expires_at=_parse_time(expires),
            level=level,
            attributes=attributes,
        )


def _decode(saml_response: str) -> str:
    if not saml_response or len(saml_response) > _MAX_RESPONSE_BYTES:
        raise SamlError("invalid", "missing or oversized SAMLResponse")
    try:
        return base64.b64decode(saml_response, validate=False).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise SamlError("invalid", "not base64 XML") from exc


def in_response_to(saml_response: str) -> str:
    """The request ID an answer names ('' when it names none or cannot be read)."""
    try:
        root = ElementTree.fromstring(_decode(saml_response))
    except Exception:  # parse errors, and defusedxml refusing entities and DTDs
        return ""
    return (root.get("InResponseTo") or "")[:100]


def _check_shape(xml: str, acs_url: str, request_id: str) -> None:
    """What the XML must show before any cryptography is tried."""
    try:
        root = ElementTree.fromstring(xml)
    except Exception as exc:  # parse errors, and defusedxml refusing entities and DTDs
        raise SamlError("invalid", "not XML") from exc
    if root.tag != f"{_SAMLP}Response":
        raise SamlError("invalid", root.tag)
    if root.get("Destination") != acs_url:
        raise SamlError("destination", root.get("Destination") or "")
    if root.get("InResponseTo") != request_id:
        raise SamlError("unsolicited", root.get("InResponseTo") or "")
    status = root.find(f"{_SAMLP}Status/{_SAMLP}StatusCode")
    success = status is not None and status.get("Value", "").endswith(":Success")
    if success and (
        root.find(f"{_SAML}Assertion") is not None
        or len(root.findall(f"{_SAML}EncryptedAssertion")) != 1
    ):
        # BundID encrypts every assertion for the service provider.
        raise SamlError("not_encrypted")


def _parse_time(value: str) -> datetime:
    parsed = str_to_time(value)
    return datetime(*parsed[:6])
