"""The languages the portal speaks, and which of its texts every language must have.

One list, ``PORTAL_LANGUAGES`` (comma-separated codes, default all of ``KNOWN``), set
for the server and the PWA build alike. German is always first: it is the language of
record and the fallback for any text another language lacks. The lists of staff-facing
catalogues live here too, so the catalogue checks and the screens agree on them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from app.env_values import ConfigError

#: Every language the portal has a place for, German first.
KNOWN: tuple[str, ...] = ("de", "en", "tr", "ar", "uk")
PRIMARY = "de"
#: Languages written right to left: the whole layout mirrors.
RIGHT_TO_LEFT = frozenset({"ar"})
#: Each language named in itself, as the language chooser shows it.
NATIVE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
}

#: The languages every text of the portal is written in first: German and English. A
#: service definition's texts need both; further languages are optional per text.
BASE_LANGUAGES: tuple[str, ...] = ("de", "en")

# Clerks, officers and admins work in German or English; their screens and the texts
# only they read are not translated further. Everything else is citizen-facing and must
# be complete in every configured language.
STAFF_LANGUAGES: tuple[str, ...] = BASE_LANGUAGES
#: Server catalogue namespaces (``app/locales/<lang>/<namespace>.json``) only staff read.
STAFF_NAMESPACES = frozenset({"dev", "staff_digest", "statistics", "handoff_inbound"})
#: PWA features (``pwa/src/pages/<feature>/locales``) that are staff screens.
STAFF_PWA_FEATURES = frozenset({"console", "console/statistics", "staff", "officer"})


def parse_languages(raw: str | None) -> tuple[str, ...]:
    """The configured languages from ``PORTAL_LANGUAGES``, German first.

    Empty means all of ``KNOWN``. An unknown code or a list without German stops the
    start with the problem named, rather than a portal silently missing a language.
    """
    if raw is None or not raw.strip():
        return KNOWN
    codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
    unknown = [code for code in codes if code not in KNOWN]
    if unknown:
        raise ConfigError(
            f"PORTAL_LANGUAGES: unknown language(s) {', '.join(unknown)}; "
            f"known are {', '.join(KNOWN)}"
        )
    if PRIMARY not in codes:
        raise ConfigError(f"PORTAL_LANGUAGES must include {PRIMARY} (the language of record)")
    rest = [code for code in KNOWN if code in codes and code != PRIMARY]
    return (PRIMARY, *rest)


def configured(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The languages of this process (read from the environment once at import)."""
    return parse_languages((os.environ if env is None else env).get("PORTAL_LANGUAGES"))


def citizen_facing_namespace(namespace: str) -> bool:
    """Whether a server catalogue namespace is read by citizens (so needs every language)."""
    return namespace not in STAFF_NAMESPACES


def citizen_facing_feature(feature: str) -> bool:
    """Whether a PWA feature's catalogue (``console/statistics``) is read by citizens."""
    return feature not in STAFF_PWA_FEATURES


def direction(language: str) -> str:
    """``rtl`` or ``ltr`` for a language code."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"
