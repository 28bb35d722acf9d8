"""TR-03130 eID-Server interface: the SOAP messages useID and getResult.

The eService (the portal) asks the eID-Server for a session with ``useIDRequest``
(which data it wants: each operation REQUIRED or ALLOWED, omitted = PROHIBITED) and,
after the citizen used the card, fetches the data with ``getResultRequest``. Both
answers carry an OASIS DSS ``Result`` whose ResultMajor is ``…/resultmajor#ok`` or
``…/resultmajor#error`` with a ResultMinor naming the problem.

Both directions are implemented: the portal's SOAP client builds requests and parses
responses; the built-in simulator parses requests and builds responses. Parsing is
lenient about namespace prefixes and unknown extra elements (eID-Servers differ in
both) and strict about values the portal relies on.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

from app.eid import xmlsafe

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
EID_NS = "http://bsi.bund.de/eID/"
DSS_NS = "urn:oasis:names:tc:dss:1.0:core:schema"
XML_NS = "http://www.w3.org/XML/1998/namespace"

RESULT_MAJOR_OK = "http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok"
RESULT_MAJOR_ERROR = "http://www.bsi.bund.de/ecard/api/1.1/resultmajor#error"
MINOR = "http://www.bsi.bund.de/ecard/api/1.1/resultminor"
SERVER_MINOR = "http://www.bsi.bund.de/eid/server/2.0/resultminor"
# ResultMinor values used by this module and the simulator.
MINOR_INTERNAL_ERROR = f"{MINOR}/al/common#internalError"
MINOR_PARAMETER_ERROR = f"{MINOR}/al/common#parameterError"
MINOR_NO_PERMISSION = f"{MINOR}/al/common#noPermission"
MINOR_CANCELLED = f"{MINOR}/sal#cancellationByUser"
MINOR_WRONG_PIN = f"{MINOR}/sal#securityConditionNotSatisfied"
MINOR_INVALID_DOCUMENT = f"{SERVER_MINOR}/getResult#invalidDocument"
MINOR_NO_RESULT_YET = f"{SERVER_MINOR}/getResult#noResultYet"
MINOR_INVALID_SESSION = f"{SERVER_MINOR}/getResult#invalidSession"
MINOR_INVALID_COUNTER = f"{SERVER_MINOR}/getResult#invalidCounter"
MINOR_MISSING_ARGUMENT = f"{SERVER_MINOR}/useID#missingArgument"

SOAP_ACTION_USE_ID = "http://bsi.bund.de/eID/useID"
SOAP_ACTION_GET_RESULT = "http://bsi.bund.de/eID/getResult"

# The data an eService can ask for, in the order of the schema's OperationsRequestorType.
OPERATIONS = (
    "DocumentType",
    "IssuingState",
    "DateOfExpiry",
    "GivenNames",
    "FamilyNames",
    "ArtisticName",
    "AcademicTitle",
    "DateOfBirth",
    "PlaceOfBirth",
    "Nationality",
    "BirthName",
    "PlaceOfResidence",
    "CommunityID",
    "ResidencePermitI",
    "RestrictedID",
    "AgeVerification",
    "PlaceVerification",
)
REQUEST_CHOICES = ("REQUIRED", "ALLOWED", "PROHIBITED")
RESPONSE_CHOICES = ("ALLOWED", "PROHIBITED", "NOTONCHIP")
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_DATE_STRING = re.compile(r"^[0-9 ]{8}$")

for _prefix, _uri in (("soapenv", SOAP_ENV), ("eid", EID_NS), ("dss", DSS_NS)):
    ET.register_namespace(_prefix, _uri)


class MessageError(ValueError):
    """A message does not follow TR-03130 closely enough to be used."""


class SoapFault(Exception):
    """The other side answered with a SOAP fault instead of a response."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Result:
    """An OASIS DSS result as used by the eCard-API."""

    major: str
    minor: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.major == RESULT_MAJOR_OK

    @classmethod
    def success(cls) -> Result:
        return cls(RESULT_MAJOR_OK)

    @classmethod
    def error(cls, minor: str, message: str = "") -> Result:
        return cls(RESULT_MAJOR_ERROR, minor, message)


@dataclass(frozen=True)
class Psk:
    id: str
    key: str


@dataclass(frozen=True)
class UseIdRequest:
    """Which data the eService wants: operation name to REQUIRED or ALLOWED."""

    operations: dict[str, str]


@dataclass(frozen=True)
class UseIdResponse:
    result: Result
    session_id: str = ""
    server_address: str = ""
    psk: Psk | None = None


@dataclass(frozen=True)
class GetResultRequest:
    session_id: str
    counter: int


