"""The composition root: how the Bürgerportal is assembled, in one file.

``app`` is the domain and knows nothing of HTTP; ``api`` is the HTTP surface over it.
Neither builds the portal. This module does, top to bottom: configuration, database,
job queue, then one explicit call per package that registers what it brings along
(event handlers, plugins, payment providers, data-export hooks), then rate limits,
the API blueprints and the command line. Nothing is registered by importing a module,
except push transports and eID-Server adapters, which register with their module inside
their own package (the one the settings name is imported when needed).

Entry points: ``flask --app portal``, ``gunicorn "portal:create_app()"``,
``huey_consumer portal.worker.huey``; ``portal.local`` serves a throwaway portal for
browser tests, screenshots and benchmarks.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

import click
from flask import Flask

from api import init_api, limit_storage, request_signals
from app import (
    builtin_plugins,
    cli,
    health_checks,
    metric_gauges,
    metrics,
    migrations,
    payments_cli,
    storage,
    stored_files,
    tasks,
    worker_heartbeat,
)
from app.accounts import auth_changes
from app.applications import (
    decisions,
    payment_link,
    queue,
    refund_messages,
    replies,
    stored_plugins,
)
from app.applications import digest as staff_digest
from app.applications import jobs as application_jobs
from app.applications import privacy as application_privacy
from app.appointments import cleanup as appointment_cleanup
from app.appointments import mails as appointment_mails
from app.appointments import reminders as appointment_reminders
from app.backup import cli as backup_cli
from app.bundid import binding as bundid_binding
from app.cities import load_city
from app.cities.binding import bind_database
from app.cities.check import check_city
from app.config import load_config
from app.db import db, open_database
from app.eid import binding as eid_binding
from app.handoff import backends as handoff_backends
from app.handoff import outbox as handoff_outbox
from app.kita import confirmation as kita_confirmation
from app.kita import jobs as kita_jobs
from app.notifications import email as email_notifications
from app.notifications import instalment_reminders
from app.notifications import sending as notification_mails
from app.parking import jobs as parking_jobs
from app.payments import notice_areas, notices, providers, receipt_jobs
from app.payments import privacy as payment_privacy
from app.payments import tasks as payment_tasks
from app.push import broadcasts, delivery
from app.push import handlers as push_handlers
from app.registry_information import register as resident_register
from app.reports import privacy as report_privacy
from app.retention import cli as retention_cli
from app.retention import jobs as retention_jobs
from app.statistics import aggregation as statistics_aggregation
from app.storage import cli as storage_cli
from portal import web

# Every module that defines background jobs. Huey files a job under its name when the
# module is imported, and the worker can only run jobs it knows: importing them here
# makes web process and worker know the same set.
JOB_MODULES: tuple[ModuleType, ...] = (
    tasks,  # mail
    stored_files,  # removing files after a commit
    application_jobs,  # receipts
    decisions,  # documents of a decision
    payment_link,  # payment receipts filed with an application
    parking_jobs,  # pass delivery, permit expiry
    payment_tasks,  # polling abandoned payments
    receipt_jobs,  # payment receipts
    delivery,  # push notifications and their retries
    notification_mails,  # notification mails and their retries
    instalment_reminders,  # reminders of instalments due soon
    broadcasts,  # admin broadcasts, page by page
    replies,  # files uploaded for replies never sent
    staff_digest,  # the clerks' daily digest
    statistics_aggregation,  # the nightly statistics aggregate
    handoff_outbox,  # hand-off deliveries and their sweep
    retention_jobs,  # the daily deletion of expired applications
    kita_jobs,  # expiry of day-care offers, the place to the next in line
    appointment_mails,  # mails about Bürgerbüro appointments, with the calendar file
    appointment_reminders,  # the reminder the day before an appointment
    appointment_cleanup,  # erasing personal data of past appointments
)


def register_domain() -> None:
    """Every registration of the domain, one call per package.

    Each call is harmless when repeated (the same handler or plugin again changes
    nothing); a different plugin under a name already taken is refused with an error.
    """
    # Checks, rule sets and document generators that definitions name.
    builtin_plugins.register_all()
    # Documents on status changes, receipts on submission.
    decisions.subscribe_handlers()
    application_jobs.register_builtin()
    # Files uploaded for a reply to a query go when the query is over unsent.
    replies.register_builtin()
    # Applications, notices and instalments are payable; payments move applications on.
    payment_link.register_builtin()
    notices.register_builtin()
    # Refunds of notices: the citizen is asked for an account, and told when it is sent.
    refund_messages.register_builtin()
    # Resident parking: permits on approval, revoked with the account.
    parking_jobs.register_builtin()
    # Push notifications on status changes and new messages.
    push_handlers.register_builtin()
    # The same events by e-mail, for citizens who did not switch it off.
    email_notifications.register_builtin()
    # Hand-off to specialist systems: deliveries on submission, payment and decision.
    handoff_outbox.register_builtin()
    # Data export and account deletion: what each package holds about a citizen.
    application_privacy.register_builtin()
    payment_privacy.register_builtin()
    eid_binding.register_builtin()
    report_privacy.register_builtin()
    bundid_binding.register_builtin()
    # Day-care places: the second parent is invited when an application is submitted.
    kita_confirmation.register_builtin()
    # Kept sessions: this process's own changes to sessions and accounts count at once.
    auth_changes.register()


def create_app(env: Mapping[str, str] | None = None, **overrides: Any) -> Flask:
    """Build the portal from ``env`` (default: the process environment) plus ``overrides``."""
    # Payment providers and hand-off backends declare their own settings, so they come
    # before the configuration.
    providers.register_builtin()
    handoff_backends.register_builtin()
    # The storage backends: PORTAL_STORAGE names one of them.
    storage.register_builtin()
    config = load_config(env, **overrides)

    app = web.flask_app(config)
    open_database(
        config["DATABASE_URL"], config["DATABASE_POOL_SIZE"], config["DATABASE_SERVER_PREPARE"]
    )
    web.connect_per_request(app)
    tasks.configure(config)
    queue.configure(config)

    register_domain()
    # Settings that name registered things are checked once those are registered.
    notice_areas.check(config, notices.KINDS)
    resident_register.check(config)
    # The city package's files (streets, zones, Bürgerbüro, registers, services): a
    # problem stops the start with its field path.
    check_city(load_city(config["PORTAL_CITY"]))

    # Operations signals: the checks of /api/health, the state /metrics reads at each
    # scrape, the worker's heartbeat.
    health_checks.register_builtin(config, tasks.huey)
    metrics.add_state_collector(_state_gauges())
    register_worker_hooks()

    limit_storage.register()
    # First of the request hooks: every request's endpoint is noted before any refusal.
    request_signals.register_hooks(app)
    init_api(app)
    # Outermost: request ids, request metrics and log lines around everything.
    request_signals.install(app)
    cli.register(app)
    app.cli.add_command(payments_cli.payments_group)
    app.cli.add_command(storage_cli.storage_group)
    app.cli.add_command(retention_cli.retention_group)
    app.cli.add_command(backup_cli.backup_group)

    _check_database_city(config["PORTAL_CITY"])
    _check_stored_definitions()
    return app


_STATE_GAUGES: list[metric_gauges.PortalState] = []


def _state_gauges() -> metric_gauges.PortalState:
    """One collector of the portal's state per process (``create_app`` may run again)."""
    if not _STATE_GAUGES:
        _STATE_GAUGES.append(metric_gauges.PortalState(tasks.huey))
    return _STATE_GAUGES[0]


def register_worker_hooks() -> None:
    """What a Huey consumer does when it starts: write the heartbeat."""
    worker_heartbeat.register(tasks.huey)


def _check_database_city(slug: str) -> None:
    """Refuse to start on a database that serves another city (once it is migrated;
    commands too: seeding one city's demo data into another's database mixes them)."""
    with db.connection_context():
        if migrations.is_current(db.obj):
            bind_database(load_city(slug))


def _check_stored_definitions() -> None:
    """Refuse to start when a stored definition names a plugin nobody registered.

    Skipped until the database is migrated, so ``flask db upgrade`` works on an empty one.
    Commands (``flask --app portal …``) only warn: they are how an operator repairs
    such a state, so they must still run.
    """
    with db.connection_context():
        if not migrations.is_current(db.obj):
            return
        try:
            stored_plugins.check()
        except stored_plugins.UnknownPlugins as refused:
            if click.get_current_context(silent=True) is None:
                raise
            click.secho(f"Warning: {refused}", fg="yellow", err=True)
