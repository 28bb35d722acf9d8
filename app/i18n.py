"""Message catalogues for every user-facing string the server produces.

Catalogues live in ``app/locales/<locale>/<namespace>.json``; each file holds a flat
mapping of keys (``"<namespace>.<name>"``) to text with ``{placeholder}`` fields.
German is the primary language; English is the fallback for other locales.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES = ("de", "en")
DEFAULT_LOCALE = "de"
_LOCALE_DIR = Path(__file__).parent / "locales"


@cache
def catalogue(locale: str) -> dict[str, str]:
    """Return the merged catalogue of one locale (all namespace files)."""
    merged: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / locale).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, text in data.items():
            if key in merged:
                raise ValueError(f"{path}: duplicate message key {key!r}")
            merged[key] = text
    return merged


def translate(key: str, locale: str = DEFAULT_LOCALE, **params: object) -> str:
    """Translate ``key`` into ``locale``, filling ``{placeholders}`` from ``params``.

    Unknown locales fall back to German; a key missing from a locale falls back to
    German, then to the key itself so a missing translation never breaks a response.
    """
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    text = catalogue(locale).get(key) or catalogue(DEFAULT_LOCALE).get(key) or key
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def negotiate(accept_language: str | None) -> str:
    """Pick ``de`` or ``en`` from an ``Accept-Language`` header (German by default)."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, tag.split("-")[0]))
    for negative_quality, _index, language in sorted(ranked):
        if negative_quality < 0 and language in LOCALES:
            return language
    return DEFAULT_LOCALE
