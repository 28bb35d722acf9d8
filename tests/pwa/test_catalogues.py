"""The app's translation catalogues: German and English hold the same texts, and every
key the code asks for by name exists (a missing one would show its key on screen)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "pwa" / "src"
# t("key") or t('key'), with a literal key; keys built at run time are not checked.
CALL = re.compile(r"""\bt\(\s*["']([\w.-]+)["']""")
# German and English need one plural form beside the general text: ``key_one``.
PLURAL = re.compile(r"_one$")
APP_LOCALES = SRC.parents[1] / "app" / "locales" / "de"
# Small catalogues written inline: addCatalogues({ de: { "key": "text" }, ... }).
INLINE_KEY = re.compile(r"""["']([\w.-]+)["']\s*:\s*["']""")


def catalogue_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for german in sorted(SRC.rglob("*.json")):
        name = german.name
        if name == "de.json" or name.endswith(".de.json"):
            english = german.with_name(name[: -len("de.json")] + "en.json")
            pairs.append((german, english))
    return pairs


def keys(path: Path) -> set[str]:
    return set(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("german", "english"), catalogue_pairs(), ids=lambda p: str(p.relative_to(SRC))
)
def test_german_and_english_have_the_same_texts(german: Path, english: Path):
    assert english.exists(), f"{english} is missing"
    # Plural forms follow each language's rules ("1 Treffer", "1 result").
    de = {k for k in keys(german) if not PLURAL.search(k)}
    en = {k for k in keys(english) if not PLURAL.search(k)}
    assert sorted(de - en) == [], "German only"
    assert sorted(en - de) == [], "English only"
    for path in (german, english):
        for key in keys(path):
            if PLURAL.search(key):
                assert PLURAL.sub("", key) in keys(path), f"{key} has no general form"


def test_every_key_the_code_names_exists():
    known: set[str] = set()
    for german, _ in catalogue_pairs():
        known |= keys(german)
    # Some screens take their texts from the server's catalogues (eID errors).
    for german in APP_LOCALES.glob("*.json"):
        known |= keys(german)
    for source in SRC.rglob("*.js"):
        text = source.read_text(encoding="utf-8")
        if "addCatalogues" in text:
            known |= set(INLINE_KEY.findall(text))
    missing = set()
    for source in SRC.rglob("*.js*"):
        if source.suffix not in (".js", ".jsx"):
            continue
        for key in CALL.findall(source.read_text(encoding="utf-8")):
            if key not in known:
                missing.add(f"{source.relative_to(SRC)}: {key}")
    assert sorted(missing) == []


def test_german_has_the_singulars_the_screens_need():
    # t() picks key_one for a count of 1 (the clerk browser test reads "1 Antrag").
    german = keys(SRC / "locales" / "de.json")
    assert {"staff.count_one", "home.service_count_one"} <= german
