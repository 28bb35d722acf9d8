"""``GET /metrics``: the Prometheus text of this node (``app.metrics``).

Protected: with ``METRICS_TOKEN`` set, only a scrape that sends it as a bearer token;
without, only a scrape from this machine (a loopback peer whose request no proxy
forwarded), in every environment, production included.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, request

from api.errors import error_response
from api.security import remote_is_loopback
from app import metrics

blp = Blueprint("metrics", __name__)
# Headers a proxy adds: a loopback peer with them is a proxy on this machine
# forwarding someone else's request (unless PORTAL_PROXY_COUNT says so, see below).
_FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-Ip")


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _from_this_machine() -> bool:
    """A loopback client: the socket's peer, or behind the configured proxies the
    address they forwarded (ProxyFix), never a header the client wrote itself."""
    if not remote_is_loopback():
        return False
    if current_app.config["PROXY_COUNT"]:
        # ProxyFix put the forwarded client address in remote_addr; a scrape that
        # bypasses the proxy arrives without the headers and keeps the peer's.
        return True
    return not any(name in request.headers for name in _FORWARDING_HEADERS)


def may_scrape() -> tuple[bool, int]:
    """Whether this request may read the metrics, and the status to refuse it with."""
    token = current_app.config["METRICS_TOKEN"]
    if token:
        sent = _bearer_token()
        return hmac.compare_digest(sent.encode(), token.encode()), 401
    return _from_this_machine(), 403


@blp.route("/metrics", methods=["GET"])
def metrics_text() -> Response:
    """This node's metrics in the Prometheus text format."""
    allowed, status = may_scrape()
    if not allowed:
        response = error_response(status, "unauthorized" if status == 401 else "forbidden")
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = Response(metrics.exposition(), mimetype=None)
    response.headers["Content-Type"] = metrics.CONTENT_TYPE
    response.headers["Cache-Control"] = "no-store"
    return response
