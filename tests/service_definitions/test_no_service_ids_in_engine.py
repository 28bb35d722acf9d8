"""No engine code names a built-in service: services are data, plus plugins in their
own folders that the definitions name."""

from __future__ import annotations

import re
from pathlib import Path

from app.service_definitions.loader import BUILTIN_DIR
from app.service_definitions.yaml_io import read_yaml

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("app", "api")
# A service's own plugin folder may name its service.
PLUGIN_FOLDERS = (
    "app/parking",
    "app/registration_certificate",
    "app/registry_information",
    "app/wohngeld",
)

# Remaining mentions, each with the reason it stays.
ALLOWED = {
    # The one list of the portal's built-in plugin packages (the composition of the
    # portal) names each package by its module path, which is spelled like the service
    # that package serves; naming them there is its job.
    ("app/builtin_plugins.py", "registration_certificate"),
    ("app/builtin_plugins.py", "resident_parking"),
    # The demo's data, not engine code: the hand-off targets the demo admin gives two
    # services, as a city's admin does in the console.
    ("app/demo_handoff.py", "civil_status_certificate"),
    ("app/demo_handoff.py", "dog_tax_deregistration"),
    ("app/demo_handoff.py", "business_registration"),
    ("app/demo_handoff.py", "business_change"),
    ("app/demo_handoff.py", "business_deregistration"),
    # The demo's dog tax notice, not engine code: its amount is the city's fee for one
    # dog, read from the city's dog tax definition.
    ("app/payments_cli.py", "dog_tax_registration"),
}


def _service_ids() -> list[str]:
    return sorted(read_yaml(path)["id"] for path in BUILTIN_DIR.glob("*.yaml"))


def _engine_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(PLUGIN_FOLDERS):
                files.append(path)
    return files


def mentions() -> set[tuple[str, str]]:
    """Every (file, service id) where engine code names a built-in service."""
    found = set()
    patterns = {sid: re.compile(rf"\b{re.escape(sid)}\b") for sid in _service_ids()}
    for path in _engine_files():
        text = path.read_text(encoding="utf-8")
        for sid, pattern in patterns.items():
            if pattern.search(text):
                found.add((path.relative_to(ROOT).as_posix(), sid))
    return found


def test_the_scan_sees_the_builtin_services_and_the_engine():
    # Guards the test itself: an empty scan would pass whatever the code says.
    assert len(_service_ids()) >= 8
    files = {path.relative_to(ROOT).as_posix() for path in _engine_files()}
    assert "app/applications/lifecycle.py" in files
    assert "api/applications.py" in files
    assert not any(name.startswith(PLUGIN_FOLDERS) for name in files)


def test_no_engine_code_names_a_builtin_service():
    assert mentions() - ALLOWED == set()


def test_the_allow_list_holds_only_mentions_that_still_exist():
    assert ALLOWED - mentions() == set()
