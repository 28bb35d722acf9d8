"""Kassenzeichen (cash reference numbers) for payments that have none of their own.

Notices carry the Kassenzeichen the finance system gave them. Applications get one
generated here: the configured prefix, the payment's number (8 digits) and a Luhn check
digit, e.g. ``9000001234`` + ``7``. A typo in a transfer reference is then caught by the
treasury's matching. Cities whose finance system issues Kassenzeichen should pass them in
the payable instead.
"""

from __future__ import annotations

import re

KASSENZEICHEN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./\-]{0,23}$")


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_valid_generated(value: str) -> bool:
    """True when ``value`` ends in the right Luhn digit (for generated ones)."""
    return value.isdigit() and len(value) > 1 and luhn_digit(value[:-1]) == value[-1]


def generate(prefix: str, number: int) -> str:
    """A Kassenzeichen for payment ``number``."""
    body = re.sub(r"\D", "", prefix or "") + f"{number:08d}"
    return body + luhn_digit(body)
