"""Configuration from environment variables (12-factor) with safe development defaults.

Every setting may also come from a mounted secrets folder (``PORTAL_SECRETS_DIR``, one
file per setting; the environment takes precedence). Secrets given in neither are
generated once into the instance folder in development. In production
(``PORTAL_ENV=production``) the app refuses to start when a secret is missing or still a
development default, naming each problem.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.bundid.settings import bundid_settings
from app.bundid.settings import production_problems as bundid_production_problems
from app.cities.loader import load_city
from app.env_values import ConfigError
from app.env_values import choice as _choice
from app.env_values import flag as _flag
from app.env_values import text as _text
from app.env_values import text_list as _list
from app.env_values import whole_number as _int
from app.handoff.base import all_problems as handoff_backend_problems
from app.handoff.base import all_settings as handoff_backend_settings
from app.locations import REPO_ROOT
from app.payments.providers.base import all_problems, all_settings, registered
from app.private_files import private_dir, write_private_once
from app.push.vapid import VapidKeyError, private_key_from_string, sub_problem
from app.secrets_folder import with_secrets
from app.storage import settings as storage_settings

__all__ = ["REPO_ROOT", "ConfigError", "load_config"]
ENVIRONMENTS = ("development", "test", "production")
_DEV_SECRET_MARKERS = ("dev", "change", "secret", "default", "example")


def _digest_hour(raw: str | None) -> int | None:
    """``STAFF_DIGEST_HOUR``: an hour 0–23 (default 7) or ``off``."""
    if raw is None or raw.strip() == "":
        return 7
    if raw.strip().lower() in ("off", "false", "no", "none"):
        return None
    if raw.strip().isdigit() and 0 <= int(raw) <= 23:
        return int(raw)
    raise ConfigError(f"STAFF_DIGEST_HOUR must be an hour from 0 to 23 or off, got {raw!r}")


def _check_report_days(config: Mapping[str, Any]) -> None:
    """``REPORTS_PERSONAL_DATA_DAYS``: a bad value stops the start, not the nightly run."""
    days = config["REPORTS_PERSONAL_DATA_DAYS"]
    if not isinstance(days, int) or not 1 <= days <= 3650:
        raise ConfigError(f"REPORTS_PERSONAL_DATA_DAYS must be 1 to 3650, got {days!r}")


def instance_secret(instance: Path, name: str, nbytes: int = 32) -> str:
    """Return a secret kept in the instance folder, generating it (owner-only) on first use."""
    return write_private_once(instance / name, secrets.token_urlsafe(nbytes) + "\n").strip()


def load_config(env: Mapping[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Build the Flask configuration from ``env`` (default: ``os.environ``)."""
    env = with_secrets(os.environ if env is None else env)
    portal_env = overrides.pop("PORTAL_ENV", None) or env.get("PORTAL_ENV", "development")
    if portal_env not in ENVIRONMENTS:
        raise ConfigError(
            f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, got {portal_env!r}"
        )
    production = portal_env == "production"

    instance = Path(
        overrides.pop("INSTANCE_PATH", None) or env.get("PORTAL_INSTANCE") or REPO_ROOT / "instance"
    ).resolve()
    # Database, job queue, keys and mail live here: owner-only when the portal creates it.
    private_dir(instance)

    # The city package: a missing or wrong one stops the start, naming each field.
    city = load_city(overrides.pop("PORTAL_CITY", None) or env.get("PORTAL_CITY") or None)
    base_url = (env.get("PORTAL_BASE_URL") or "http://localhost:5000").rstrip("/")
    secret_key = env.get("SECRET_KEY") or (
        "" if production else instance_secret(instance, "secret_key")
    )

    config: dict[str, Any] = {
        "PORTAL_ENV": portal_env,
        "TESTING": portal_env == "test",
        # Lists sent without marshmallow's dump are compared with it (api.documented_json).
        "CHECK_DOCUMENTED_JSON": portal_env == "test",
        # How long (ms) a process answers the catalogue from the stamp it last read before
        # reading it again (api.catalogue_not_modified); changes it made itself count at
        # once. 0: read it on every request.
        "CATALOGUE_RECHECK_MS": _int(
            env, "CATALOGUE_RECHECK_MS", 0 if portal_env == "test" else 250
        ),
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": secret_key,
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.sqlite3'}",
        "DATABASE_POOL_SIZE": _int(env, "DATABASE_POOL_SIZE", 20),
        # PostgreSQL: hot statements prepared once per connection (app.server_statements);
        # off behind a connection pooler in transaction mode.
        "DATABASE_SERVER_PREPARE": _flag(env.get("DATABASE_SERVER_PREPARE"), True),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "BASE_URL": base_url,
        "RP_ID": env.get("WEBAUTHN_RP_ID") or (urlsplit(base_url).hostname or "localhost"),
        "RP_NAME": env.get("WEBAUTHN_RP_NAME") or f"Bürgerportal {city.name}",
        "PORTAL_CITY": city.slug,
        "CITY_NAME": city.name,
        # The emblem that heads the city's documents: its package's logo unless set.
        "CITY_EMBLEM": env.get("CITY_EMBLEM") or str(city.file("logo")),
        # The same in black and white, for the pass printed at home.
        "CITY_EMBLEM_MONOCHROME": env.get("CITY_EMBLEM_MONOCHROME")
        or str(city.file("logo_monochrome")),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 10 * 1024 * 1024),
        "SESSION_COOKIE_NAME": "bp_session",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://") or production,
        "SESSION_LIFETIME_HOURS": _int(env, "SESSION_LIFETIME_HOURS", 24 * 14),
        "STAFF_SESSION_LIFETIME_HOURS": _int(env, "STAFF_SESSION_LIFETIME_HOURS", 10),
        # The Bürgerbüro terminal (docs/kiosk.md): an instance that serves terminals only,
        # how long a sign-in there lasts at most, after how many seconds without input
        # the countdown starts and how long it runs, and how long a setup link works.
        "PORTAL_KIOSK": _flag(env.get("PORTAL_KIOSK"), False),
        "KIOSK_COOKIE_NAME": "bp_kiosk",
        "KIOSK_SESSION_MINUTES": _int(env, "KIOSK_SESSION_MINUTES", 30),
        "KIOSK_IDLE_SECONDS": _int(env, "KIOSK_IDLE_SECONDS", 120),
        "KIOSK_COUNTDOWN_SECONDS": _int(env, "KIOSK_COUNTDOWN_SECONDS", 30),
        "KIOSK_SETUP_LINK_HOURS": _int(env, "KIOSK_SETUP_LINK_HOURS", 72),
        "EMAIL_CODE_TTL_SECONDS": _int(env, "EMAIL_CODE_TTL_SECONDS", 600),
        "EMAIL_CODE_MAX_ATTEMPTS": _int(env, "EMAIL_CODE_MAX_ATTEMPTS", 5),
        # Bounds on every JSON body (see api/input_guard.py): nesting depth, members of
        # one array or object, values in all. Far above what any form sends.
        "INPUT_MAX_DEPTH": _int(env, "INPUT_MAX_DEPTH", 32),
        "INPUT_MAX_ITEMS": _int(env, "INPUT_MAX_ITEMS", 1000),
        "INPUT_MAX_VALUES": _int(env, "INPUT_MAX_VALUES", 20000),
        # Open drafts one citizen may keep; a new one beyond is refused until some
        # are submitted or deleted.
        "DRAFTS_MAX_OPEN": _int(env, "DRAFTS_MAX_OPEN", 50),
        # The resident register the simple registry information searches (a registered
        # plugin; "demo" reads made-up people, RESIDENT_REGISTER_FILE another such file).
        "RESIDENT_REGISTER": env.get("RESIDENT_REGISTER") or "demo",
        "RESIDENT_REGISTER_FILE": env.get("RESIDENT_REGISTER_FILE") or None,
        "WEBAUTHN_CHALLENGE_TTL_SECONDS": _int(env, "WEBAUTHN_CHALLENGE_TTL_SECONDS", 300),
        "SMTP_HOST": env.get("SMTP_HOST") or None,
        "SMTP_PORT": _int(env, "SMTP_PORT", 587),
        "SMTP_USER": env.get("SMTP_USER") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag(env.get("SMTP_STARTTLS"), True),
        "MAIL_FROM": env.get("MAIL_FROM") or f"Bürgerportal {city.name} <noreply@localhost>",
        # Where reports from the accessibility statement's feedback form are mailed.
        "FEEDBACK_EMAIL": env.get("FEEDBACK_EMAIL") or city.data["contact"]["accessibility_email"],
        # Decisions, questions, documents and payments also by e-mail (citizens may opt out).
        "NOTIFY_BY_EMAIL": _flag(env.get("NOTIFY_BY_EMAIL"), True),
        # The clerks' daily digest goes out from this hour (city time); "off": none.
        "STAFF_DIGEST_HOUR": _digest_hour(env.get("STAFF_DIGEST_HOUR")),
        # Days before an instalment's due date its reminder goes out (transfer/online).
        "INSTALMENT_REMINDER_DAYS": _int(env, "INSTALMENT_REMINDER_DAYS", 7),
        # Days parents have to accept an offered day-care place (app.kita).
        "KITA_OFFER_DAYS": _int(env, "KITA_OFFER_DAYS", 14),
        # Defect reports: the map's tile server ({z}/{x}/{y}), its attribution, and the
        # city's extent (south,west,north,east) reports' coordinates must lie in.
        "REPORTS_TILE_URL": env.get("REPORTS_TILE_URL") or None,
        "REPORTS_TILE_ATTRIBUTION": env.get("REPORTS_TILE_ATTRIBUTION") or None,
        "REPORTS_CITY_BBOX": env.get("REPORTS_CITY_BBOX") or None,
        # Days after a report is over until its reporter's data goes (app.reports.erasure).
        "REPORTS_PERSONAL_DATA_DAYS": _int(env, "REPORTS_PERSONAL_DATA_DAYS", 90),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), True),
        # Counters every process of the host shares (see api/limit_storage.py).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI")
        or env.get("REDIS_URL")
        or f"sqlite://{instance / 'ratelimits.sqlite3'}",
        "PROXY_COUNT": _int(env, "PORTAL_PROXY_COUNT", 0),
        "HUEY_IMMEDIATE": _flag(env.get("HUEY_IMMEDIATE"), portal_env == "test"),
        "STATIC_DIR": str(REPO_ROOT / "static" / "dist"),
        # eID (Online-Ausweis): the eID-Server adapter, its connection, the attempts.
        # The simulator is the default outside production; production has none unless
        # a real eID-Server is configured (see docs/eid.md).
        "EID_ADAPTER": env.get("EID_ADAPTER", "" if production else "simulator").strip(),
        "EID_TEST_MODE": _flag(env.get("EID_TEST_MODE"), not production),
        "EID_SERVER_URL": env.get("EID_SERVER_URL") or None,
        # The service provider as the eID client names it (the authorization
        # certificate's holder); the city package's eid.service_provider by default.
        "EID_PROVIDER_NAME": env.get("EID_PROVIDER_NAME") or city.data["eid"]["service_provider"],
        "EID_PAOS_URL": env.get("EID_PAOS_URL") or None,
        "EID_CLIENT_CERT": env.get("EID_CLIENT_CERT") or None,
        "EID_CLIENT_KEY": env.get("EID_CLIENT_KEY") or None,
        "EID_SERVER_CA": env.get("EID_SERVER_CA") or None,
        "EID_TIMEOUT_SECONDS": _int(env, "EID_TIMEOUT_SECONDS", 20),
        "EID_SESSION_TTL_SECONDS": _int(env, "EID_SESSION_TTL_SECONDS", 900),
    }
    # BundID (federal citizen account) over SAML: docs/bundid.md.
    config.update(bundid_settings(env, production, base_url))
    config.update(payment_settings(env, production))
    config.update(push_settings(env, production))
    config.update(handoff_settings(env, production))
    config.update(operations_settings(env, production))
    config.update(storage_settings(env))
    config["PORTAL_SECRETS_DIR"] = (env.get("PORTAL_SECRETS_DIR") or "").strip() or None
    # Encrypts backup archives (app.backup); production refuses unencrypted ones.
    config["BACKUP_ENCRYPTION_KEY"] = _text(env, "BACKUP_ENCRYPTION_KEY") or None
    config["PASS_KEY_ENCRYPTION_KEY"] = _text(env, "PASS_KEY_ENCRYPTION_KEY") or (
        "" if production else instance_secret(instance, "pass_key_encryption_key")
    )
    config.update(overrides)
    _check_report_days(config)
    if production:
        check_production(config)
    return config


