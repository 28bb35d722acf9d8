"""What makes one language's catalogue complete against the German one, shared by the
checks of the server's catalogues (tests/app/test_i18n.py) and the PWA's
(tests/pwa/test_catalogues.py).

A catalogue is complete when it holds every German text (no key missing), nothing
German lacks (no stale key), the same ``{placeholders}`` per text (but the city's own),
and for every text German writes with plural forms, the forms of the language's own CLDR categories
(``key_one``, ``key_few``, …; the bare key is "other").
"""

from __future__ import annotations

import re
import string

from babel import Locale

CATEGORIES = ("zero", "one", "two", "few", "many")
PLURAL = re.compile(r"^(.+)_(zero|one|two|few|many)$")


def placeholders(text: object) -> set[str]:
    """The ``{names}`` a text fills in from its caller. The city's ``{city…}`` names are
    left out: every text may use them (the active city package fills them in), and a
    language may name the city differently ("Stadt Düren", "City of Düren")."""
    if not isinstance(text, str):
        return set()
    return {
        name
        for _, name, _, _ in string.Formatter().parse(text)
        if name and not name.startswith("city")
    }


def plural_categories(language: str) -> set[str]:
    """The CLDR categories a language needs besides "other" (the bare key)."""
    return set(Locale.parse(language).plural_form.tags) - {"other"}


def base_key(key: str, keys: set[str] | dict[str, object]) -> str | None:
    """The general text a plural form belongs to, or None when ``key`` is no plural form."""
    match = PLURAL.match(key)
    if match and match.group(1) in keys:
        return match.group(1)
    return None


def problems(german: dict[str, object], other: dict[str, object], language: str) -> list[str]:
    """Everything that keeps ``other`` (in ``language``) from matching ``german``."""
    found: list[str] = []
    plain = {key for key in german if base_key(key, german) is None}
    with_plurals = {base_key(key, german) for key in german} - {None}
    needed = plural_categories(language)
    for key in sorted(plain):
        if key not in other:
            found.append(f"missing: {key}")
        elif placeholders(other[key]) != placeholders(german[key]):
            found.append(
                f"placeholders of {key}: {sorted(placeholders(other[key]))}"
                f" instead of {sorted(placeholders(german[key]))}"
            )
    for key in sorted(with_plurals):
        for category in sorted(needed):
            if f"{key}_{category}" not in other:
                found.append(f"missing plural form: {key}_{category}")
    for key in sorted(other):
        base = base_key(key, other)
        if base is None:
            if key not in german:
                found.append(f"stale (German has no such text): {key}")
            continue
        category = PLURAL.match(key).group(2)
        if category not in needed:
            found.append(f"stale plural form ({language} has no {category!r}): {key}")
        allowed = placeholders(german.get(base)) | {"count"}
        if not placeholders(other[key]) <= allowed:
            found.append(f"placeholders of {key}: {sorted(placeholders(other[key]))}")
    return found