@dataclass(frozen=True)
class GeneralDate:
    """A date from the card: ``YYYYMMDD`` with spaces where a part is unknown."""

    date_string: str
    date_value: date | None = None

    @classmethod
    def of(cls, value: date) -> GeneralDate:
        return cls(value.strftime("%Y%m%d"), value)


@dataclass(frozen=True)
class Place:
    """A place from the card: structured, free text, or explicitly none."""

    street: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    zip_code: str = ""
    freetext: str = ""
    no_place_info: str = ""

    @property
    def structured(self) -> bool:
        return bool(self.city or self.street or self.zip_code)


@dataclass(frozen=True)
class PersonalData:
    """What the eID-Server read from the card (fields the citizen did not release stay empty)."""

    restricted_id: str = ""
    restricted_id2: str = ""
    document_type: str = ""
    issuing_state: str = ""
    date_of_expiry: date | None = None
    given_names: str = ""
    family_names: str = ""
    artistic_name: str = ""
    academic_title: str = ""
    date_of_birth: GeneralDate | None = None
    place_of_birth: Place | None = None
    nationality: str = ""
    birth_name: str = ""
    place_of_residence: Place | None = None


@dataclass(frozen=True)
class GetResultResponse:
    result: Result
    personal_data: PersonalData | None = None
    operations_allowed: dict[str, str] = field(default_factory=dict)


# --- building -------------------------------------------------------------------------


def _q(name: str, namespace: str = EID_NS) -> str:
    return f"{{{namespace}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def _envelope(body_child: ET.Element) -> bytes:
    envelope = ET.Element(_q("Envelope", SOAP_ENV))
    ET.SubElement(envelope, _q("Header", SOAP_ENV))
    ET.SubElement(envelope, _q("Body", SOAP_ENV)).append(body_child)
    return xmlsafe.to_bytes(envelope)


def _result_element(result: Result) -> ET.Element:
    element = ET.Element(_q("Result", DSS_NS))
    ET.SubElement(element, _q("ResultMajor", DSS_NS)).text = result.major
    if result.minor:
        ET.SubElement(element, _q("ResultMinor", DSS_NS)).text = result.minor
    if result.message:
        message = ET.SubElement(element, _q("ResultMessage", DSS_NS))
        message.set(_q("lang", XML_NS), "en")
        message.text = result.message
    return element


def build_use_id_request(request: UseIdRequest) -> bytes:
    """The SOAP request asking for a session with the given operations."""
    unknown = set(request.operations) - set(OPERATIONS)
    if unknown:
        raise MessageError(f"unknown operations: {', '.join(sorted(unknown))}")
    body = ET.Element(_q("useIDRequest"))
    operations = _sub(body, "UseOperations")
    for name in OPERATIONS:
        choice = request.operations.get(name)
        if choice is None or choice == "PROHIBITED":
            continue
        if choice not in REQUEST_CHOICES:
            raise MessageError(f"{name}: {choice!r} is not REQUIRED or ALLOWED")
        _sub(operations, name, choice)
    return _envelope(body)


def build_use_id_response(response: UseIdResponse) -> bytes:
    body = ET.Element(_q("useIDResponse"))
    if response.session_id:
        _sub(_sub(body, "Session"), "ID", response.session_id)
    if response.server_address:
        _sub(body, "eCardServerAddress", response.server_address)
    if response.psk is not None:
        psk = _sub(body, "PSK")
        _sub(psk, "ID", response.psk.id)
        _sub(psk, "Key", response.psk.key)
    body.append(_result_element(response.result))
    return _envelope(body)


def build_get_result_request(request: GetResultRequest) -> bytes:
    body = ET.Element(_q("getResultRequest"))
    _sub(_sub(body, "Session"), "ID", request.session_id)
    _sub(body, "RequestCounter", str(request.counter))
    return _envelope(body)


def _place_element(parent: ET.Element, name: str, place: Place) -> None:
    element = _sub(parent, name)
    if place.structured:
        structured = _sub(element, "StructuredPlace")
        for tag, value in (
            ("Street", place.street),
            ("City", place.city),
            ("State", place.state),
            ("Country", place.country),
            ("ZipCode", place.zip_code),
        ):
            if value or tag in ("City", "Country"):
                _sub(structured, tag, value)
    elif place.freetext:
        _sub(element, "FreetextPlace", place.freetext)
    else:
        _sub(element, "NoPlaceInfo", place.no_place_info or "no place info")


