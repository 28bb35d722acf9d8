"""Reference numbers people can read aloud: 8 characters, no 0/O/1/I, last one a check.

The check character (weighted sum modulo 32) catches a single wrong or two swapped
characters when a citizen reads the reference over the phone.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8


def _check_char(body: str) -> str:
    total = sum((index + 1) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_reference() -> str:
    """A random reference with its check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH - 1))
    return body + _check_char(body)


def normalise(text: str) -> str | None:
    """Clean up a typed reference (spaces, dashes, lower case, O→0-free look-alikes).

    Returns None when it cannot be a reference, so look-ups never hit the database
    for obvious typos.
    """
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1")
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    if _check_char(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def display(reference: str) -> str:
    """The reference in two groups of four, as printed: ``K7P4 9QX2``."""
    return f"{reference[:4]} {reference[4:]}"
