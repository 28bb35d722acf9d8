"""Field types: which options each type accepts and how an answer of that type is cleaned.

A cleaner takes the field definition, the raw (non-empty) answer, the answer's path and
a context, and returns ``(value, issues)``: the normalised value when ``issues`` is
empty. Repeat groups hold other fields and are handled by ``validation``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

from app.service_definitions import relative_dates
from app.service_definitions.errors import Issue, issue
from app.service_definitions.plates import normalise_plate
from app.service_definitions.streets import StreetDirectory, find_street, parse_house_number

COMMON_OPTIONS = frozenset({"id", "type", "label", "hint", "required", "visible_if", "prefill"})

# Options each type accepts besides the common ones; anything else is a definition error.
OPTIONS_BY_TYPE: dict[str, frozenset[str]] = {
    "text": frozenset({"min_length", "max_length", "pattern", "pattern_message"}),
    "textarea": frozenset({"min_length", "max_length"}),
    "number": frozenset({"min", "max", "integer"}),
    "date": frozenset({"min_date", "max_date"}),
    "select": frozenset({"options"}),
    "radio": frozenset({"options"}),
    "checkbox": frozenset(),
    "email": frozenset(),
    "phone": frozenset(),
    "iban": frozenset({"countries"}),
    "licence_plate": frozenset(),
    "address": frozenset({"scope"}),
    "file": frozenset({"accept", "max_size_bytes", "max_count"}),
    "repeat": frozenset({"min_items", "max_items", "item_label", "fields"}),
}

# Which field types a profile attribute may prefill.
PREFILL_TYPES = {
    "profile.given_names": "text",
    "profile.family_name": "text",
    "profile.birth_date": "date",
    "profile.email": "email",
    "profile.phone": "phone",
    "profile.address": "address",
    # What the bound ID card says (normal case), for services that state the card's data.
    "eid.given_names": "text",
    "eid.family_name": "text",
    "eid.birth_date": "date",
    "eid.address": "address",
}

DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000}
_ADDRESS_PART_MAX = 100

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?\d{1,15}(?:[.,]\d{1,10})?$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()/\-]+$")
_POSTAL_CODE = re.compile(r"^[0-9]{5}$")


@dataclass(frozen=True)
class Context:
    """What cleaning needs besides the answer: the current date and the street directory."""

    today: date
    directory: StreetDirectory


Cleaner = Callable[[dict[str, Any], Any, str, Context], tuple[Any, list[Issue]]]


def is_empty(value: Any) -> bool:
    """Tell whether an answer counts as not given.

    Not given are ``None``, blank text, an empty list and an object whose parts are all
    not given (an address form left blank sends ``{"street": "", "house_number": ""}``).
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        return all(is_empty(part) for part in value.values())
    return False


def missing(field: dict[str, Any], path: str) -> list[Issue]:
    """The problems of a required field left empty.

    A checkbox must be ticked; an address names each part to fill in, so the message
    sits at the input the citizen has to use.
    """
    if field["type"] == "checkbox":
        return [issue(path, "must_accept")]
    if field["type"] == "address":
        parts = ["street", "house_number"]
        if field.get("scope", "city") == "any":
            parts += ["postal_code", "city"]
        return [issue(f"{path}.{part}", "required") for part in parts]
    return [issue(path, "required")]


def single_line(text: str) -> str:
    """Normalise one-line text: NFC, no control characters, single spaces, trimmed."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    return _WHITESPACE.sub(" ", text).strip()


def _multi_line(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _check_text(field: dict[str, Any], text: str, path: str) -> tuple[Any, list[Issue]]:
    min_length = field.get("min_length")
    max_length = field.get("max_length", DEFAULT_MAX_LENGTH[field["type"]])
    if min_length is not None and len(text) < min_length:
        return None, [issue(path, "text.too_short", min_length=min_length)]
    if len(text) > max_length:
        return None, [issue(path, "text.too_long", max_length=max_length)]
    pattern = field.get("pattern")
    if pattern is not None and re.fullmatch(pattern, text) is None:
        return None, [Issue(path, "text.pattern", {}, field.get("pattern_message"))]
    return text, []


def clean_text(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """One line of text: whitespace collapsed, length and pattern checked."""
    if not isinstance(value, str):
        return None, [issue(path, "invalid_value")]
    return _check_text(field, single_line(value), path)


def clean_textarea(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Several lines of text: line breaks kept, length checked."""
    if not isinstance(value, str):
        return None, [issue(path, "invalid_value")]
    return _check_text(field, _multi_line(value), path)


