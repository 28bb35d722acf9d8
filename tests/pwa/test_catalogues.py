"""The app's translation catalogues: one layout (``locales/<lang>.json``, for the whole
app in ``pwa/src`` and for each feature in its own folder), German and English hold the
same texts, every configured language holds every citizen-facing text (staff screens
stay German and English), and every key the code asks for by name exists (a missing
one would show its key on screen)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.i18n import LOCALES
from app.languages import KNOWN, NATIVE_NAMES, STAFF_LANGUAGES, STAFF_PWA_FEATURES
from app.languages import citizen_facing_feature as citizen_facing
from tests.catalogue_rules import problems as catalogue_problems

SRC = Path(__file__).resolve().parents[2] / "pwa" / "src"
# t("key") or t('key'), with a literal key; keys built at run time are not checked.
CALL = re.compile(r"""\bt\(\s*["']([\w.-]+)["']""")
# German and English need one plural form beside the general text: ``key_one``.
PLURAL = re.compile(r"_one$")
APP_LOCALES = SRC.parents[1] / "app" / "locales" / "de"
LANGUAGES = tuple(f"{lang}.json" for lang in KNOWN)
# A catalogue written into the code instead of its folder's locales/*.json.
INLINE = re.compile(r"""addCatalogues\(\s*\{\s*(de|en)\s*:\s*\{\s*["']""")
# import de from "./locales/de.json" (or a path to another folder's locales).
IMPORT = re.compile(r"""from\s+["']([./\w-]+/locales/de\.json)["']""")


def sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*") if p.suffix in (".js", ".jsx"))


def catalogue_pairs() -> list[tuple[Path, Path]]:
    """Every German catalogue with the English one beside it."""
    return [
        (german, german.with_name("en.json")) for german in sorted(SRC.rglob("locales/de.json"))
    ]


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


def test_every_catalogue_follows_the_layout():
    strays = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.json"))
        if path.parent.name != "locales" or path.name not in LANGUAGES
    ]
    assert strays == [], "catalogues belong in <folder>/locales/<language>.json"
    inline = [
        str(path.relative_to(SRC))
        for path in sources()
        if INLINE.search(path.read_text(encoding="utf-8"))
    ]
    assert inline == [], "texts written into the code instead of a locales folder"


def test_every_feature_catalogue_is_registered():
    # The app-wide catalogue is loaded by lib/i18n.js itself.
    imported = {SRC / "locales" / "de.json"}
    for source in sources():
        for path in IMPORT.findall(source.read_text(encoding="utf-8")):
            imported.add((source.parent / path).resolve())
    unused = [
        str(german.relative_to(SRC)) for german, _ in catalogue_pairs() if german not in imported
    ]
    assert unused == []


def test_every_key_the_code_names_exists():
    known: set[str] = set()
    for german, _ in catalogue_pairs():
        known |= keys(german)
    # Some screens take their texts from the server's catalogues (eID errors).
    for german in APP_LOCALES.glob("*.json"):
        known |= keys(german)
    missing = set()
    for source in sources():
        for key in CALL.findall(source.read_text(encoding="utf-8")):
            if key not in known:
                missing.add(f"{source.relative_to(SRC)}: {key}")
    assert sorted(missing) == [], "keys the code names but no catalogue holds"


def test_german_has_the_singulars_the_screens_need():
    # t() picks key_one for a count of 1 (the clerk browser test reads "1 Antrag").
    german = keys(SRC / "locales" / "de.json")
    assert {"staff.count_one", "home.service_count_one"} <= german


def feature_of(german: Path) -> str:
    """``console/statistics`` for pages/console/statistics/locales/de.json; "" for the app."""
    folder = german.parent.parent.relative_to(SRC).as_posix()
    return "" if folder == "." else folder.removeprefix("pages/")


def test_the_staff_features_exist():
    # A renamed folder would otherwise drop out of the list silently.
    features = {feature_of(german) for german, _ in catalogue_pairs()}
    assert features >= STAFF_PWA_FEATURES


@pytest.mark.parametrize("language", [lang for lang in LOCALES if lang != "de"])
def test_every_configured_language_has_every_citizen_text(language):
    found: list[str] = []
    for german, _ in catalogue_pairs():
        if language not in STAFF_LANGUAGES and not citizen_facing(feature_of(german)):
            continue
        other = german.with_name(f"{language}.json")
        where = other.relative_to(SRC)
        if not other.exists():
            found.append(f"{where} is missing")
            continue
        problems = catalogue_problems(
            json.loads(german.read_text(encoding="utf-8")),
            json.loads(other.read_text(encoding="utf-8")),
            language,
        )
        found += [f"{where}: {problem}" for problem in problems]
    assert found == []


def test_staff_screens_stay_german_and_english():
    strays = [
        str(path.relative_to(SRC))
        for german, _ in catalogue_pairs()
        if not citizen_facing(feature_of(german))
        for path in sorted(german.parent.glob("*.json"))
        if path.stem not in STAFF_LANGUAGES
    ]
    assert strays == [], "staff screens are written in German and English only"


def test_the_build_knows_the_same_languages_as_the_server():
    config = (SRC.parent / "languages.config.js").read_text(encoding="utf-8")
    known = re.search(r"export const KNOWN = \[([^\]]*)\]", config).group(1)
    assert re.findall(r'"(\w+)"', known) == list(KNOWN)
    names = re.search(r"export const NATIVE_NAMES = \{([^}]*)\}", config).group(1)
    assert dict(re.findall(r'(\w+): "([^"]+)"', names)) == NATIVE_NAMES
    staff = re.search(r"export const STAFF_LANGUAGES = \[([^\]]*)\]", config).group(1)
    assert tuple(re.findall(r'"(\w+)"', staff)) == STAFF_LANGUAGES
