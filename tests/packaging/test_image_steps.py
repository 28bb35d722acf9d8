"""The image is built by the same steps the run and test commands run: every RUN line
of the Containerfile is a step of deploy/build-steps.sh, which scripts/setup.sh uses too,
and the image starts through the entry point the multi-node test starts its nodes with."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_lines() -> list[str]:
    text = (ROOT / "Containerfile").read_text().replace("\\\n", " ")
    return [line.strip()[4:] for line in text.splitlines() if line.strip().startswith("RUN ")]


def test_every_build_step_of_the_image_is_a_shared_step():
    runs = _run_lines()
    assert len(runs) == 4
    for run in runs:
        assert "build-steps.sh" in run, run
    # ... and each step a RUN line names exists in the script.
    script = (ROOT / "deploy" / "build-steps.sh").read_text()
    for run in runs:
        for function in re.findall(r"step_\w+", run):
            assert f"{function}()" in script, function
        for command in re.findall(r"build-steps\.sh (\w[\w-]*)", run):
            assert f"    {command})" in script, command


def test_the_run_and_test_commands_use_the_same_steps():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert 'source "$ROOT/deploy/build-steps.sh"' in setup
    for function in ("step_python", "step_pwa_install", "step_pwa_build"):
        assert function in setup, function


def test_the_entry_point_has_each_role_and_runs_anything_else_as_given():
    # Anything that is not a role is run as given (e.g. the portal's commands).
    done = subprocess.run(
        ["bash", str(ROOT / "deploy" / "entrypoint.sh"), "echo", "as given"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "as given\n"
    script = (ROOT / "deploy" / "entrypoint.sh").read_text()
    for role in ("migrate)", "app)", "worker)"):
        assert role in script
    assert "flask --app portal db upgrade" in script
    assert "huey_consumer portal.worker.huey" in script
