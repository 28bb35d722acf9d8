"""``iban``: a bank account with a valid checksum, SEPA only unless ``countries`` says."""

from __future__ import annotations

import re
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import Context, FieldType


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


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    if isinstance(value, str) and len(value) > 8:
        # Documents travel (print, mail): show only enough to recognise the account.
        return f"{value[:4]} •••• {value[-4:]}"
    return str(value)


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    countries = field.get("countries")
    prefix = f"({'|'.join(countries)})" if countries else "[A-Z]{2}"
    return {"type": "string", "pattern": f"^{prefix}[0-9]{{2}}[A-Z0-9]{{11,30}}$"}


IBAN_FIELD = FieldType(
    name="iban",
    options={
        "countries": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
        }
    },
    cleaner=clean_iban,
    answer_schema=_answer_schema,
    display=_display,
)