def check_production(config: Mapping[str, Any]) -> None:
    """Refuse unsafe production settings, naming every problem at once."""
    problems: list[str] = []
    key = str(config.get("SECRET_KEY") or "")
    if not key:
        problems.append("SECRET_KEY is not set")
    elif len(key) < 32 or any(marker in key.lower() for marker in _DEV_SECRET_MARKERS):
        problems.append("SECRET_KEY looks like a development default (use 32+ random characters)")
    if not str(config.get("BASE_URL", "")).startswith("https://"):
        problems.append("PORTAL_BASE_URL must be an https:// address")
    if not config.get("SMTP_HOST"):
        problems.append("SMTP_HOST is not set (mail would only be written to the outbox folder)")
    if config.get("SMTP_USER") and not config.get("SMTP_PASSWORD"):
        problems.append("SMTP_PASSWORD is not set although SMTP_USER is")
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory:"):
        problems.append(
            "RATELIMIT_STORAGE_URI is memory://, which counts per process: with several "
            "worker processes every rate limit would be multiplied (leave it unset or use Redis)"
        )
    problems += payment_problems(config)
    problems.extend(_eid_production_problems(config))
    problems += bundid_production_problems(config)
    problems += push_problems(config)
    problems += handoff_backend_problems(config)
    problems += operations_problems(config)
    if not config.get("PASS_KEY_ENCRYPTION_KEY"):
        problems.append(
            "PASS_KEY_ENCRYPTION_KEY is not set (it encrypts the pass signing keys in the "
            "database; give it in the environment or the secrets folder)"
        )
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems) + ".")


