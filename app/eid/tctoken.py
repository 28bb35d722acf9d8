"""The TCToken (BSI TR-03124-1): what the AusweisApp fetches from the tcTokenURL.

It tells the eID-Client where the eID-Server is (ServerAddress), which session to use
(SessionIdentifier) with which pre-shared key for TLS-PSK (PathSecurity-Parameters),
and where to send the browser afterwards (RefreshAddress, or CommunicationErrorAddress
when the eID-Server cannot be reached).

:func:`validate` applies the rules the AusweisApp applies before it starts, so a token
we would hand out broken fails in our tests instead of on a citizen's phone.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.eid import xmlsafe

BINDING_PAOS = "urn:liberty:paos:2006-08"
PATH_SECURITY_PSK = "urn:ietf:rfc:4279"
CONTENT_TYPE = "text/xml; charset=utf-8"
_HEX = re.compile(r"^[0-9A-Fa-f]*$")


class TcTokenError(ValueError):
    """The TCToken breaks a rule; ``problems`` names every broken rule."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TcToken:
    server_address: str
    session_identifier: str
    refresh_address: str
    communication_error_address: str
    psk: str
    binding: str = BINDING_PAOS
    path_security_protocol: str = PATH_SECURITY_PSK


def build(token: TcToken) -> bytes:
    """The TCToken as XML (root ``TCTokenType``, no namespace, as the AusweisApp expects)."""
    root = ET.Element("TCTokenType")
    for name, value in (
        ("ServerAddress", token.server_address),
        ("SessionIdentifier", token.session_identifier),
        ("RefreshAddress", token.refresh_address),
        ("CommunicationErrorAddress", token.communication_error_address),
        ("Binding", token.binding),
        ("PathSecurity-Protocol", token.path_security_protocol),
    ):
        ET.SubElement(root, name).text = value
    parameters = ET.SubElement(root, "PathSecurity-Parameters")
    ET.SubElement(parameters, "PSK").text = token.psk
    return xmlsafe.to_bytes(root)


def parse(data: bytes | str) -> TcToken:
    """Read a TCToken; missing elements become empty strings (``validate`` objects)."""
    root = xmlsafe.parse(data)
    if xmlsafe.local(root.tag) != "TCTokenType":
        raise TcTokenError([f"root element is {xmlsafe.local(root.tag)!r}, not 'TCTokenType'"])

    def value(name: str) -> str:
        found = xmlsafe.descendant(root, name)
        return (found.text or "").strip() if found is not None else ""

    return TcToken(
        server_address=value("ServerAddress"),
        session_identifier=value("SessionIdentifier"),
        refresh_address=value("RefreshAddress"),
        communication_error_address=value("CommunicationErrorAddress"),
        psk=value("PSK"),
        binding=value("Binding"),
        path_security_protocol=value("PathSecurity-Protocol"),
    )


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def problems(token: TcToken, test_mode: bool = False) -> list[str]:
    """Every rule ``token`` breaks (empty when the AusweisApp would accept it).

    Outside test mode every address must be https; in test mode (the simulator, or an
    AusweisApp in developer mode against a test eID-Server) plain http is allowed.
    """
    found: list[str] = []
    if token.binding != BINDING_PAOS:
        found.append(f"Binding must be {BINDING_PAOS}")
    if token.path_security_protocol and token.path_security_protocol != PATH_SECURITY_PSK:
        found.append(f"PathSecurity-Protocol must be {PATH_SECURITY_PSK}")
    if token.path_security_protocol and not token.psk:
        found.append("PSK is missing although PathSecurity-Protocol is TLS-PSK")
    if not _HEX.match(token.psk) or len(token.psk) % 2:
        found.append("PSK must be hexadecimal with an even number of digits")
    if not token.session_identifier:
        found.append("SessionIdentifier is missing")
    for name, address, required in (
        ("ServerAddress", token.server_address, True),
        ("RefreshAddress", token.refresh_address, True),
        ("CommunicationErrorAddress", token.communication_error_address, False),
    ):
        if not address:
            if required:
                found.append(f"{name} is missing")
            continue
        if not _is_url(address):
            found.append(f"{name} is not an absolute URL")
        elif not test_mode and urlsplit(address).scheme != "https":
            found.append(f"{name} must be an https:// address")
    return found


def validate(token: TcToken, test_mode: bool = False) -> TcToken:
    """Return ``token`` unchanged, or raise :class:`TcTokenError` naming every problem."""
    found = problems(token, test_mode)
    if found:
        raise TcTokenError(found)
    return token
