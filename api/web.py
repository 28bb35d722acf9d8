"""Serves the built PWA: hashed assets, the service worker and the app shell."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, send_from_directory
from werkzeug.routing import PathConverter

from api.city import LOGO_URL, STYLESHEET_URL
from api.compression import etag_variants
from app.cities import active_city
from app.cities import public as city_public
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


@blp.route(STYLESHEET_URL)
def city_stylesheet():
    """The city's colours as KERN theme variables (a file: the CSP forbids inline styles)."""
    return _revalidated(city_public.stylesheet(active_city()), "text/css")


@blp.route(LOGO_URL)
def city_logo():
    """The city's emblem from its package."""
    logo = active_city().file("logo")
    response = send_from_directory(logo.parent, logo.name, max_age=0, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.route("/manifest.webmanifest")
def city_manifest():
    """The built web app manifest with the city's name, colour and emblem."""
    built = _static_dir() / "manifest.webmanifest"
    if not built.is_file():
        raise DomainError("app_not_built", kind="not_found")
    built_manifest = json.loads(built.read_text(encoding="utf-8"))
    data = city_public.manifest(active_city(), built_manifest, LOGO_URL)
    return _revalidated(json.dumps(data, ensure_ascii=False), "application/manifest+json")


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
    if path == "index.html":
        return _shell_page(folder)
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
    return _shell_page(folder)


def _shell_page(folder: Path):
    """The built index.html with the active city's title, colours and data."""
    built = folder / "index.html"
    if not built.is_file():
        raise DomainError("app_not_built", kind="not_found")
    page = city_public.shell(active_city(), built.read_text(encoding="utf-8"), STYLESHEET_URL)
    return _revalidated(page, "text/html")


def _revalidated(body: str, mimetype: str):
    """A generated file with an ETag of its content: always revalidated, 304 when unchanged."""
    etag = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    # The compression appends the coding to the tag: any of its forms names this body.
    unchanged = any(request.if_none_match.contains(tag) for tag in etag_variants(etag))
    response = current_app.response_class(
        None if unchanged else body, status=304 if unchanged else 200, mimetype=mimetype
    )
    response.set_etag(etag)
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