# --- Payments -------------------------------------------------------------------------
# Development and test run without any credentials: the built-in sandbox provider, and
# SEPA direct debit and bank transfer with a demo creditor (a documentation IBAN). Each
# provider declares its own settings (``app.payments.providers``); production gets none
# of the demo defaults.
# Which service area issues which notice kind; the treasury's area sees every kind.
DEFAULT_NOTICE_AREAS = (
    "dog_tax:hundesteuer,waste_fees:abfall,trade_tax:gewerbe,"
    "property_tax:kasse,fee:kasse,other:kasse"
)


def _notice_areas(env: Mapping[str, str]) -> dict[str, str]:
    mapping = {}
    for pair in _list(env, "PAYMENT_NOTICE_AREAS", DEFAULT_NOTICE_AREAS):
        kind, _, area = pair.partition(":")
        if not kind.strip() or not area.strip():
            raise ConfigError(f"PAYMENT_NOTICE_AREAS: expected kind:area, got {pair!r}")
        mapping[kind.strip()] = area.strip()
    return mapping


def payment_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """The PAYMENT_* settings and each payment provider's own (see docs/payments.md)."""
    return {
        "PAYMENT_PROVIDERS": _list(env, "PAYMENT_PROVIDERS"),
        "PAYMENT_DEFAULT_RETURN_PATH": _text(env, "PAYMENT_DEFAULT_RETURN_PATH", "/zahlungen"),
        "PAYMENT_EXPIRE_AFTER_MINUTES": _int(env, "PAYMENT_EXPIRE_AFTER_MINUTES", 180),
        "PAYMENT_POLL_AFTER_SECONDS": _int(env, "PAYMENT_POLL_AFTER_SECONDS", 120),
        "PAYMENT_POLL_GIVE_UP_DAYS": _int(env, "PAYMENT_POLL_GIVE_UP_DAYS", 7),
        "PAYMENT_POLL_INTERVAL_MINUTES": _int(env, "PAYMENT_POLL_INTERVAL_MINUTES", 5),
        "PAYMENT_REFRESH_SECONDS": _int(env, "PAYMENT_REFRESH_SECONDS", 5),
        "PAYMENT_KASSENZEICHEN_PREFIX": _text(env, "PAYMENT_KASSENZEICHEN_PREFIX", "9"),
        "PAYMENT_TREASURY_AREA": _text(env, "PAYMENT_TREASURY_AREA", "kasse"),
        "PAYMENT_NOTICE_AREAS": _notice_areas(env),
        "PAYMENT_QUARTERLY_DUE_DATES": _list(
            env, "PAYMENT_QUARTERLY_DUE_DATES", "02-15,05-15,08-15,11-15"
        ),
    } | all_settings(env, production)


