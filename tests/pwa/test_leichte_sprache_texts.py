"""The portal's own texts in Leichte Sprache (the journeys page) keep the rules the
loader holds service summaries to (``app/service_definitions/leichte_sprache.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.service_definitions import leichte_sprache

LOCALES = Path(__file__).resolve().parents[2] / "pwa" / "src" / "pages" / "leichte-sprache"


@pytest.mark.parametrize("name", ["de.json", "en.json"])
def test_the_journeys_keep_the_rules_of_leichte_sprache(name):
    texts = json.loads((LOCALES / "locales" / name).read_text(encoding="utf-8"))
    sections = [{"heading": texts["easy.title"], "sentences": texts["easy.intro"]}]
    sections += texts["easy.journeys"]
    sections.append(
        {"heading": texts["easy.services_heading"], "sentences": [texts["easy.services_intro"]]}
    )
    summary = {"title": texts["easy.journeys_heading"], "sections": sections}
    found = leichte_sprache.problems({"leichte_sprache": summary})
    assert [(problem.path, problem.text) for problem in found] == []
    headings = [journey["heading"] for journey in texts["easy.journeys"]]
    assert headings == ["Anmelden", "Einen Antrag stellen", "Bezahlen", "Den Antrag verfolgen"]


def test_the_pages_are_german_in_every_language():
    german = json.loads((LOCALES / "locales" / "de.json").read_text(encoding="utf-8"))
    english = json.loads((LOCALES / "locales" / "en.json").read_text(encoding="utf-8"))
    assert german == english
    assert 'lang="de"' in (LOCALES / "pages.jsx").read_text(encoding="utf-8")
