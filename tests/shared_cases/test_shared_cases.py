"""The shared field-type cases, run against the server and against the PWA.

Every case in ``validation.json``, ``conditions.json`` and ``fees.json`` is one test id
per side: ``python`` runs ``app.service_definitions``; ``pwa`` runs the PWA's
``pwa/src/lib/form`` modules through ``node`` (``pwa_runner.mjs``). A case may say
``"only": "python"`` with a ``why`` when the device cannot know the answer (the street
directory lives on the server).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.applications.served import resolve
from app.service_definitions import compute_fees, parse_definition, plugins, validate_answers
from app.service_definitions import conditions as py_conditions
from app.service_definitions.field_types import FIELD_TYPES

HERE = Path(__file__).parent
RUNNER = HERE / "pwa_runner.mjs"
KINDS = ("validation", "conditions", "fees")
SIDES = ("python", "pwa")
LABEL = {"de": "Feld", "en": "Field"}


def _load(kind: str) -> dict[str, Any]:
    return json.loads((HERE / f"{kind}.json").read_text(encoding="utf-8"))


CASES = {kind: _load(kind) for kind in KINDS}


def _with_labels(field: dict[str, Any]) -> dict[str, Any]:
    # Cases leave out labels: they are required by the schema but never checked here.
    field = copy.deepcopy(field)
    field.setdefault("label", LABEL)
    for option in field.get("options", []):
        option.setdefault("label", LABEL)
    if field["type"] == "repeat":
        field.setdefault("item_label", LABEL)
        field["fields"] = [_with_labels(member) for member in field["fields"]]
    return field


class _CaseOptions(plugins.OptionSource):
    """An option source a case names (``"sources": {name: [values]}``)."""

    def __init__(self, values: list[str]) -> None:
        self.values = values

    def options(self) -> list[dict[str, Any]]:
        return [{"value": value, "label": LABEL} for value in self.values]

    def stamp(self) -> str:
        return ",".join(self.values)


@contextmanager
def _sources(case: dict[str, Any]) -> Iterator[None]:
    """The case's option sources registered while it loads and validates."""
    with ExitStack() as stack:
        for name, values in (case.get("sources") or {}).items():
            stack.enter_context(plugins.option_sources.registered(name, _CaseOptions(values)))
        yield


def _definition(case: dict[str, Any]) -> Any:
    """The case's fields (or steps) and fee rules as a loaded definition."""
    steps = case.get("steps") or [{"id": "main", "fields": case["fields"]}]
    data: dict[str, Any] = {
        "id": "shared_case",
        "version": 1,
        "title": LABEL,
        "description": LABEL,
        "category": "test",
        "trust_level": "basic",
        "steps": [
            {**step, "title": LABEL, "fields": [_with_labels(field) for field in step["fields"]]}
            for step in steps
        ],
        "payment": {"policy": "none"},
        "workflow": "standard",
    }
    if "fees" in case:
        fees = copy.deepcopy(case["fees"])
        fees.setdefault("period", "once")
        for rule in fees["rules"]:
            rule.setdefault("label", LABEL)
        data["fees"] = fees
        data["payment"] = {"policy": "before_submission"}
    if "warnings" in case:
        data["warnings"] = copy.deepcopy(case["warnings"])
    return parse_definition(data, source=f"{case['id']}.json")


def _today(kind: str, case: dict[str, Any]) -> str:
    # A case may move "today" (month ends, leap days, weekends); the file sets the default.
    return case.get("today", CASES[kind]["today"])


def _issues(found: list[Any]) -> dict[str, dict[str, Any]]:
    return {item["path"]: {"code": item["code"], "params": item["params"]} for item in found}


def _python(kind: str, case: dict[str, Any]) -> Any:
    today = date.fromisoformat(_today(kind, case))
    if kind == "conditions":
        return py_conditions.evaluate(case["condition"], case["values"].get, today)
    with _sources(case):
        definition = _definition(case)
        result = validate_answers(definition, case["answers"], today=today)
    if kind == "fees":
        fees = compute_fees(definition, result.answers, today=today)
        lines = [[line.rule, line.quantity, line.unit_cents] for line in fees.lines]
        return {"total_cents": fees.total_cents, "lines": lines}
    return {
        "errors": [{"path": e.path, "code": e.code, "params": e.params} for e in result.errors],
        "warnings": [{"path": w.path, "code": w.code} for w in result.warnings],
    }


