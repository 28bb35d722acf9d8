"""The app's JavaScript unit tests (``pwa/tests/*.test.js``, node's own test runner,
``npm test``) run with the Python suite, so a broken outbox fails the same run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_javascript_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the app's JavaScript unit tests")
    if not (ROOT / "node_modules" / "idb").exists():
        pytest.fail("run `npm ci` first: the unit tests import the app's modules")
    tests = sorted(str(path) for path in (ROOT / "pwa" / "tests").glob("*.test.js"))
    assert tests, "no JavaScript unit tests found"
    result = subprocess.run(
        [node, "--test", *tests], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
