"""The portal guides (pwa/src/pages/info/guides.jsx) name buttons, fields and headings
by the catalogue keys the screens use, in data the catalogue check cannot see (no
``t("…")`` call): every such key, and each guide's title, summary and intro, must exist
in every configured language, or the guide would show a key instead of a label."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.i18n import LOCALES

SRC = Path(__file__).resolve().parents[2] / "pwa" / "src"
GUIDES = SRC / "pages" / "info" / "guides.jsx"
# The catalogues the help pages read: the app's, the help's own, and the screens' whose
# labels the guides quote (guides.jsx registers them).
FOLDERS = ["", "pages/info", "pages/payments", "pages/eid", "pages/bundid", "pages/account"]
KEY = re.compile(
    r'"((?:help|signin|account|nav|pay|ausweis|bundid|detail|channels|push|footer)\.[\w.]+)"'
)
PREFIX = re.compile(r'key: "(help\.\w+)"')


def _catalogue(lang: str) -> dict:
    merged: dict = {}
    for folder in FOLDERS:
        path = SRC / folder / "locales" / f"{lang}.json"
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def _named_keys() -> set[str]:
    source = GUIDES.read_text(encoding="utf-8")
    block = source[source.index("export const GUIDES") : source.index("export const FORMER_TOPICS")]
    prefixes = set(PREFIX.findall(block))
    keys = set(KEY.findall(block)) - prefixes
    for prefix in prefixes:
        keys |= {f"{prefix}.title", f"{prefix}.summary", f"{prefix}.intro"}
    return keys


def test_the_guides_name_keys_at_all():
    keys = _named_keys()
    # The four guides and the screens' labels they quote.
    assert {"help.signin.title", "help.pay.title", "signin.email_submit", "pay.continue"} <= keys
    assert len(keys) > 60


@pytest.mark.parametrize("lang", LOCALES)
def test_every_key_a_guide_names_exists_in_every_language(lang):
    catalogue = _catalogue(lang)
    missing = sorted(key for key in _named_keys() if not isinstance(catalogue.get(key), str))
    assert missing == [], f"{lang}: {missing}"


@pytest.mark.parametrize("lang", LOCALES)
def test_a_guide_step_has_the_same_placeholders_in_every_language(lang):
    german, other = _catalogue("de"), _catalogue(lang)
    for key in sorted(k for k in _named_keys() if k.startswith("help.")):
        names = set(re.findall(r"\{(\w+)\}", german[key]))
        assert set(re.findall(r"\{(\w+)\}", other[key])) == names, (lang, key)
