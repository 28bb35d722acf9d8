"""``email`` and ``phone``: how people reach the applicant, in a normal form."""

from __future__ import annotations

import re
from typing import Any

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import (
    TEXT_OPERATORS,
    Context,
    FieldType,
    operators_for,
    single_line,
)

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()/\-]+$")


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


EMAIL = FieldType(
    name="email",
    options={},
    cleaner=clean_email,
    answer_schema=lambda field: {"type": "string", "format": "email", "maxLength": 254},
    prefill_sources=("profile.email",),
    condition_check=operators_for(TEXT_OPERATORS),
)

PHONE = FieldType(
    name="phone",
    options={},
    cleaner=clean_phone,
    answer_schema=lambda field: {"type": "string", "pattern": r"^[+0(][0-9 ()/\-]*$"},
    prefill_sources=("profile.phone",),
    condition_check=operators_for(TEXT_OPERATORS),
)