def build_get_result_response(response: GetResultResponse) -> bytes:
    body = ET.Element(_q("getResultResponse"))
    data = response.personal_data
    if data is not None:
        element = _sub(body, "PersonalData")
        for tag, value in (
            ("DocumentType", data.document_type),
            ("IssuingState", data.issuing_state),
            ("DateOfExpiry", data.date_of_expiry.isoformat() if data.date_of_expiry else ""),
            ("GivenNames", data.given_names),
            ("FamilyNames", data.family_names),
            ("ArtisticName", data.artistic_name),
            ("AcademicTitle", data.academic_title),
        ):
            if value:
                _sub(element, tag, value)
        if data.date_of_birth is not None:
            born = _sub(element, "DateOfBirth")
            _sub(born, "DateString", data.date_of_birth.date_string)
            if data.date_of_birth.date_value is not None:
                _sub(born, "DateValue", data.date_of_birth.date_value.isoformat())
        if data.place_of_birth is not None:
            _place_element(element, "PlaceOfBirth", data.place_of_birth)
        for tag, value in (("Nationality", data.nationality), ("BirthName", data.birth_name)):
            if value:
                _sub(element, tag, value)
        if data.place_of_residence is not None:
            _place_element(element, "PlaceOfResidence", data.place_of_residence)
        if data.restricted_id:
            restricted = _sub(element, "RestrictedID")
            _sub(restricted, "ID", data.restricted_id)
            if data.restricted_id2:
                _sub(restricted, "ID2", data.restricted_id2)
    if response.operations_allowed:
        allowed = _sub(body, "OperationsAllowedByUser")
        for name in OPERATIONS:
            if name in response.operations_allowed:
                _sub(allowed, name, response.operations_allowed[name])
    body.append(_result_element(response.result))
    return _envelope(body)


def build_fault(code: str, message: str) -> bytes:
    """A SOAP 1.1 fault (``code`` is ``Client`` or ``Server``)."""
    fault = ET.Element(_q("Fault", SOAP_ENV))
    ET.SubElement(fault, "faultcode").text = f"soapenv:{code}"
    ET.SubElement(fault, "faultstring").text = message
    return _envelope(fault)


# --- parsing --------------------------------------------------------------------------


def body_of(data: bytes | str) -> ET.Element:
    """The element inside the SOAP Body; a fault is raised as :class:`SoapFault`."""
    try:
        envelope = xmlsafe.parse(data)
    except xmlsafe.XmlError as exc:
        raise MessageError(str(exc)) from exc
    if envelope.tag != _q("Envelope", SOAP_ENV):
        raise MessageError("not a SOAP 1.1 envelope")
    body = xmlsafe.child(envelope, "Body")
    content = next(iter(body), None) if body is not None else None
    if content is None:
        raise MessageError("empty SOAP body")
    if content.tag == _q("Fault", SOAP_ENV):
        raise SoapFault(
            xmlsafe.text(content, "faultcode") or "", xmlsafe.text(content, "faultstring") or ""
        )
    return content


def operation(data: bytes | str) -> tuple[str, ET.Element]:
    """The request's operation (``useIDRequest`` or ``getResultRequest``) and its element."""
    content = body_of(data)
    if xmlsafe.namespace(content.tag) != EID_NS:
        raise MessageError(f"body element is not in the eID namespace {EID_NS}")
    return xmlsafe.local(content.tag), content


def _expect(content: ET.Element, name: str) -> ET.Element:
    if content.tag != _q(name):
        raise MessageError(f"expected {name}, got {xmlsafe.local(content.tag)}")
    return content


def _result(content: ET.Element) -> Result:
    element = xmlsafe.child(content, "Result")
    if element is None:
        raise MessageError("Result is missing")
    major = xmlsafe.text(element, "ResultMajor") or ""
    if major not in (RESULT_MAJOR_OK, RESULT_MAJOR_ERROR):
        # warnings and unknown values are not a success
        return Result(major or RESULT_MAJOR_ERROR, xmlsafe.text(element, "ResultMinor") or "")
    return Result(
        major,
        xmlsafe.text(element, "ResultMinor") or "",
        xmlsafe.text(element, "ResultMessage") or "",
    )


def parse_use_id_request(data: bytes | str) -> UseIdRequest:
    content = _expect(body_of(data), "useIDRequest")
    operations_element = xmlsafe.child(content, "UseOperations")
    if operations_element is None:
        raise MessageError("UseOperations is missing")
    operations: dict[str, str] = {}
    for element in operations_element:
        name, choice = xmlsafe.local(element.tag), (element.text or "").strip()
        if name not in OPERATIONS or choice not in REQUEST_CHOICES:
            raise MessageError(f"bad operation {name}={choice!r}")
        operations[name] = choice
    return UseIdRequest(operations)