@pytest.fixture(scope="session")
def pwa_results() -> dict[str, dict[str, Any]]:
    """Every case of every kind, run once through node."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the PWA's form logic")
    results = {}
    for kind in KINDS:
        cases = []
        for case in CASES[kind]["cases"]:
            item = {"id": case["id"], "today": _today(kind, case)}
            if kind == "conditions":
                item.update(condition=case["condition"], values=case["values"])
            else:
                # As served to the PWA: options from sources resolved into the fields.
                with _sources(case):
                    served = resolve(_definition(case).data)
                item.update(definition=served, answers=case["answers"])
            cases.append(item)
        payload = json.dumps({"kind": kind, "cases": cases})
        done = subprocess.run(
            [node, str(RUNNER)], input=payload, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        results[kind] = json.loads(done.stdout)
    return results


def _params():
    for kind in KINDS:
        for case in CASES[kind]["cases"]:
            for side in SIDES:
                if case.get("only", side) == side:
                    yield pytest.param(kind, case, side, id=f"{kind}:{case['id']}:{side}")


def test_case_ids_are_unique_and_explained() -> None:
    for kind in KINDS:
        ids = [case["id"] for case in CASES[kind]["cases"]]
        assert len(ids) == len(set(ids)), kind
        for case in CASES[kind]["cases"]:
            assert "only" not in case or case.get("why"), case["id"]


def _check_validation(case: dict[str, Any], actual: dict[str, Any]) -> None:
    errors = _issues(actual["errors"])
    expected = {
        path: want if isinstance(want, dict) else {"code": want}
        for path, want in case["errors"].items()
    }
    assert {path: got["code"] for path, got in errors.items()} == {
        path: want["code"] for path, want in expected.items()
    }
    for path, want in expected.items():
        for name, value in want.get("params", {}).items():
            assert errors[path]["params"].get(name) == value, (path, name)
    if "expect_warnings" in case:
        warnings = {item["path"]: item["code"] for item in actual["warnings"]}
        assert warnings == case["expect_warnings"]


@pytest.mark.parametrize(("kind", "case", "side"), list(_params()))
def test_shared_case(kind: str, case: dict[str, Any], side: str, request) -> None:
    """One case on one side: the outcome is what the case expects."""
    if side == "python":
        actual = _python(kind, case)
    else:
        outcome = request.getfixturevalue("pwa_results")[kind][case["id"]]
        assert "error" not in outcome, outcome.get("error")
        actual = outcome["result"]
    if kind == "validation":
        _check_validation(case, actual)
    elif kind == "conditions":
        assert actual is case["expected"]
    else:
        assert actual["total_cents"] == case["total_cents"]
        assert actual["lines"] == case["lines"]


def _written_fields(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every field a case writes, members of repeat groups included."""
    steps = case.get("steps") or [{"fields": case["fields"]}]
    pending = [field for step in steps for field in step["fields"]]
    while pending:
        field = pending.pop()
        pending.extend(field.get("fields", []))
        yield field


def test_shared_cases_cover_every_field_type_and_option() -> None:
    """Both sides are held to every registered field type and each of its options."""
    used: dict[str, set[str]] = {name: set() for name in FIELD_TYPES}
    for kind in ("validation", "fees"):
        for case in CASES[kind]["cases"]:
            # As written in the case (plus the labels it may leave out, which no rule
            # reads): the loader's defaults would count as set.
            for field in _written_fields(case):
                used[field["type"]].update(_with_labels(field))
    for name, field_type in FIELD_TYPES.items():
        assert used[name], f"no shared case has a field of type {name!r}"
        unused = set(field_type.options) - used[name]
        assert not unused, f"no shared case sets {sorted(unused)} on a {name!r} field"
