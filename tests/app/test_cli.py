"""Command-line tasks: migrations, creating staff users, demo data."""

from __future__ import annotations

from app.db import db
from app.models import (
    AuditEvent,
    CounterCase,
    StaffArea,
    StatisticsDaily,
    StatisticsTarget,
    User,
)


def test_db_upgrade_and_status(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
    status = runner.invoke(args=["db", "status"])
    assert "applied  v0001_accounts" in status.output and "pending" not in status.output


def test_users_create_with_role_and_areas(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Clerk@Stadt.example",
            "--role",
            "staff",
            "--area",
            "hundesteuer",
            "--area",
            "abfall",
        ]
    )
    assert result.exit_code == 0, result.output
    with db.connection_context():
        user = User.get(User.email == "clerk@stadt.example")
        assert user.role == "staff"
        assert sorted(a.area for a in StaffArea.select().where(StaffArea.user == user)) == [
            "abfall",
            "hundesteuer",
        ]
        assert AuditEvent.select().where(AuditEvent.action == "user_created_cli").count() == 1
    again = runner.invoke(args=["users", "create", "clerk@stadt.example", "--role", "staff"])
    assert again.exit_code != 0 and "already has an account" in again.output
    bad = runner.invoke(args=["users", "create", "no-address", "--role", "officer"])
    assert bad.exit_code != 0 and "not an e-mail address" in bad.output
    changed = runner.invoke(args=["users", "set-role", "clerk@stadt.example", "--role", "officer"])
    assert changed.exit_code == 0
    with db.connection_context():
        assert User.get(User.email == "clerk@stadt.example").role == "officer"


def test_seed_demo_is_repeatable_and_prints_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == second.exit_code == 0
    for email in (
        "buerger@demo.buergerportal.de",
        "sachbearbeitung@demo.buergerportal.de",
        "ordnungsamt@demo.buergerportal.de",
        "statistik@demo.buergerportal.de",
        "admin@demo.buergerportal.de",
        "kita@demo.buergerportal.de",
    ):
        assert email in first.output
    with db.connection_context():
        assert User.select().where(User.email.endswith("@demo.buergerportal.de")).count() == 6
        # The statistics have numbers to show, seeded once (counter cases, a target).
        assert CounterCase.select().count() > 0
        assert StatisticsDaily.select().where(StatisticsDaily.metric == "counter_recorded").exists()
        assert StatisticsTarget.select().count() == 1
        citizen = User.get(User.email == "buerger@demo.buergerportal.de")
        assert citizen.profile.get().city == "Düren"


def test_statistics_aggregate(app):
    result = app.test_cli_runner().invoke(args=["statistics", "aggregate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Aggregated ")
    with db.connection_context():
        from app.models import StatisticsRun

        assert StatisticsRun.select().count() == 1
