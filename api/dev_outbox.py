"""Development-only outbox: the mails the portal would have sent.

Registered only outside production, so codes can be read without a mail server.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory

from app.mail import read_outbox

blp = Blueprint("dev_outbox", __name__, template_folder="templates")


@blp.route("/dev/outbox")
def outbox_page():
    """The outbox as a page, newest first."""
    messages = read_outbox(current_app.config["INSTANCE_PATH"], request.args.get("to"))
    return render_template("dev_outbox.html", messages=messages[:50])


@blp.route("/dev/outbox.json")
def outbox_json():
    """The outbox as JSON (used by the browser tests)."""
    return jsonify(read_outbox(current_app.config["INSTANCE_PATH"], request.args.get("to")))


@blp.route("/dev/outbox.css")
def outbox_css():
    """Styles of the outbox page."""
    return send_from_directory(Path(__file__).parent / "assets", "outbox.css", max_age=3600)
