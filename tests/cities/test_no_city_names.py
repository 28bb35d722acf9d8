"""No city is named in the portal's code: everything about a city is in its package.

Tests, docs and ``cities/`` may name cities; the code, the PWA's sources, the service
worker, the scripts and the configuration may not (they read the active package).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITY_NAMES = re.compile(
    r"d(?:ü|ue|\\u00fc)ren|g(?:ü|ue|\\u00fc)tersloh", re.IGNORECASE | re.UNICODE
)
# Where code and configuration live; each is searched recursively.
CODE = ("app", "api", "portal", "pwa/src", "service_worker", "scripts", "deploy", "pwa/public")
# Configuration files at the top of the repository and of the PWA.
CONFIG = (
    "pyproject.toml",
    "package.json",
    "gunicorn.conf.py",
    "compose.yaml",
    "Containerfile",
    "Makefile",
)
TEXT_SUFFIXES = {
    ".py", ".js", ".jsx", ".mjs", ".json", ".yaml", ".yml", ".html", ".css", ".sh",
    ".toml", ".txt", ".md", ".webmanifest", ".j2", ".xml", ".svg", ".conf", ".ini", "",
}  # fmt: skip


def _files() -> list[Path]:
    found = [path for name in CONFIG if (path := ROOT / name).is_file()]
    found += [p for p in (ROOT / "pwa").glob("*") if p.is_file()]
    for folder in CODE:
        found += [
            path
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts
        ]
    return found


def test_the_search_reaches_the_code():
    files = {str(path.relative_to(ROOT)) for path in _files()}
    assert {"app/config.py", "pwa/index.html", "service_worker/push.js", "pwa/vite.config.js"} <= (
        files
    )
    assert CITY_NAMES.search("Stadt Düren") and CITY_NAMES.search("GUETERSLOH")
    assert CITY_NAMES.search('"d\\u00fcren"')


def test_no_city_is_named_outside_its_package():
    naming = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if CITY_NAMES.search(line):
                naming.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert naming == []
