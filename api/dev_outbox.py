"""Development-only outbox: the mails the portal would have sent.

Registered only outside production, so codes can be read without a mail server. The
mails hold every sign-in code, so only this machine (a loopback client) or a signed-in
administrator may read them: anyone else reaching a development or staging instance
could otherwise sign in as anybody, administrators included.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory

from api.errors import locale
from api.security import current_user, remote_is_loopback
from app.errors import DomainError
from app.i18n import translate
from app.mail import read_outbox

blp = Blueprint("dev_outbox", __name__, template_folder="templates")

# Headers a reverse proxy adds. Without a configured proxy (PORTAL_PROXY_COUNT=0) they
# mean one sits in front anyway, typically on this machine: then every request arrives
# from a loopback address and "loopback" no longer says the client is local.
_FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-Ip")


def is_loopback_client() -> bool:
    """True when the request comes from this machine.

    ``request.remote_addr`` is the real client: the socket's peer, or behind the
    configured number of trusted proxies the address ProxyFix took from their
    ``X-Forwarded-For`` (a header the client sent itself is never trusted).
    """
    if not remote_is_loopback():
        return False
    proxies = current_app.config["PROXY_COUNT"]
    if proxies:
        # ProxyFix replaces the peer only when the proxies forwarded enough addresses;
        # otherwise remote_addr is still the proxy's own (loopback) address.
        forwarded = request.headers.get("X-Forwarded-For", "")
        return len([hop for hop in forwarded.split(",") if hop.strip()]) >= proxies
    # Without a configured proxy, a loopback peer is the client itself only on an
    # instance that is itself only local. An instance published under another name
    # (staging) may sit behind a proxy or tunnel on this machine that adds no headers
    # at all, and then every visitor arrives from loopback: fail closed there.
    if not _served_on_loopback():
        return False
    return not any(name in request.headers for name in _FORWARDING_HEADERS)


def _served_on_loopback() -> bool:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_read_outbox() -> bool:
    """Loopback clients and signed-in administrators may read the outbox."""
    if is_loopback_client():
        return True
    user = current_user()
    return user is not None and user.role == "admin"


@blp.before_request
def _only_local_or_admin() -> None:
    if not may_read_outbox():
        raise DomainError("dev_outbox_refused", kind="forbidden")


@blp.route("/dev/outbox")
def outbox_page():
    """The outbox as a page, newest first."""
    messages = read_outbox(current_app.config["INSTANCE_PATH"], request.args.get("to"))
    lang = locale()
    text = {
        name: translate(f"dev.outbox_{name}", lang)
        for name in ("title", "heading", "intro", "who", "empty", "to")
    }
    return render_template("dev_outbox.html", messages=messages[:50], lang=lang, text=text)


@blp.route("/dev/outbox.json")
def outbox_json():
    """The outbox as JSON (used by the browser tests)."""
    return jsonify(read_outbox(current_app.config["INSTANCE_PATH"], request.args.get("to")))


@blp.route("/dev/outbox.css")
def outbox_css():
    """Styles of the outbox page."""
    return send_from_directory(Path(__file__).parent / "assets", "outbox.css", max_age=3600)
