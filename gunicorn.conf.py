"""gunicorn settings read from the working directory (``scripts/run.sh`` starts there).

After a worker has loaded the portal, everything made at start-up (modules, schemas,
the OpenAPI document, compiled routes, prepared statements) lives as long as the
worker. Python's cyclic collector would still walk all of it in every full collection,
and such a collection then stops one request for many milliseconds: it shows as the
99th percentile of latency. ``gc.freeze()`` moves those objects out of the collector's
reach; objects made while serving requests are collected as before.
"""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Freeze what the worker made while loading the application."""
    gc.collect()
    gc.freeze()


# No control socket (gunicorn 27): its default path is one per user, which several app
# nodes on one host would fight over, and nothing here uses it.
control_socket_disable = True
