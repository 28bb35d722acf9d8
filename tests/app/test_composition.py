"""The composition root: explicit registration, jobs known to the worker, and the
start-up check of stored definitions against the registered plugins."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import portal
from app import events
from app.accounts import privacy, users
from app.applications import checks, stored_plugins
from app.db import db
from app.models import Application, ServiceDefinitionRecord
from app.payments import payables
from app.payments.providers import REGISTRY
from app.service_definitions import load_builtin, plugins

APP_DIR = Path(__file__).resolve().parents[2] / "app"
EVENTS = (
    "application.submitted",
    "application.status_changed",
    "inbox.message_created",
    "payment.succeeded",
    "payment.pre_notification",
    "notice.created",
    "account.retaining",
    "account.deleting",
)


def _registrations() -> dict[str, object]:
    return {
        "events": {name: events.handlers(name) for name in EVENTS},
        "checks": plugins.checks.names(),
        "rules": plugins.rules.names(),
        "generators": plugins.generators.names(),
        "payables": payables.resolvers(),
        "exporters": dict(privacy._EXPORTERS),
        "providers": REGISTRY.classes(),
    }


def test_registering_again_changes_nothing(app):
    before = _registrations()
    portal.register_domain()
    portal.register_domain()
    assert _registrations() == before
    # What the portal's own services need is there, once each.
    assert events.handlers("application.status_changed")
    for name in EVENTS:
        handlers = events.handlers(name)
        assert len(handlers) == len(set(handlers)), name
    assert {"resident_parking"} <= set(plugins.checks.names())
    assert {"notice", "post", "receipt", "permit"} <= set(plugins.generators.names())
    assert {"application", "notice", "instalment"} <= set(payables.resolvers())
    assert {"applications", "inbox", "payments", "eid", "push_devices", "parking_permits"} <= set(
        privacy._EXPORTERS
    )


def test_another_plugin_under_a_taken_name_is_refused(app):
    with pytest.raises(ValueError, match="'notice'"):
        payables.register("notice")(lambda subject_id, user: None)
    with pytest.raises(ValueError, match="'payments'"):
        privacy.exporter("payments")(lambda user: {})

    class Impostor(REGISTRY.find("transfer")):
        pass

    with pytest.raises(ValueError, match="'transfer'"):
        REGISTRY.register("transfer")(Impostor)

    class OtherCheck(checks.Check):
        def problems(self, application, answers):
            return []

    with pytest.raises(ValueError, match="resident_parking"):
        plugins.checks.add("resident_parking", OtherCheck())
    assert payables.resolvers()["notice"].__name__ == "resolve_notice"
    assert REGISTRY.find("transfer").__name__ == "TransferProvider"


def _modules_matching(pattern: str) -> set[str]:
    found = set()
    for path in APP_DIR.rglob("*.py"):
        if re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE):
            parts = path.relative_to(APP_DIR.parent).with_suffix("").parts
            found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_every_module_with_background_jobs_is_imported_by_the_root():
    with_jobs = _modules_matching(r"^@huey\.\w+|^\w+ = huey\.\w+\(")
    assert len(with_jobs) >= 5  # the scan found the job modules at all
    assert with_jobs == {module.__name__ for module in portal.JOB_MODULES}


def test_no_domain_module_registers_anything_when_imported():
    # Module-level decorators that file a function or class in a registry; Huey's
    # @huey.task stays (Huey needs it at import) and the root imports those modules.
    registering = _modules_matching(
        r"^@(?!huey\.|dataclass|cache|contextlib|contextmanager|property|staticmethod"
        r"|classmethod|functools|click|\w+_group\.command|\w+\.command|\w+\.group)[\w.]+\("
    )
    # Two registries own their built-ins inside their own package and are chosen by a
    # setting (PUSH_TRANSPORT, EID_ADAPTER); nothing outside registers into them.
    assert registering == {
        "app.push.transports",
        "app.eid.adapters.simulator",
        "app.eid.adapters.tr03130_soap",
    }


# -- stored definitions against registered plugins --------------------------------------


def _store(service_id: str, state: str, **changes) -> ServiceDefinitionRecord:
    data = copy.deepcopy(next(iter(load_builtin().values())).as_dict())
    data.update(id=service_id, version=3, **changes)
    with db.connection_context():
        return ServiceDefinitionRecord.create(
            service_id=service_id,
            version=3,
            state=state,
            area=data["area"],
            data=data,
            fingerprint="f" * 64,
            source="admin",
        )


def _start(other_app, app, tmp_path):
    return other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": app.config["DATABASE_URL"],
        }
    )


class TreeCheck(checks.Check):
    def problems(self, application, answers):
        return []


def test_a_stored_definition_naming_an_unknown_plugin_stops_the_start(app, other_app, tmp_path):
    _store("tree_felling", "published", checks=["protected_trees"])
    with pytest.raises(stored_plugins.UnknownPlugins) as refused:
        _start(other_app, app, tmp_path)
    message = str(refused.value)
    assert "tree_felling version 3 (published): checks[0]: unknown check 'protected_trees'" in (
        message
    )
    # Registered, the same definition starts.
    with plugins.checks.registered("protected_trees", TreeCheck()):
        assert _start(other_app, app, tmp_path).config["DATABASE_URL"]


def test_drafts_are_checked_and_retired_versions_are_not(app, other_app, tmp_path):
    _store("old_service", "retired", checks=["gone_check"])
    assert _start(other_app, app, tmp_path)
    _store(
        "new_service",
        "draft",
        auto_decision={"enabled": True, "rule_set": "nobody_knows", "status": "approved"},
    )
    with pytest.raises(stored_plugins.UnknownPlugins) as refused:
        _start(other_app, app, tmp_path)
    assert "new_service version 3 (draft): auto_decision.rule_set: unknown rule 'nobody_knows'" in (
        str(refused.value)
    )
    assert "old_service" not in str(refused.value)


def test_an_empty_database_is_not_checked(other_app, app, tmp_path):
    # Before `flask db upgrade` there is nothing to check, and the start must work.
    fresh = tmp_path / "fresh.sqlite3"
    started = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{fresh}",
        }
    )
    assert started.config["DATABASE_URL"].endswith("fresh.sqlite3")


def _status(record: ServiceDefinitionRecord, *, terminal: bool) -> str:
    """A status of the stored workflow that is (not) an end."""
    return next(s["id"] for s in record.data["workflow"]["statuses"] if s["terminal"] is terminal)


def test_a_retired_version_counts_while_applications_on_it_are_under_way(app, other_app, tmp_path):
    record = _store("old_service", "retired", checks=["gone_check"])
    with db.connection_context():
        user = users.create_user("underway@example.org", "citizen", [])
        application = Application.create(
            user=user,
            definition=record,
            service_id="old_service",
            area=record.area,
            status=_status(record, terminal=False),
            answers={},
        )
    with pytest.raises(stored_plugins.UnknownPlugins) as refused:
        _start(other_app, app, tmp_path)
    assert "old_service version 3 (retired): checks[0]: unknown check 'gone_check'" in str(
        refused.value
    )
    with db.connection_context():
        application.status = _status(record, terminal=True)
        application.save()
    assert _start(other_app, app, tmp_path)


def test_commands_still_run_and_say_what_is_wrong(app, other_app, tmp_path):
    _store("tree_felling", "published", checks=["protected_trees"])

    @click.command()
    def repair() -> None:
        click.echo("started: " + _start(other_app, app, tmp_path).config["PORTAL_ENV"])

    result = CliRunner().invoke(repair)
    assert result.exit_code == 0, result.output
    assert "started: test" in result.output
    assert "unknown check 'protected_trees'" in result.stderr
