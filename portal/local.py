"""A throwaway portal on a free localhost port, with its own SQLite database and the
built-in services: what browser tests, screenshots and the PWA benchmark run against."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from app import migrations
from app.applications import definitions
from app.db import db
from portal import create_app


@dataclass
class LocalPortal:
    """A running portal: its address, the Flask app (for its configuration), the server."""

    base: str
    app: Flask
    server: BaseWSGIServer

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_local_portal(instance: Path, city: str | None = None) -> LocalPortal:
    """Migrate a fresh database in ``instance`` and serve the portal in a thread
    (for the city package ``city``, default the default one)."""
    port = _free_port()
    base = f"http://localhost:{port}"
    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'portal.sqlite3'}",
        "PORTAL_BASE_URL": base,
    }
    if city:
        env["PORTAL_CITY"] = city
    flask_app = create_app(env)
    migrations.upgrade(db.obj)
    with db.connection_context():
        definitions.sync_builtin()
    server = make_server("127.0.0.1", port, flask_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LocalPortal(base, flask_app, server)


def main() -> None:
    """``python -m portal.local INSTANCE [CITY]``: serve until stopped; prints the address."""
    import sys
    import time

    running = start_local_portal(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
    print(running.base, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        running.stop()


if __name__ == "__main__":
    main()
