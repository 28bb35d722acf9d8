"""The city's name is configured once (pwa/city.json) and the service worker takes it
from there at build time, so another city changes one file, not the code."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pwa" / "city.json"


def test_the_service_worker_does_not_name_the_city():
    city = json.loads(CONFIG.read_text(encoding="utf-8"))["name"]
    assert city
    naming = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "service_worker").rglob("*.js"))
        if city in path.read_text(encoding="utf-8")
    ]
    assert naming == []


def test_the_build_passes_the_configured_name():
    config = (ROOT / "pwa" / "vite.config.js").read_text(encoding="utf-8")
    assert "city.json" in config
    assert "__CITY_NAME__" in config
    assert "__CITY_NAME__" in (ROOT / "service_worker" / "push.js").read_text(encoding="utf-8")
