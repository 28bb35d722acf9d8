"""Check, without the network, that the lock files still match ``pyproject.toml``.

``scripts/test.sh`` runs this after installing from ``requirements/test.lock``. For each
lock file it walks the dependency tree from ``pyproject.toml``'s requirements through the
installed packages' own metadata (the installed versions are the locked ones, which is
checked too) and reports:

- a requirement of ``pyproject.toml`` (or of a locked package) missing from the lock, or
  pinned at a version outside its range: the lock is older than ``pyproject.toml``;
- a pinned package nothing requires any more: the lock keeps something that was removed;
- a pin without hashes, or a package the test lock pins differently from the portal lock.

Any of these fails with the fix named: ``bash scripts/lock.sh``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
# The platform the locks are made for (scripts/lock.sh: Python 3.11, which the resolver
# takes as 3.11.0, on Linux): markers are judged for it, not for the running interpreter.
TARGET = default_environment() | {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
}


def read_lock(path: Path) -> tuple[dict[str, str], list[str]]:
    """Pinned versions by canonical name, and the pins that carry no hash."""
    pins: dict[str, str] = {}
    unhashed: list[str] = []
    current = None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = match.group(2)
            if "--hash=" not in line and not line.rstrip().endswith("\\"):
                unhashed.append(current)
        elif current and line.strip() and not line.lstrip().startswith(("--hash=", "#")):
            current = None
    return pins, unhashed


def project_requirements(
    extras: Iterable[str], pyproject: Path = ROOT / "pyproject.toml"
) -> list[Requirement]:
    """The requirements ``pyproject`` names, with those of the given extras."""
    project = tomllib.loads(pyproject.read_text())["project"]
    names = list(project["dependencies"])
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def applies(requirement: Requirement, extra: str = "") -> bool:
    """True when the requirement's marker holds on the target platform (for ``extra``)."""
    if requirement.marker is None:
        return True
    return requirement.marker.evaluate(TARGET | {"extra": extra})


def check(
    lock: Path, extras: Iterable[str], pyproject: Path = ROOT / "pyproject.toml"
) -> list[str]:
    """Every way ``lock`` no longer matches ``pyproject``, as sentences."""
    pins, unhashed = read_lock(lock)
    problems = [f"{lock.name}: {name} has no --hash" for name in unhashed]
    needed: set[str] = set()
    todo = [
        (req, "pyproject.toml") for req in project_requirements(extras, pyproject) if applies(req)
    ]
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        pinned = pins.get(name)
        if pinned is None:
            problems.append(f"{lock.name}: {requirement} (from {wanted_by}) is not pinned")
            continue
        if not requirement.specifier.contains(Version(pinned), prereleases=True):
            problems.append(
                f"{lock.name}: {name}=={pinned} is outside {requirement} (from {wanted_by})"
            )
        key = name + "[" + ",".join(sorted(requirement.extras)) + "]"
        if key in needed:
            continue
        needed.add(key)
        try:
            installed = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{lock.name}: {name} is pinned but not installed (run setup)")
            continue
        if Version(installed.version) != Version(pinned):
            problems.append(
                f"{lock.name}: {name} {installed.version} is installed, the lock pins {pinned}"
            )
        for raw in installed.requires or []:
            sub = Requirement(raw)
            if applies(sub) or any(applies(sub, extra) for extra in requirement.extras):
                todo.append((sub, f"{name}=={pinned}"))
    required = {key.split("[")[0] for key in needed}
    for name in sorted(set(pins) - required):
        problems.append(f"{lock.name}: {name}=={pins[name]} is pinned but nothing requires it")
    return problems


def main() -> int:
    """Check both lock files; print what is wrong and return 1, or return 0."""
    portal_lock = ROOT / "requirements" / "portal.lock"
    test_lock = ROOT / "requirements" / "test.lock"
    problems = check(portal_lock, []) + check(test_lock, ["test"])
    portal_pins, _ = read_lock(portal_lock)
    test_pins, _ = read_lock(test_lock)
    for name, version in sorted(portal_pins.items()):
        if test_pins.get(name, version) != version:
            problems.append(f"test.lock pins {name}=={test_pins[name]}, portal.lock {version}")
    if problems:
        print("The lock files no longer match pyproject.toml:", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        print("Write them again with: bash scripts/lock.sh", file=sys.stderr)
        return 1
    print(f"Lock files match pyproject.toml ({len(test_pins)} packages pinned with hashes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
