"""Serves the built PWA: hashed assets, the service worker and the app shell."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, send_from_directory
from werkzeug.routing import PathConverter

from app.errors import DomainError

blp = Blueprint("web", __name__)


class AppPathConverter(PathConverter):
    """Any path outside ``/api``, so unknown API routes and methods stay JSON errors."""

    regex = r"(?!api(?:/|$))[^/].*?"


# Files that must always be revalidated: a stale worker or shell would pin old code.
_NO_CACHE = {"index.html", "sw.js", "manifest.webmanifest"}
# The build writes a gzip copy of these (name + ".gz"); sent as is to clients that take it.
_PRECOMPRESSED = (".js", ".css", ".wasm")


def _static_dir() -> Path:
    return Path(current_app.config["STATIC_DIR"])


@blp.record_once
def _register_converter(state) -> None:
    state.app.url_map.converters["app_path"] = AppPathConverter


@blp.route("/", defaults={"path": ""})
@blp.route("/<app_path:path>")
def shell(path: str):
    """A built file if it exists, else the app shell (client-side routing)."""
    config = current_app.config
    base = urlsplit(config["BASE_URL"])
    if config["PORTAL_ENV"] == "development" and request.host != base.netloc:
        # Passkeys need a domain name, not an IP address: send 127.0.0.1 to localhost.
        return redirect(config["BASE_URL"] + request.full_path.rstrip("?"), code=302)
    folder = _static_dir()
    target = (folder / path).resolve()
    if path and target.is_file() and folder.resolve() in target.parents:
        immutable = path.startswith("assets/")
        response = _send_static(folder, path, target, 31536000 if immutable else 0)
        if path in _NO_CACHE:
            response.headers["Cache-Control"] = "no-cache"
        elif immutable:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
    if "." in path.rsplit("/", 1)[-1]:
        # A missing file is a 404, not the app shell: browsers would run HTML as a script.
        raise DomainError("not_found", kind="not_found")
    if not (folder / "index.html").is_file():
        raise DomainError("app_not_built", kind="not_found")
    response = send_from_directory(folder, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _send_static(folder: Path, path: str, target: Path, max_age: int):
    """A built file, its precompressed copy where one exists and the client accepts gzip."""
    packed = target.with_name(target.name + ".gz")
    if path.endswith(_PRECOMPRESSED) and "gzip" in request.accept_encodings and packed.is_file():
        response = send_from_directory(folder, path + ".gz", max_age=max_age)
        response.headers["Content-Encoding"] = "gzip"
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        # WebAssembly must be served as exactly application/wasm to be compiled.
        response.content_type = kind if kind == "application/wasm" else f"{kind}; charset=utf-8"
    else:
        response = send_from_directory(folder, path, max_age=max_age)
    response.vary.add("Accept-Encoding")
    return response