def payment_provider_configured(config: Mapping[str, Any], name: str) -> bool:
    """True when provider ``name`` is registered and every setting it needs is present."""
    cls = registered().get(name)
    return cls is not None and cls.configured(config)


def payment_problems(config: Mapping[str, Any]) -> list[str]:
    """Payment settings that production must refuse."""
    return all_problems(config)


def _eid_production_problems(config: Mapping[str, Any]) -> list[str]:
    """The eID settings production must not run with."""
    problems: list[str] = []
    adapter = config.get("EID_ADAPTER") or ""
    if adapter == "simulator":
        problems.append(
            "EID_ADAPTER=simulator is for development and tests only "
            "(configure a real eID-Server or leave EID_ADAPTER empty)"
        )
    if config.get("EID_TEST_MODE"):
        problems.append("EID_TEST_MODE must be off (it allows eID addresses without https)")
    if adapter == "tr03130_soap":
        if not str(config.get("EID_SERVER_URL") or "").startswith("https://"):
            problems.append("EID_SERVER_URL must be an https:// address")
        if not (config.get("EID_CLIENT_CERT") and config.get("EID_CLIENT_KEY")):
            problems.append("EID_CLIENT_CERT and EID_CLIENT_KEY (mutual TLS) are not set")
    return problems


# --- Web Push (see docs/push.md) --------------------------------------------------------
# The push services of the browsers in use today; an endpoint elsewhere is refused, so
# nobody can make the server POST to an internal address by registering a crafted one.
PUSH_DEFAULT_ALLOWED_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)


