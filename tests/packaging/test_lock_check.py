"""The lock-file check (scripts/check_lock.py) passes on the committed lock files and
names each way a lock can fall behind pyproject.toml."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "portal.lock"


@pytest.fixture(scope="module")
def check_lock():
    spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pyproject(tmp_path: Path, change) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(change((ROOT / "pyproject.toml").read_text()))
    return path


def test_the_committed_lock_files_match(check_lock):
    assert check_lock.main() == 0


def test_a_new_requirement_that_is_not_locked_is_named(check_lock, tmp_path):
    pyproject = _pyproject(
        tmp_path,
        lambda text: text.replace('"orjson>=3.10,<4",', '"orjson>=3.10,<4",\n  "tomli-w>=1",'),
    )
    assert check_lock.check(LOCK, [], pyproject) == [
        "portal.lock: tomli-w>=1 (from pyproject.toml) is not pinned"
    ]


def test_a_raised_lower_bound_the_pin_misses_is_named(check_lock, tmp_path):
    pinned = re.search(r"^segno==(\S+)", LOCK.read_text(), re.MULTILINE).group(1)
    pyproject = _pyproject(
        tmp_path, lambda text: text.replace('"segno>=1.6,<2"', '"segno>=1.99,<2"')
    )
    assert check_lock.check(LOCK, [], pyproject) == [
        f"portal.lock: segno=={pinned} is outside segno<2,>=1.99 (from pyproject.toml)"
    ]


def test_a_removed_requirement_left_in_the_lock_is_named(check_lock, tmp_path):
    pyproject = _pyproject(tmp_path, lambda text: text.replace('  "segno>=1.6,<2",\n', ""))
    problems = check_lock.check(LOCK, [], pyproject)
    assert any(
        p.startswith("portal.lock: segno==") and "nothing requires it" in p for p in problems
    ), problems


def test_a_pin_without_hashes_is_named(check_lock, tmp_path):
    lock = tmp_path / "portal.lock"
    lock.write_text(
        re.sub(
            r"^(segno==\S+) \\\n(\s+--hash=\S+( \\)?\n)+",
            r"\1\n",
            LOCK.read_text(),
            flags=re.MULTILINE,
        )
    )
    assert "portal.lock: segno has no --hash" in check_lock.check(lock, [])
