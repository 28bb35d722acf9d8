"""Message catalogues for every user-facing string the server produces.

Catalogues live in ``app/locales/<locale>/<namespace>.json``; each file holds a flat
mapping of keys (``"<namespace>.<name>"``) to text with ``{placeholder}`` fields.
German is the primary language and the fallback, text by text, for every other one.
The languages are ``PORTAL_LANGUAGES`` (``app.languages``). A numeric ``count``
parameter picks a plural form ``<key>_<CLDR category>`` (``_one``, ``_few``, …) where
the language has one, as the PWA's ``t()`` does with ``Intl.PluralRules``; the bare key
is the ``other`` form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

from app.cities.active import active_city
from app.languages import PRIMARY, configured

#: The configured languages, German first (``PORTAL_LANGUAGES``).
LOCALES: tuple[str, ...] = configured()
DEFAULT_LOCALE = PRIMARY
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

    ``{city}`` and the other ``{city_…}`` placeholders are filled from the active city
    package unless ``params`` names them. Unknown locales fall back to German; a key
    missing from a locale falls back to German, then to the key itself so a missing
    translation never breaks a response. With a numeric ``count`` the language's plural
    form wins where it exists.
    """
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    text = _lookup(key, locale, params.get("count")) or key
    if "{city" in text:
        params = {**active_city().placeholders(locale), **params}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def plural_category(count: float, locale: str) -> str:
    """The CLDR plural category of ``count`` in ``locale`` (``one``, ``few``, ``other``…)."""
    return _plural_locale(locale).plural_form(abs(count))


@cache
def _plural_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def _lookup(key: str, locale: str, count: object) -> str | None:
    # The reader's language first, then German, each with its own plural form.
    for lang in dict.fromkeys((locale, DEFAULT_LOCALE)):
        table = catalogue(lang)
        if isinstance(count, int | float) and not isinstance(count, bool):
            plural = table.get(f"{key}_{plural_category(count, lang)}")
            if plural:
                return plural
        if table.get(key):
            return table[key]
    return None


def negotiate(accept_language: str | None) -> str:
    """Pick a configured language from an ``Accept-Language`` header (German by default)."""
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


# --- texts rendered when read -------------------------------------------------------

#: How a day is written per language (the PWA's date helper writes the same).
DAY_FORMATS = {
    "de": "%d.%m.%Y",
    "en": "%d/%m/%Y",
    "tr": "%d.%m.%Y",
    "ar": "%d/%m/%Y",
    "uk": "%d.%m.%Y",
}


@dataclass(frozen=True)
class Text:
    """A message key with parameters, stored as such and rendered when it is read.

    Texts kept for later (inbox messages) are stored this way, so a citizen reading in
    English sees English even if the text was produced while the account was German.
    Parameter values may be plain, a nested ``Text``, a ``{"de": …, "en": …}`` text
    from a service definition, or a ``date`` (written in the reader's format).
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def to_json(self) -> dict[str, Any]:
        """The JSON form ``render`` reads back."""
        return {"key": self.key, "params": {n: _param_json(v) for n, v in self.params.items()}}

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        """The text in ``locale``."""
        return render(self.to_json(), locale)


def _param_json(value: Any) -> Any:
    if isinstance(value, Text):
        return {"$text": value.to_json()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$i18n": {lang: str(text) for lang, text in value.items()}}
    return value


def _param_value(value: Any, locale: str) -> Any:
    if not isinstance(value, dict):
        return value
    if "$text" in value:
        return render(value["$text"], locale)
    if "$date" in value:
        return format_day(date.fromisoformat(value["$date"][:10]), locale)
    if "$i18n" in value:
        texts = value["$i18n"]
        return texts.get(locale) or texts.get(DEFAULT_LOCALE) or ""
    return value


def render(data: dict[str, Any], locale: str = DEFAULT_LOCALE) -> str:
    """Render a stored ``Text.to_json()`` in ``locale``."""
    params = {name: _param_value(v, locale) for name, v in (data.get("params") or {}).items()}
    return translate(data["key"], locale, **params)


def format_day(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """A day as the reader writes it: ``05.12.2026`` (de, tr, uk), ``05/12/2026`` (en, ar)."""
    return day.strftime(DAY_FORMATS.get(locale, DAY_FORMATS[DEFAULT_LOCALE]))
