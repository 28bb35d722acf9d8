"""A BundID identity provider for development and tests, made with pysaml2 as well.

It answers the portal's signed AuthnRequest with a signed response carrying a signed,
encrypted assertion in BundID's profile (OID attributes, STORK-QAA levels), for one of
a few test identities at the level the citizen picks. Every screen says "Testmodus";
production refuses to start with it (``app.bundid.settings``).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from pathlib import Path

from saml2 import BINDING_HTTP_POST
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import STATUS_AUTHN_FAILED
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from app.bundid import profile
from app.bundid.saml import SamlError, _xmlsec

#: The levels the simulator offers, as BundID's sign-in methods.
LEVELS = {
    "benutzername": profile.LEVEL_1,
    "elster": profile.LEVEL_3,
    "eid": profile.LEVEL_4,
}


@dataclass(frozen=True)
class TestIdentity:
    key: str
    pseudonym: str
    attributes: dict[str, str]


IDENTITIES: tuple[TestIdentity, ...] = (
    TestIdentity(
        "erika",
        "bundid-test-erika-mustermann",
        {
            profile.GIVEN_NAME: "Erika",
            profile.SURNAME: "Mustermann",
            profile.BIRTH_DATE: "1964-08-12",
            profile.PLACE_OF_BIRTH: "Berlin",
            profile.POSTAL_ADDRESS: "Heidestraße 17",
            profile.POSTAL_CODE: "51147",
            profile.LOCALITY: "Köln",
            profile.COUNTRY: "DE",
            profile.MAIL: "erika.mustermann@example.org",
        },
    ),
    # A second person, so a demo (or a test) can bind BundID to two accounts.
    TestIdentity(
        "max",
        "bundid-test-max-mustermann",
        {
            profile.GIVEN_NAME: "Max",
            profile.SURNAME: "Mustermann",
            profile.BIRTH_DATE: "1971-03-28",
            profile.PLACE_OF_BIRTH: "Hamburg",
            profile.POSTAL_ADDRESS: "Rheinufer 4",
            profile.POSTAL_CODE: "53111",
            profile.LOCALITY: "Bonn",
            profile.COUNTRY: "DE",
            profile.MAIL: "max.mustermann@example.org",
        },
    ),
)


def identity(key: str) -> TestIdentity:
    """The test identity ``key``."""
    for candidate in IDENTITIES:
        if candidate.key == key:
            return candidate
    raise SamlError("invalid", f"unknown test identity {key!r}")


def level_attributes(person: TestIdentity, level: str) -> dict[str, list[str]]:
    """What BundID sends at ``level``: a password sign-in carries no verified data."""
    values = {profile.BPK2: person.pseudonym, profile.QAA_LEVEL: level}
    if level in (profile.LEVEL_3, profile.LEVEL_4):
        values |= person.attributes
    else:
        values[profile.MAIL] = person.attributes[profile.MAIL]
    return {name: [value] for name, value in values.items()}


class SimulatedIdp:
    """The identity provider: its metadata, and answers to AuthnRequests."""

    def __init__(self, entity_id: str, sso_url: str, key_file: Path, cert_file: Path) -> None:
        self.entity_id = entity_id
        self.sso_url = sso_url
        self.key_file = key_file
        self.cert_file = cert_file
        self._server: Server | None = None

    def _config(self, sp_metadata: str | None) -> IdPConfig:
        config = IdPConfig()
        settings = {
            "entityid": self.entity_id,
            "xmlsec_binary": _xmlsec(),
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(self.sso_url, BINDING_HTTP_POST)]},
                    "want_authn_requests_signed": True,
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "name_form": profile.NAME_FORMAT_URI,
                            "attribute_restrictions": None,
                        }
                    },
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                }
            },
        }
        if sp_metadata:
            settings["metadata"] = {"inline": [sp_metadata]}
        config.load(settings)
        return config

    def metadata(self) -> str:
        """The identity provider's metadata, for the portal's service provider."""
        return create_metadata_string(None, config=self._config(None), valid=None).decode()

    def trust(self, sp_metadata: str) -> None:
        """Accept requests from the service provider described by ``sp_metadata``."""
        self._server = Server(config=self._config(sp_metadata))

    @property
    def server(self) -> Server:
        if self._server is None:
            raise RuntimeError("the simulator knows no service provider yet")
        return self._server

    def read_request(self, saml_request: str) -> dict[str, str]:
        """Check a POSTed AuthnRequest (signature included): its ID, ACS and asked level."""
        try:
            request = self.server.parse_authn_request(saml_request, BINDING_HTTP_POST)
        except Exception as exc:  # any request pysaml2 cannot read is refused alike
            raise SamlError("invalid", f"{type(exc).__name__}: {exc}") from exc
        message = request.message
        if message.signature is None:
            raise SamlError("signature", "unsigned AuthnRequest")
        asked = ""
        if message.requested_authn_context is not None:
            refs = message.requested_authn_context.authn_context_class_ref
            asked = (refs[0].text or "").strip() if refs else ""
        return {
            "id": message.id,
            "sp": message.issuer.text.strip(),
            "acs": message.assertion_consumer_service_url
            or self.server.config.metadata.assertion_consumer_service(
                message.issuer.text.strip(), BINDING_HTTP_POST
            )[0]["location"],
            "level": asked,
        }

    def refuse(self, request: dict[str, str]) -> str:
        """The base64 SAMLResponse of a sign-in the citizen cancelled (signed, no assertion)."""
        response = self.server.create_error_response(
            request["id"],
            request["acs"],
            (STATUS_AUTHN_FAILED, "cancelled by the citizen"),
            sign=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()

    def answer(self, request: dict[str, str], person: TestIdentity, level: str) -> str:
        """The base64 SAMLResponse for ``request``: ``person`` signed in at ``level``."""
        response = self.server.create_authn_response(
            identity=level_attributes(person, level),
            in_response_to=request["id"],
            destination=request["acs"],
            sp_entity_id=request["sp"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=secrets.token_hex(16)),
            authn={"class_ref": level, "authn_auth": self.entity_id},
            sign_response=True,
            sign_assertion=True,
            encrypt_assertion=True,
            encrypted_advice_attributes=False,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()
