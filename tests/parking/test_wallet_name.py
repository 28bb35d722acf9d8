"""Messages and the printout send citizens to the wallet by the name the menu gives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POINTERS = ("parking.inbox.issued_body", "parking.inbox.completed", "parking.pdf.how_change")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_texts_use_the_menu_name_of_the_wallet(lang):
    menu = json.loads((ROOT / "pwa/src/locales" / f"{lang}.json").read_text())["nav.parking"]
    texts = json.loads((ROOT / "app/locales" / lang / "parking.json").read_text())
    quoted = {"de": f"„{menu}“", "en": f"“{menu}”"}[lang]
    for key in POINTERS:
        assert quoted in texts[key], f"{key} does not name the menu entry {quoted}"