def _push_list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> list[str]:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return list(default)
    return [part.strip() for part in raw.replace(" ", ",").split(",") if part.strip()]


def push_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """The VAPID_* and PUSH_* settings.

    Outside production push works with no configuration (a generated key in the
    instance folder, a placeholder-free contact). Production needs ``VAPID_SUB`` to
    name a real contact and refuses to start without one, unless ``PUSH_ENABLED=0``.
    """
    private_key = (env.get("VAPID_PRIVATE_KEY") or "").strip() or None
    if private_key:
        try:
            private_key_from_string(private_key)
        except VapidKeyError as exc:
            raise ConfigError(f"VAPID_PRIVATE_KEY: {exc}") from exc
    city_contact = load_city(env.get("PORTAL_CITY") or None).data["contact"]
    sub = (env.get("VAPID_SUB") or "").strip() or (
        "" if production else city_contact["push_contact"]
    )
    transport = (env.get("PUSH_TRANSPORT") or "webpush").strip()
    if transport not in ("webpush", "log"):
        raise ConfigError(f"PUSH_TRANSPORT must be webpush or log, got {transport!r}")
    return {
        # On unless switched off: production without a real contact refuses to start
        # (push_problems) rather than silently never notifying anyone.
        "PUSH_ENABLED": _flag(env.get("PUSH_ENABLED"), True),
        "VAPID_PRIVATE_KEY": private_key,
        "VAPID_SUB": sub,
        "PUSH_TRANSPORT": transport,
        "PUSH_ALLOWED_HOSTS": _push_list(env, "PUSH_ALLOWED_HOSTS", PUSH_DEFAULT_ALLOWED_HOSTS),
        "PUSH_TOPICS": _push_list(env, "PUSH_TOPICS", ("waste_collection",)),
        "PUSH_TTL_SECONDS": _int(env, "PUSH_TTL_SECONDS", 7 * 24 * 3600),
        "PUSH_TIMEOUT_SECONDS": _int(env, "PUSH_TIMEOUT_SECONDS", 10),
        "PUSH_MAX_ATTEMPTS": _int(env, "PUSH_MAX_ATTEMPTS", 5),
        "PUSH_RETRY_BASE_SECONDS": _int(env, "PUSH_RETRY_BASE_SECONDS", 30),
        "PUSH_RETRY_MAX_SECONDS": _int(env, "PUSH_RETRY_MAX_SECONDS", 3600),
        "PUSH_MAX_FAILURES": _int(env, "PUSH_MAX_FAILURES", 5),
        "PUSH_MAX_DEVICES": _int(env, "PUSH_MAX_DEVICES", 20),
        "PUSH_LOG_RETENTION_DAYS": _int(env, "PUSH_LOG_RETENTION_DAYS", 90),
    }