def parse_use_id_response(data: bytes | str) -> UseIdResponse:
    content = _expect(body_of(data), "useIDResponse")
    result = _result(content)
    if not result.ok:
        return UseIdResponse(result)
    session_id = xmlsafe.text(xmlsafe.child(content, "Session"), "ID") or ""
    psk_element = xmlsafe.child(content, "PSK")
    psk = None
    if psk_element is not None:
        psk = Psk(xmlsafe.text(psk_element, "ID") or "", xmlsafe.text(psk_element, "Key") or "")
        if not psk.key or not _HEX.match(psk.key) or len(psk.key) % 2:
            raise MessageError("PSK Key must be hexadecimal with an even number of digits")
    if not session_id:
        raise MessageError("Session/ID is missing")
    return UseIdResponse(
        result,
        session_id=session_id,
        server_address=xmlsafe.text(content, "eCardServerAddress") or "",
        psk=psk,
    )


def parse_get_result_request(data: bytes | str) -> GetResultRequest:
    content = _expect(body_of(data), "getResultRequest")
    session_id = xmlsafe.text(xmlsafe.child(content, "Session"), "ID") or ""
    counter = xmlsafe.text(content, "RequestCounter") or ""
    if not session_id or not counter.isdigit():
        raise MessageError("Session/ID and RequestCounter are required")
    return GetResultRequest(session_id, int(counter))


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise MessageError(f"not a date: {value!r}") from exc


def _general_date(element: ET.Element | None) -> GeneralDate | None:
    if element is None:
        return None
    date_element = xmlsafe.child(element, "DateString")
    if date_element is None:
        raise MessageError("DateString is missing")
    # Spaces are meaningful (they mark unknown parts); only line breaks and tabs go.
    date_string = (date_element.text or "").strip("\r\n\t")
    if not _DATE_STRING.match(date_string):
        raise MessageError(f"DateString must be 8 digits or spaces, got {date_string!r}")
    value = _date(xmlsafe.text(element, "DateValue"))
    if value is None and date_string.isdigit():
        try:
            value = date(int(date_string[:4]), int(date_string[4:6]), int(date_string[6:]))
        except ValueError:
            value = None
    return GeneralDate(date_string, value)


def _place(element: ET.Element | None) -> Place | None:
    if element is None:
        return None
    structured = xmlsafe.child(element, "StructuredPlace")
    if structured is not None:
        return Place(
            street=xmlsafe.text(structured, "Street") or "",
            city=xmlsafe.text(structured, "City") or "",
            state=xmlsafe.text(structured, "State") or "",
            country=xmlsafe.text(structured, "Country") or "",
            zip_code=xmlsafe.text(structured, "ZipCode") or "",
        )
    freetext = xmlsafe.text(element, "FreetextPlace")
    if freetext is not None:
        return Place(freetext=freetext)
    return Place(no_place_info=xmlsafe.text(element, "NoPlaceInfo") or "no place info")


def parse_get_result_response(data: bytes | str) -> GetResultResponse:
    content = _expect(body_of(data), "getResultResponse")
    result = _result(content)
    allowed: dict[str, str] = {}
    allowed_element = xmlsafe.child(content, "OperationsAllowedByUser")
    for element in allowed_element if allowed_element is not None else ():
        choice = (element.text or "").strip()
        if choice in RESPONSE_CHOICES:
            allowed[xmlsafe.local(element.tag)] = choice
    if not result.ok:
        return GetResultResponse(result, None, allowed)
    element = xmlsafe.child(content, "PersonalData")
    if element is None:
        raise MessageError("PersonalData is missing from a successful result")
    restricted = xmlsafe.child(element, "RestrictedID")
    restricted_id = xmlsafe.text(restricted, "ID") or ""
    if restricted_id and (not _HEX.match(restricted_id) or len(restricted_id) % 2):
        raise MessageError("RestrictedID/ID must be hexBinary")

    def value(name: str) -> str:
        return xmlsafe.text(element, name) or ""

    data = PersonalData(
        restricted_id=restricted_id.lower(),
        restricted_id2=(xmlsafe.text(restricted, "ID2") or "").lower(),
        document_type=value("DocumentType"),
        issuing_state=value("IssuingState"),
        date_of_expiry=_date(value("DateOfExpiry")),
        given_names=value("GivenNames"),
        family_names=value("FamilyNames"),
        artistic_name=value("ArtisticName"),
        academic_title=value("AcademicTitle"),
        date_of_birth=_general_date(xmlsafe.child(element, "DateOfBirth")),
        place_of_birth=_place(xmlsafe.child(element, "PlaceOfBirth")),
        nationality=value("Nationality"),
        birth_name=value("BirthName"),
        place_of_residence=_place(xmlsafe.child(element, "PlaceOfResidence")),
    )
    return GetResultResponse(result, data, allowed)
