"""Interactive API documentation that works with no internet.

Swagger UI's files come from the ``swagger-ui-bundle`` package and are served by us;
the page's start-up code is a file too, so the strict CSP needs no inline script.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

blp = Blueprint("docs", __name__, template_folder="templates")
_ASSETS = Path(__file__).parent / "assets"


@blp.route("/api/docs")
def docs_page():
    """The Swagger UI page for ``/api/openapi.json``."""
    response = render_template("api_docs.html")
    return (
        response,
        200,
        {
            # Swagger UI sets inline styles; scripts stay strictly first-party.
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'none'",
            "Cache-Control": "no-cache",
        },
    )


@blp.route("/api/docs/assets/<path:filename>")
def swagger_assets(filename: str):
    """Swagger UI's own files."""
    return send_from_directory(swagger_ui_path, filename, max_age=86400)


@blp.route("/api/docs/init.js")
def docs_init():
    """The script that starts Swagger UI on our spec."""
    return send_from_directory(_ASSETS, "swagger-init.js", max_age=3600)