def push_problems(config: Mapping[str, Any]) -> list[str]:
    """Web Push settings production must refuse."""
    problems: list[str] = []
    if not config.get("PUSH_ENABLED"):
        return problems
    problem = sub_problem(str(config.get("VAPID_SUB") or ""))
    if not config.get("VAPID_PRIVATE_KEY"):
        # A key generated into one node's instance folder would differ on every node,
        # and subscriptions made through one node would fail on the others.
        problems.append(
            "VAPID_PRIVATE_KEY is not set (give it in the environment or the secrets folder)"
        )
    if problem:
        problems.append(f"VAPID_SUB: {problem}")
    insecure = [h for h in config.get("PUSH_ALLOWED_HOSTS") or [] if "://" in h]
    if insecure:
        problems.append(
            "PUSH_ALLOWED_HOSTS names origins with a scheme (" + ", ".join(insecure) + "); "
            "production allows only https push services by host name"
        )
    if config.get("PUSH_TRANSPORT") != "webpush":
        problems.append("PUSH_TRANSPORT must be webpush (the log transport sends nothing)")
    return problems


# --- Hand-off to specialist systems ---------------------------------------------------
# The outbox's own settings; each backend declares its own (``app.handoff.backends``),
# secrets among them.


def handoff_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """The HANDOFF_* settings of the outbox and every hand-off backend's own
    (see docs/handoff.md)."""
    settings = {
        "HANDOFF_MAX_ATTEMPTS": _int(env, "HANDOFF_MAX_ATTEMPTS", 8),
        "HANDOFF_RETRY_SECONDS": _int(env, "HANDOFF_RETRY_SECONDS", 30),
        "HANDOFF_FOLLOW_UP_SECONDS": _int(env, "HANDOFF_FOLLOW_UP_SECONDS", 60),
        "HANDOFF_LEASE_SECONDS": _int(env, "HANDOFF_LEASE_SECONDS", 600),
        "HANDOFF_ACKNOWLEDGEMENT_DAYS": _int(env, "HANDOFF_ACKNOWLEDGEMENT_DAYS", 7),
    }
    for name in settings:
        if settings[name] < 1:
            raise ConfigError(f"{name} must be at least 1, got {settings[name]}")
    return settings | handoff_backend_settings(env, production)


# --- Operations signals: logs, metrics, health (see docs/monitoring.md) -------------------
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
METRICS_TOKEN_MIN_LENGTH = 16


def operations_settings(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """``LOG_*``, ``METRICS_TOKEN`` and the worker heartbeat's staleness limit."""
    settings = {
        # One JSON object per line in production, readable lines in development.
        "LOG_FORMAT": _choice(env, "LOG_FORMAT", LOG_FORMATS, "json" if production else "text"),
        "LOG_LEVEL": _choice(env, "LOG_LEVEL", LOG_LEVELS, "INFO"),
        # One line per request (off when the proxy's access log, with $request_id, is
        # enough: it saves about 15 µs per request).
        "LOG_REQUESTS": _flag(env.get("LOG_REQUESTS"), True),
        # Client addresses are personal data: in request log lines only when asked for.
        "LOG_CLIENT_ADDRESS": _flag(env.get("LOG_CLIENT_ADDRESS"), False),
        # Bearer token for /metrics; unset: only scrapes from this machine (loopback).
        "METRICS_TOKEN": _text(env, "METRICS_TOKEN") or None,
        # /api/health reports the worker as failed when its heartbeat is older.
        "WORKER_HEARTBEAT_STALE_SECONDS": _int(env, "WORKER_HEARTBEAT_STALE_SECONDS", 120),
    }
    if settings["WORKER_HEARTBEAT_STALE_SECONDS"] < 60:
        raise ConfigError(
            "WORKER_HEARTBEAT_STALE_SECONDS must be at least 60 (the worker beats every 30 s)"
        )
    return settings


def operations_problems(config: Mapping[str, Any]) -> list[str]:
    """Operations settings production must refuse."""
    token = config.get("METRICS_TOKEN") or ""
    if token and len(token) < METRICS_TOKEN_MIN_LENGTH:
        return [f"METRICS_TOKEN must have at least {METRICS_TOKEN_MIN_LENGTH} characters"]
    return []
