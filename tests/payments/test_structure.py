"""The payments package's structure: no import cycles, no web framework in the domain."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import app.payments

PACKAGE = "app.payments"
ROOT = Path(app.payments.__file__).parent
WEB_FRAMEWORKS = {"flask", "flask_smorest", "werkzeug"}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its ``__init__``)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([PACKAGE, *parts])] = path
    return found


def _imported(tree: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The names every import statement in ``tree`` refers to, wherever it stands
    (a function-level import closes a cycle just as well, only later)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                # ``from app.payments import states`` imports the submodule ``states``;
                # ``from app.payments import Payable`` takes a name from the package.
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in modules else node.module)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {
            target
            for target in _imported(ast.parse(path.read_text()), modules)
            if target in modules and target != name
        }
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path back to its start), or None."""
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in stack:
            return [*stack[stack.index(node) :], node]
        if node in done:
            return None
        stack.append(node)
        for target in sorted(graph[node]):
            found = visit(target)
            if found:
                return found
        stack.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start)
        if found:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_payments_modules_import_each_other_without_a_cycle():
    graph = _graph()
    assert "app.payments.providers.paypal" in graph  # the scan sees the providers
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_payments_domain_imports_no_web_framework():
    offenders = [
        f"{name}: {target}"
        for name, path in _modules().items()
        for target in _imported(ast.parse(path.read_text()), {})
        if target.split(".")[0] in WEB_FRAMEWORKS
    ]
    assert offenders == []


def test_every_payments_module_imports_on_its_own():
    """Each module imported first in a fresh interpreter: an import cycle that the
    order of imports hides elsewhere fails here with a partly initialised module."""
    code = "import importlib, sys; importlib.import_module(sys.argv[1])"
    failures = {}
    for name in _modules():
        done = subprocess.run(
            [sys.executable, "-c", code, name], capture_output=True, text=True, timeout=120
        )
        if done.returncode:
            failures[name] = done.stderr.strip().splitlines()[-1:]
    assert failures == {}


def test_payment_jobs_keep_their_queue_names():
    """Jobs queued by an earlier release still find their task after an update."""
    import app.payments.tasks  # noqa: F401  (registers the jobs)
    from app.tasks import huey

    names = {name for name in huey._registry._registry if name.startswith(PACKAGE)}
    assert names == {"app.payments.tasks.render_receipt", "app.payments.tasks.poll_payments_job"}
