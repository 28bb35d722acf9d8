"""What BundID's SAML profile says, as data: attributes, levels of assurance, extension.

BundID names its attributes by OID (``urn:oid:…``, name format URI) and states the
level of assurance of a sign-in as ``STORK-QAA-Level-1`` … ``-4``, both in the
AuthnStatement's AuthnContextClassRef and in the attribute ``EID-CITIZEN-QAA-LEVEL``.
A service provider asks for attributes and a minimum level in the AuthnRequest's
``akdb:AuthenticationRequest`` extension and ``RequestedAuthnContext``
(``Comparison="minimum"``).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

AKDB_NS = "https://www.akdb.de/request/2018/09"
NAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"

# The attributes the portal reads (the postbox reference, urn:oid:2.5.4.18, is not
# asked for: the portal has its own inbox).
BPK2 = "urn:oid:1.3.6.1.4.1.25484.494450.3"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
BIRTH_DATE = "urn:oid:1.2.40.0.10.2.1.1.55"
PLACE_OF_BIRTH = "urn:oid:1.3.6.1.5.5.7.9.2"
POSTAL_ADDRESS = "urn:oid:2.5.4.16"
POSTAL_CODE = "urn:oid:2.5.4.17"
LOCALITY = "urn:oid:2.5.4.7"
COUNTRY = "urn:oid:1.2.40.0.10.2.1.1.225599"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
QAA_LEVEL = "urn:oid:1.2.40.0.10.2.1.1.261.94"

#: Friendly names as BundID sends them, for the fake and simulated identity providers.
FRIENDLY_NAMES = {
    BPK2: "bPK2",
    GIVEN_NAME: "givenName",
    SURNAME: "surname",
    BIRTH_DATE: "birthdate",
    PLACE_OF_BIRTH: "placeOfBirth",
    POSTAL_ADDRESS: "postalAddress",
    POSTAL_CODE: "postalCode",
    LOCALITY: "localityName",
    COUNTRY: "country",
    MAIL: "mail",
    QAA_LEVEL: "EID-CITIZEN-QAA-LEVEL",
}
#: Asked for in every request; only the pseudonym and the level are required.
REQUESTED = {name: name in (BPK2, QAA_LEVEL) for name in FRIENDLY_NAMES}

LEVEL_1 = "STORK-QAA-Level-1"
LEVEL_2 = "STORK-QAA-Level-2"
LEVEL_3 = "STORK-QAA-Level-3"
LEVEL_4 = "STORK-QAA-Level-4"
#: Level of assurance → the portal's trust level. Levels 1 and 2: user name and
#: password; 3: ELSTER certificate ("substanziell"); 4: Online-Ausweis ("hoch").
TRUST_LEVEL = {LEVEL_1: "basic", LEVEL_2: "basic", LEVEL_3: "substantial", LEVEL_4: "high"}
#: The portal's trust level → the lowest level of assurance that gives it.
MINIMUM_LEVEL = {"basic": LEVEL_1, "substantial": LEVEL_3, "high": LEVEL_4}
#: The sign-in methods BundID offers for a trust level (``akdb:AuthnMethods``).
METHODS = {
    "basic": ("Benutzername", "Elster", "eID"),
    "substantial": ("Elster", "eID"),
    "high": ("eID",),
}
_ALL_METHODS = ("Benutzername", "Elster", "eID")


def authentication_request_extension(trust_level: str) -> str:
    """The ``akdb:AuthenticationRequest`` element for a request at ``trust_level``."""
    allowed = METHODS[trust_level]
    methods = "".join(
        f"<akdb:{name}><akdb:Enabled>{'true' if name in allowed else 'false'}</akdb:Enabled>"
        f"</akdb:{name}>"
        for name in _ALL_METHODS
    )
    attributes = "".join(
        f"<akdb:RequestedAttribute Name={quoteattr(name)} "
        f'RequiredAttribute="{"true" if required else "false"}"/>'
        for name, required in REQUESTED.items()
    )
    return (
        f'<akdb:AuthenticationRequest xmlns:akdb="{AKDB_NS}" Version="2">'
        f"<akdb:AuthnMethods>{methods}</akdb:AuthnMethods>"
        f"<akdb:RequestedAttributes>{attributes}</akdb:RequestedAttributes>"
        "</akdb:AuthenticationRequest>"
    )
