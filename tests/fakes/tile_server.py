"""A local map tile server, as a slippy-map tile server (OpenStreetMap's, a city's own)
answers: ``GET /{z}/{x}/{y}.png`` with a 256×256 PNG, 404 for anything else or for
tiles outside the zoom's grid. Every request is recorded, so a browser test can show
the map drew its tiles from here and from nowhere else.

Usage::

    with FakeTileServer() as tiles:
        config["REPORTS_TILE_URL"] = tiles.url_template
        ...
        assert tiles.requests
"""

from __future__ import annotations

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

_TILE = re.compile(r"^/(\d{1,2})/(\d{1,7})/(\d{1,7})\.png$")


def _tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 236, 228)).save(out, "PNG")
    return out.getvalue()


class FakeTileServer:
    """Serves plain tiles on a free local port and records the paths asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._png = _tile_png()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                match = _TILE.match(self.path.split("?", 1)[0])
                if not match or not fake.in_grid(*(int(part) for part in match.groups())):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(fake._png)))
                self.send_header("Cache-Control", "max-age=86400")
                self.end_headers()
                self.wfile.write(fake._png)

            def log_message(self, *_args) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @staticmethod
    def in_grid(z: int, x: int, y: int) -> bool:
        """Whether the tile exists: zoom 0–19, x and y within 2^z."""
        return 0 <= z <= 19 and 0 <= x < 2**z and 0 <= y < 2**z

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def url_template(self) -> str:
        """The URL template a map library takes."""
        return self.origin + "/{z}/{x}/{y}.png"

    def __enter__(self) -> FakeTileServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