def clean_number(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """A number, also as text with a decimal comma; whole numbers unless ``integer: false``."""
    number: float | int
    if isinstance(value, bool):
        return None, [issue(path, "number.invalid")]
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        text = value.strip().replace(",", ".")
        number = float(text) if "." in text else int(text)
    else:
        return None, [issue(path, "number.invalid")]
    if isinstance(number, float) and not math.isfinite(number):
        return None, [issue(path, "number.invalid")]
    if field.get("integer", True):
        if number != int(number):
            return None, [issue(path, "number.not_integer")]
        number = int(number)
    if "min" in field and number < field["min"]:
        return None, [issue(path, "number.too_small", min=field["min"])]
    if "max" in field and number > field["max"]:
        return None, [issue(path, "number.too_large", max=field["max"])]
    return number, []


def parse_date(value: Any) -> date | None:
    """Read ``YYYY-MM-DD`` (what date inputs send) or ``TT.MM.JJJJ``; ``None`` otherwise."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        match = _GERMAN_DATE.match(text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None


def clean_date(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """A calendar date within ``min_date``/``max_date`` (relative to today); stored as ISO."""
    day = parse_date(value)
    if day is None:
        return None, [issue(path, "date.invalid")]
    if "min_date" in field:
        bound = relative_dates.resolve(field["min_date"], ctx.today)
        if day < bound:
            return None, [issue(path, "date.too_early", min_date=bound.isoformat())]
    if "max_date" in field:
        bound = relative_dates.resolve(field["max_date"], ctx.today)
        if day > bound:
            return None, [issue(path, "date.too_late", max_date=bound.isoformat())]
    return day.isoformat(), []


def clean_option(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """One of the field's option values (select and radio)."""
    if isinstance(value, str) and value in {option["value"] for option in field["options"]}:
        return value, []
    return None, [issue(path, "option.invalid")]


def clean_checkbox(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """``true`` or ``false`` (also as the strings forms send)."""
    if isinstance(value, bool):
        return value, []
    if value in ("true", "false"):
        return value == "true", []
    return None, [issue(path, "invalid_value")]


def clean_email(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """An e-mail address; the domain is lower-cased (the local part is the owner's)."""
    if not isinstance(value, str):
        return None, [issue(path, "email.invalid")]
    text = value.strip()
    if len(text) > 254 or not _EMAIL.match(text):
        return None, [issue(path, "email.invalid")]
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}", []


def clean_phone(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """A phone number as people write it (``02421 25-0``, ``+49 2421 250``)."""
    if not isinstance(value, str):
        return None, [issue(path, "phone.invalid")]
    text = single_line(value)
    digits = re.sub(r"\D", "", text)
    if not _PHONE.match(text) or not 5 <= len(digits) <= 15 or text[0] not in "+0(":
        return None, [issue(path, "phone.invalid")]
    return text, []


def clean_iban(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """An IBAN with a valid checksum, stored compact; SEPA only unless ``countries`` says."""
    if not isinstance(value, str):
        return None, [issue(path, "iban.invalid")]
    compact = re.sub(r"[\s\-]", "", value).upper()
    try:
        iban = IBAN(compact)
    except InvalidChecksumDigits:
        return None, [issue(path, "iban.checksum")]
    except SchwiftyException:
        return None, [issue(path, "iban.invalid")]
    countries = field.get("countries")
    if countries and iban.country_code not in countries:
        return None, [
            issue(
                path, "iban.country_not_allowed", country=iban.country_code, allowed=list(countries)
            )
        ]
    if not countries and not iban.in_sepa_zone:
        return None, [issue(path, "iban.not_sepa")]
    return iban.compact, []


def clean_licence_plate(
    field: dict[str, Any], value: Any, path: str, ctx: Context
) -> tuple[Any, list]:
    """A German licence plate, stored as ``DN-AB 123`` (see ``plates``)."""
    if not isinstance(value, str):
        return None, [issue(path, "licence_plate.invalid")]
    plate, code = normalise_plate(value)
    if code is not None:
        return None, [issue(path, code)]
    return plate, []


def clean_address(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Street and house number; ``scope: city`` (default) checks them against the directory."""
    if not isinstance(value, dict):
        return None, [issue(path, "address.invalid")]
    street = value.get("street")
    number = value.get("house_number")
    issues = []
    if is_empty(street) or not isinstance(street, str):
        issues.append(issue(f"{path}.street", "required"))
    if is_empty(number) or not isinstance(number, str | int) or isinstance(number, bool):
        issues.append(issue(f"{path}.house_number", "required"))
    if field.get("scope", "city") == "any":
        return _clean_any_address(value, path, issues)
    if issues:
        return None, issues
    known = find_street(street, ctx.directory)
    if known is None:
        city = ctx.directory.city
        return None, [issue(f"{path}.street", "address.street_unknown", street=street, city=city)]
    parsed = parse_house_number(number)
    if parsed is None:
        return None, [issue(f"{path}.house_number", "address.house_number_invalid")]
    number_range = known.range_for(parsed[0])
    if number_range is None:
        house_number = f"{parsed[0]}{parsed[1]}"
        return None, [
            issue(
                f"{path}.house_number",
                "address.house_number_out_of_range",
                street=known.name,
                house_number=house_number,
            )
        ]
    return {
        "street": known.name,
        "house_number": f"{parsed[0]}{parsed[1]}",
        "postal_code": known.postal_code,
        "city": ctx.directory.city,
        "parking_zone": number_range.zone,
    }, []


def _clean_any_address(
    value: dict[str, Any], path: str, issues: list[Issue]
) -> tuple[Any, list[Issue]]:
    # Addresses outside the city (a previous owner's) cannot be checked against a
    # directory; German postal codes still have a fixed shape.
    postal_code = value.get("postal_code")
    city = value.get("city")
    if is_empty(postal_code):
        issues.append(issue(f"{path}.postal_code", "required"))
    elif not isinstance(postal_code, str) or not _POSTAL_CODE.match(postal_code.strip()):
        issues.append(issue(f"{path}.postal_code", "address.postal_code_invalid"))
    if is_empty(city) or not isinstance(city, str):
        issues.append(issue(f"{path}.city", "required"))
    if issues:
        return None, issues
    parts = {
        "street": single_line(value["street"]),
        "house_number": single_line(str(value["house_number"])),
        "postal_code": postal_code.strip(),
        "city": single_line(city),
    }
    for name, text in parts.items():
        if len(text) > _ADDRESS_PART_MAX:
            issues.append(issue(f"{path}.{name}", "text.too_long", max_length=_ADDRESS_PART_MAX))
    return (None, issues) if issues else (parts, [])


def clean_file(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Metadata of uploaded files: count, content type and size within the field's limits.

    The upload itself (content sniffing, storage) is checked where it is received; the
    answer only refers to it by ``upload_id``.
    """
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list):
        return None, [issue(path, "file.invalid")]
    max_count = field.get("max_count", 1)
    if len(items) > max_count:
        return None, [issue(path, "file.too_many", max_count=max_count)]
    cleaned = []
    issues = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if not _is_upload(item):
            issues.append(issue(item_path, "file.invalid"))
            continue
        if not _accepts(field["accept"], item["content_type"]):
            issues.append(issue(item_path, "file.content_type", allowed=list(field["accept"])))
        elif item["size"] > field["max_size_bytes"]:
            size_mb = round(field["max_size_bytes"] / (1024 * 1024), 1)
            issues.append(issue(item_path, "file.too_large", max_size_mb=size_mb))
        else:
            cleaned.append(
                {key: item[key] for key in ("upload_id", "filename", "content_type", "size")}
            )
    return (None, issues) if issues else (cleaned, [])


def _is_upload(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("upload_id"), str)
        and bool(item["upload_id"])
        and isinstance(item.get("filename"), str)
        and isinstance(item.get("content_type"), str)
        and isinstance(item.get("size"), int)
        and not isinstance(item["size"], bool)
        and item["size"] >= 0
    )


def _accepts(accepted: list[str], content_type: str) -> bool:
    content_type = content_type.split(";")[0].strip().lower()
    major = content_type.split("/")[0]
    return any(pattern in (content_type, f"{major}/*") for pattern in accepted)


CLEANERS: dict[str, Cleaner] = {
    "text": clean_text,
    "textarea": clean_textarea,
    "number": clean_number,
    "date": clean_date,
    "select": clean_option,
    "radio": clean_option,
    "checkbox": clean_checkbox,
    "email": clean_email,
    "phone": clean_phone,
    "iban": clean_iban,
    "licence_plate": clean_licence_plate,
    "address": clean_address,
    "file": clean_file,
}
